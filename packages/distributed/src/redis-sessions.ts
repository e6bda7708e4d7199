/**
 * Browser sessions in Redis, shared by every process of the distributed runtime: report-api signs a browser in and
 * ingest (behind report-api's forwarding, or behind an ingress on the same origin) accepts the same cookie, and any
 * replica answers any request, so a load balancer needs no sticky sessions. The Redis key is the SHA-256 of the
 * session id, so someone who can read Redis cannot take over a session; the value holds the credential (a key's
 * hash or the bootstrap mark, as the in-memory store) with its start and last use. Expiry is decided by the same
 * rule and clock as the in-memory store; Redis' own TTL only clears sessions nobody comes back to.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { MosyError } from '@mosy/core';
import {
  newSessionId,
  sessionExpired,
  type Credential,
  type Logger,
  type SessionStore,
  type SessionStoreOptions,
} from '@mosy/http';

export interface RedisSessionStoreOptions extends SessionStoreOptions {
  readonly url: string;
  /** Prepended to every key. @defaultValue `mosy:session:` */
  readonly prefix?: string;
  /** Told once when Redis becomes unreachable and once when it is back (requests meanwhile answer 503). */
  readonly logger?: Pick<Logger, 'warn' | 'info'>;
}

interface Stored {
  readonly credential: Credential;
  readonly createdAt: number;
  readonly lastSeen: number;
}

function parse(text: string): Stored | undefined {
  try {
    const value = JSON.parse(text) as Partial<Stored>;
    const credential = value.credential;
    const valid =
      typeof value.createdAt === 'number' &&
      typeof value.lastSeen === 'number' &&
      (credential?.kind === 'bootstrap' ||
        (credential?.kind === 'key' && typeof credential.hash === 'string'));
    return valid ? (value as Stored) : undefined;
  } catch {
    return undefined;
  }
}

/** A Redis error as the HTTP layer's 503, so a browser is told to retry, not shown a 500. */
async function guard<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    throw new MosyError('unavailable', 'The session store (Redis) cannot be reached; try again shortly.', {
      cause: error,
    });
  }
}

export type RedisSessionStore = SessionStore & { close(): Promise<void> };

export function createRedisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  const maxAgeMs = options.maxAgeMs ?? 8 * 3_600_000;
  const idleMs = options.idleMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? 'mosy:session:';
  // A request fails with 503 `unavailable` rather than waiting for a Redis that is down (ioredis reconnects by itself).
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.logger?.warn({ error: error.message }, 'the session store (Redis) cannot be reached');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    options.logger?.info({}, 'the session store (Redis) is reachable again');
  });
  const keyOf = (id: string): string => prefix + createHash('sha256').update(id).digest('hex');
  // The TTL bounds how long an abandoned session stays in Redis: at most until it would have ended anyway.
  const ttlMs = (s: Stored, t: number): number => Math.max(1, Math.min(idleMs, maxAgeMs - (t - s.createdAt)));
  // NX for a new session; XX when touching one, so that a request racing a sign-out cannot bring the session back.
  const write = (id: string, s: Stored, t: number, mode: 'NX' | 'XX'): Promise<'OK' | null> =>
    guard(
      mode === 'NX'
        ? redis.set(keyOf(id), JSON.stringify(s), 'PX', ttlMs(s, t), 'NX')
        : redis.set(keyOf(id), JSON.stringify(s), 'PX', ttlMs(s, t), 'XX'),
    );
  return {
    async create(credential) {
      const t = now();
      const id = newSessionId();
      if ((await write(id, { credential, createdAt: t, lastSeen: t }, t, 'NX')) === null)
        throw new Error('A new session id is already in Redis.');
      return id;
    },
    async get(id) {
      const text = await guard(redis.get(keyOf(id)));
      const session = text === null ? undefined : parse(text);
      if (session === undefined) return undefined;
      const t = now();
      if (sessionExpired(session, t, { maxAgeMs, idleMs })) {
        await guard(redis.del(keyOf(id)));
        return undefined;
      }
      return (await write(id, { ...session, lastSeen: t }, t, 'XX')) === null
        ? undefined
        : session.credential;
    },
    async delete(id) {
      await guard(redis.del(keyOf(id)));
    },
    maxAgeSeconds: Math.floor(maxAgeMs / 1000),
    async close() {
      // QUIT waits for pending replies; without a connection there is nothing to wait for.
      if (redis.status === 'ready') await redis.quit();
      else redis.disconnect();
    },
  };
}
