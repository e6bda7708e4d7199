/**
 * The rate limit over HTTP on the embedded runtime, on a frozen clock: 600 requests a minute per key, the 601st
 * answered 429 `rate-limited` with `Retry-After`, other keys and anonymous callers unaffected, and random keys
 * from one address counted together rather than each getting a fresh bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './test-support/world.js';

let world: World;
let clock = Date.UTC(2026, 0, 5, 9);

beforeAll(async () => {
  world = await startWorld({ hardening: { rateLimitPerMinute: 600 }, now: () => clock });
}, 60_000);

afterAll(async () => {
  await world.close();
});

const statusOf = async (res: Response): Promise<number> => {
  await res.arrayBuffer();
  return res.status;
};

describe('rate limits per key', () => {
  it('answers the 601st request of a key within a minute 429 with Retry-After, and no other key', async () => {
    for (let i = 0; i < 600; i++) {
      const status = await statusOf(await world.call('analyst', 'GET', '/v1/status'));
      if (status !== 200) throw new Error(`request ${i + 1} answered ${status}`);
    }
    const limited = await world.call('analyst', 'GET', '/v1/status');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await limited.json()).toMatchObject({ status: 429, code: 'rate-limited' });

    expect(await statusOf(await world.call('coordinator', 'GET', '/v1/status'))).toBe(200);
    expect(await statusOf(await world.call('none', 'GET', '/v1/taxonomy'))).toBe(200);

    // 600 a minute is one token per 100 ms.
    clock += 100;
    expect(await statusOf(await world.call('analyst', 'GET', '/v1/status'))).toBe(200);
    expect(await statusOf(await world.call('analyst', 'GET', '/v1/status'))).toBe(429);
    clock += 60_000;
    expect(await statusOf(await world.call('analyst', 'GET', '/v1/status'))).toBe(200);
  }, 60_000);

  it('counts requests with made-up keys against the client address', async () => {
    clock += 60_000;
    for (let i = 0; i < 600; i++) {
      const res = await fetch(`${world.runtime.url}/v1/status`, {
        headers: { authorization: `Bearer mosy_analyst_guess${i}` },
      });
      if ((await statusOf(res)) !== 401) throw new Error(`guess ${i + 1} answered ${res.status}`);
    }
    const res = await fetch(`${world.runtime.url}/v1/status`, {
      headers: { authorization: 'Bearer mosy_analyst_one-more-guess' },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Without a key, from the same address: the same bucket.
    expect(await statusOf(await world.call('none', 'GET', '/v1/taxonomy'))).toBe(429);
    // A valid key has its own.
    expect(await statusOf(await world.call('coordinator', 'GET', '/v1/status'))).toBe(200);
  }, 60_000);
});
