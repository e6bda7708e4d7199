/**
 * Rate limits per key: every request takes a token from the bucket of its principal's key id, or, when it carries
 * no valid credential, from the bucket of its client address, so random keys cannot buy fresh buckets. A request
 * over the limit answers 429 `rate-limited` with `Retry-After` before any route runs. The buckets live in the
 * process: each replica of a distributed service limits on its own.
 */
import type { Request, RequestHandler } from 'express';
import { MosyError } from '@mosy/core';
import type { Authenticator, Principal } from './auth.js';
import { createTokenBuckets } from './token-bucket.js';

export interface RateLimitOptions {
  readonly authenticate: Authenticator;
  /** Requests per minute per key (and per address without one). */
  readonly perMinute: number;
  /** @defaultValue `Date.now` */
  readonly now?: () => number;
}

export function rateLimit(options: RateLimitOptions): RequestHandler {
  const buckets = createTokenBuckets({ capacity: options.perMinute });
  const now = options.now ?? Date.now;
  const bucketOf = (req: Request): Promise<string> =>
    options.authenticate(req).then(
      (principal) => `key:${principal.keyId}`,
      () => `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`,
    );
  return (req, res, next) => {
    bucketOf(req)
      .then((bucket) => {
        const wait = buckets.take(bucket, now());
        if (wait === 0) {
          next();
          return;
        }
        res.setHeader('Retry-After', String(wait));
        next(
          new MosyError(
            'rate-limited',
            `More than ${options.perMinute} requests a minute with this key (or from this address without one); retry in ${wait} s.`,
          ),
        );
      })
      .catch(next);
  };
}

/**
 * An authenticator that looks a request's credential up once, however many middlewares ask (the rate limit,
 * then the route's `requireRole`), so rate limiting costs no second registry read.
 */
export function rememberingAuthenticator(authenticate: Authenticator): Authenticator {
  const seen = new WeakMap<Request, Promise<Principal>>();
  return (req) => {
    let principal = seen.get(req);
    if (principal === undefined) {
      principal = authenticate(req);
      seen.set(req, principal);
    }
    return principal;
  };
}
