import type { Request } from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiKey, Registry } from '@mosy/core';
import { createAuthenticator, hashKey } from './auth.js';
import { createSessionStore, sessionIdOf } from './session.js';

const request = (method: string, headers: Record<string, string>): Request =>
  ({ method, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('session store', () => {
  it('ends a session after its idle time and after its absolute age', async () => {
    let t = 0;
    const sessions = createSessionStore({ idleMs: 10, maxAgeMs: 25, now: () => t });
    const id = await sessions.create({ kind: 'bootstrap' });
    expect(id).toMatch(/^[\w-]{43}$/);
    t = 9;
    expect(await sessions.get(id)).toEqual({ kind: 'bootstrap' });
    t = 18;
    expect(await sessions.get(id)).toBeDefined();
    t = 26;
    expect(await sessions.get(id)).toBeUndefined();
    const idle = await sessions.create({ kind: 'bootstrap' });
    t = 37;
    expect(await sessions.get(idle)).toBeUndefined();
  });

  it('reads the session id from the Cookie header', () => {
    expect(sessionIdOf(request('GET', { cookie: 'a=1; mosy_session=abc-_; b=2' }))).toBe('abc-_');
    expect(sessionIdOf(request('GET', { cookie: 'a=1' }))).toBeUndefined();
    expect(sessionIdOf(request('GET', {}))).toBeUndefined();
  });
});

describe('authenticator with sessions', () => {
  const key = 'mosy_analyst_secret';
  let revoked = false;
  const registry = {
    findKey: (hash: string): Promise<ApiKey | undefined> =>
      Promise.resolve(
        hash === hashKey(key)
          ? {
              id: 'key_1',
              hash,
              role: 'analyst',
              label: 'test',
              createdAt: 0,
              ...(revoked ? { revokedAt: 1 } : {}),
            }
          : undefined,
      ),
  } as unknown as Registry;
  const sessions = createSessionStore();
  const authenticate = createAuthenticator({ registry, sessions });
  let cookie = '';
  beforeAll(async () => {
    cookie = `mosy_session=${await sessions.create({ kind: 'key', hash: hashKey(key) })}`;
  });

  it('accepts the cookie, and for a change only with X-Requested-With', async () => {
    await expect(authenticate(request('GET', { cookie }))).resolves.toMatchObject({ role: 'analyst' });
    await expect(authenticate(request('DELETE', { cookie }))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      authenticate(request('DELETE', { cookie, 'x-requested-with': 'mosy-web' })),
    ).resolves.toMatchObject({ role: 'analyst' });
  });

  it('refuses an unknown session and ends a revoked key’s sessions at once', async () => {
    await expect(authenticate(request('GET', { cookie: 'mosy_session=nope' }))).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    revoked = true;
    await expect(authenticate(request('GET', { cookie }))).rejects.toMatchObject({ code: 'unauthenticated' });
    revoked = false;
  });

  it('prefers the bearer key when both are sent', async () => {
    await expect(
      authenticate(request('GET', { cookie, authorization: 'Bearer wrong' })),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
