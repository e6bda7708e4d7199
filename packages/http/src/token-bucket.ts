/**
 * Token buckets, one per key (a principal's key id, or a client address), as pure logic over an injected clock so
 * that it is tested without waiting. Each bucket holds up to `capacity` tokens and refills continuously at
 * `capacity` per `windowMs`; a request takes one token, or is told how many seconds to wait for the next one.
 * Buckets that have refilled completely are forgotten when there are many, so memory stays bounded by the keys
 * active within one window.
 */

export interface TokenBucketOptions {
  /** Requests allowed in a burst, and per window on average. */
  readonly capacity: number;
  /** @defaultValue 60 000 (a minute) */
  readonly windowMs?: number;
  /** Above this many buckets, full ones are dropped. @defaultValue 10 000 */
  readonly maxIdleBuckets?: number;
}

export interface TokenBuckets {
  /**
   * Takes a token from `key`'s bucket at time `now` (epoch ms).
   * @returns 0 when the request may go on; otherwise the whole seconds (≥ 1) until a token is available.
   */
  take(key: string, now: number): number;
  /** How many buckets are held (for tests of the bound). */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createTokenBuckets(options: TokenBucketOptions): TokenBuckets {
  const { capacity } = options;
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
  const perMs = capacity / (options.windowMs ?? 60_000);
  const maxIdle = options.maxIdleBuckets ?? 10_000;
  const buckets = new Map<string, Bucket>();

  const level = (bucket: Bucket, now: number): number =>
    Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);

  const sweep = (now: number): void => {
    for (const [key, bucket] of buckets) if (level(bucket, now) >= capacity) buckets.delete(key);
  };

  return {
    take(key, now) {
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= maxIdle) sweep(now);
        bucket = { tokens: capacity, at: now };
        buckets.set(key, bucket);
      }
      bucket.tokens = level(bucket, now);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
    size: () => buckets.size,
  };
}
