import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { DEFAULT_HARDENING, hardeningFromEnv } from './hardening.js';
import { securityHeaders, type HstsMode } from './security-headers.js';

describe('hardening settings', () => {
  it('default to 600 requests a minute, HSTS over https only, 120 s a request, sessions of 8 h (30 min idle)', () => {
    expect(hardeningFromEnv({})).toEqual(DEFAULT_HARDENING);
    expect(DEFAULT_HARDENING).toEqual({
      rateLimitPerMinute: 600,
      hsts: 'auto',
      requestTimeoutMs: 120_000,
      sessionMaxAgeSeconds: 28_800,
      sessionIdleSeconds: 1_800,
    });
    expect(
      hardeningFromEnv({
        MOSY_RATE_LIMIT_PER_MINUTE: '30',
        MOSY_HSTS: 'on',
        MOSY_REQUEST_TIMEOUT_MS: '5000',
        MOSY_SESSION_MAX_AGE_SECONDS: '600',
        MOSY_SESSION_IDLE_SECONDS: '60',
      }),
    ).toEqual({
      rateLimitPerMinute: 30,
      hsts: 'on',
      requestTimeoutMs: 5_000,
      sessionMaxAgeSeconds: 600,
      sessionIdleSeconds: 60,
    });
    // A session shorter than the default idle time is idle-limited by its own length.
    expect(hardeningFromEnv({ MOSY_SESSION_MAX_AGE_SECONDS: '2' })).toMatchObject({
      sessionMaxAgeSeconds: 2,
      sessionIdleSeconds: 2,
    });
  });

  it('refuse a request timeout or session lifetime out of range, naming the variable', () => {
    for (const value of ['999', '600001', '1.5', 'soon'])
      expect(() => hardeningFromEnv({ MOSY_REQUEST_TIMEOUT_MS: value })).toThrow(
        new MosyError(
          'invalid-request',
          `MOSY_REQUEST_TIMEOUT_MS must be a whole number from 1000 to 600000, got "${value}".`,
        ),
      );
    for (const value of ['0', '604801', '2.5', ''])
      expect(() => hardeningFromEnv({ MOSY_SESSION_MAX_AGE_SECONDS: value })).toThrow(
        /^MOSY_SESSION_MAX_AGE_SECONDS must be a whole number from 1 to 604800/,
      );
    // The idle limit cannot outlast the session.
    expect(() =>
      hardeningFromEnv({ MOSY_SESSION_MAX_AGE_SECONDS: '60', MOSY_SESSION_IDLE_SECONDS: '61' }),
    ).toThrow(
      new MosyError(
        'invalid-request',
        'MOSY_SESSION_IDLE_SECONDS must be a whole number from 1 to 60, got "61".',
      ),
    );
  });

  it('refuse a rate that is not a whole number ≥ 1 and an unknown HSTS mode, naming the variable', () => {
    for (const rate of ['0', '-5', '1.5', 'lots'])
      expect(() => hardeningFromEnv({ MOSY_RATE_LIMIT_PER_MINUTE: rate })).toThrow(
        new MosyError(
          'invalid-request',
          `MOSY_RATE_LIMIT_PER_MINUTE must be a whole number ≥ 1, got "${rate}".`,
        ),
      );
    expect(() => hardeningFromEnv({ MOSY_HSTS: 'yes' })).toThrow(/MOSY_HSTS must be auto, on or off/);
  });
});

describe('security headers', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((done) => server?.close(done));
  });

  const headersWith = async (hsts: HstsMode, trustProxy: boolean, proto?: string): Promise<Headers> => {
    const app = express();
    if (trustProxy) app.set('trust proxy', true);
    app.use(securityHeaders({ hsts }));
    app.get('/x', (_req, res) => {
      res.json({});
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, {
      headers: proto === undefined ? {} : { 'x-forwarded-proto': proto },
    });
    await res.arrayBuffer();
    return res.headers;
  };

  it('send HSTS over https only in auto mode, always when on, never when off', async () => {
    expect((await headersWith('auto', false)).get('strict-transport-security')).toBeNull();
    // Behind a trusted proxy that ended TLS, the request counts as https.
    expect((await headersWith('auto', true, 'https')).get('strict-transport-security')).toMatch(
      /^max-age=31536000/,
    );
    expect((await headersWith('on', false)).get('strict-transport-security')).toMatch(/^max-age=31536000/);
    expect((await headersWith('off', true, 'https')).get('strict-transport-security')).toBeNull();
  });

  it('set the fixed headers for JSON', async () => {
    const headers = await headersWith('off', false);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
