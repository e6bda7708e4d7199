/**
 * The hardening every HTTP process puts in front of its routes, and its settings from the environment:
 * `MOSY_RATE_LIMIT_PER_MINUTE` (requests per minute per key, and per client address without a valid key) and
 * `MOSY_HSTS` (`auto`, `on` or `off`). `hardenApp` mounts the security headers first, so that every response has
 * them, and the rate limit after the routes the caller wants exempt (health and metrics probes).
 */
import type { RequestHandler } from 'express';
import { MosyError } from '@mosy/core';
import type { Authenticator } from './auth.js';
import { rateLimit } from './rate-limit.js';
import { securityHeaders, type HstsMode } from './security-headers.js';

export interface HardeningSettings {
  /** @defaultValue 600: generous for people and scripts, a brake on a runaway loop or a key guesser */
  readonly rateLimitPerMinute: number;
  /** @defaultValue `auto` */
  readonly hsts: HstsMode;
}

export const DEFAULT_HARDENING: HardeningSettings = { rateLimitPerMinute: 600, hsts: 'auto' };

const HSTS_MODES: readonly string[] = ['auto', 'on', 'off'];

/** @throws MosyError `invalid-request` naming the variable that is not valid. */
export function hardeningFromEnv(env: NodeJS.ProcessEnv): HardeningSettings {
  const rate = Number(env.MOSY_RATE_LIMIT_PER_MINUTE ?? DEFAULT_HARDENING.rateLimitPerMinute);
  if (!Number.isInteger(rate) || rate < 1)
    throw new MosyError(
      'invalid-request',
      `MOSY_RATE_LIMIT_PER_MINUTE must be a whole number ≥ 1, got "${env.MOSY_RATE_LIMIT_PER_MINUTE}".`,
    );
  const hsts = env.MOSY_HSTS ?? DEFAULT_HARDENING.hsts;
  if (!HSTS_MODES.includes(hsts))
    throw new MosyError('invalid-request', `MOSY_HSTS must be auto, on or off, got "${hsts}".`);
  return { rateLimitPerMinute: rate, hsts: hsts as HstsMode };
}

export interface Hardening {
  /** Mount first: security headers on every response. */
  readonly headers: RequestHandler;
  /** Mount before the routes it should limit. */
  readonly rateLimit: RequestHandler;
}

export function createHardening(
  settings: HardeningSettings,
  authenticate: Authenticator,
  now?: () => number,
): Hardening {
  return {
    headers: securityHeaders({ hsts: settings.hsts }),
    rateLimit: rateLimit({
      authenticate,
      perMinute: settings.rateLimitPerMinute,
      ...(now === undefined ? {} : { now }),
    }),
  };
}
