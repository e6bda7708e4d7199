import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createRedisSessionStore } from './redis-sessions.js';

const REDIS_URL = process.env.MOSY_REDIS_URL ?? 'redis://127.0.0.1:6379';
const HOUR = 3_600_000;
const prefix = `mosy-test:${randomUUID()}:`;
let t = 0;
// Two processes' stores on one Redis, on one test clock (hours, so Redis' own TTL never fires during the test).
const options = { url: REDIS_URL, prefix, idleMs: 10 * HOUR, maxAgeMs: 25 * HOUR, now: () => t };
const reportApi = createRedisSessionStore(options);
const ingest = createRedisSessionStore(options);
const raw = new Redis(REDIS_URL);

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await Promise.all([reportApi.close(), ingest.close(), raw.quit()]);
});

describe('Redis session store', () => {
  it('shares a session between processes until its idle time or its absolute age ends it', async () => {
    t = 0;
    const id = await reportApi.create({ kind: 'key', hash: 'abc' });
    expect(id).toMatch(/^[\w-]{43}$/);
    t = 9 * HOUR;
    expect(await ingest.get(id)).toEqual({ kind: 'key', hash: 'abc' });
    t = 18 * HOUR;
    expect(await reportApi.get(id)).toEqual({ kind: 'key', hash: 'abc' });
    t = 26 * HOUR;
    expect(await ingest.get(id)).toBeUndefined();
    expect(await reportApi.get(id)).toBeUndefined();
    const idle = await reportApi.create({ kind: 'bootstrap' });
    t = 37 * HOUR;
    expect(await ingest.get(idle)).toBeUndefined();
    expect(reportApi.maxAgeSeconds).toBe(25 * 3600);
  });

  it('ends a session everywhere on sign-out, and keeps no session id in Redis', async () => {
    t = 0;
    const id = await reportApi.create({ kind: 'bootstrap' });
    const keys = await raw.keys(`${prefix}*`);
    expect(keys.some((key) => key.includes(id))).toBe(false);
    const stored = await Promise.all(keys.map((key) => raw.get(key)));
    expect(stored.some((value) => value?.includes(id))).toBe(false);
    // The TTL is the idle time: an abandoned session leaves Redis by itself.
    const ttls = await Promise.all(keys.map((key) => raw.pttl(key)));
    expect(Math.max(...ttls)).toBeLessThanOrEqual(10 * HOUR);
    expect(Math.min(...ttls)).toBeGreaterThan(9 * HOUR);
    await ingest.delete(id);
    expect(await reportApi.get(id)).toBeUndefined();
    expect(await ingest.get('not-a-session')).toBeUndefined();
  });

  it('answers 503 unavailable, not 500, while Redis cannot be reached', async () => {
    // A port nothing listens on.
    const down = createRedisSessionStore({ ...options, url: 'redis://127.0.0.1:1' });
    try {
      await expect(down.get('any')).rejects.toMatchObject({ code: 'unavailable' });
      await expect(down.create({ kind: 'bootstrap' })).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await down.close();
    }
  });
});
