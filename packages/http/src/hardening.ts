/**
 * The hardening every HTTP process puts in front of its routes, and its settings from the environment:
 * `MOSY_RATE_LIMIT_PER_MINUTE` (requests per minute per key, and per client address without a valid key),
 * `MOSY_HSTS` (`auto`, `on` or `off`), `MOSY_REQUEST_TIMEOUT_MS` (how long a request's headers and body may take
 * to arrive, `server.ts`) and the browser sessions' lifetime, `MOSY_SESSION_MAX_AGE_SECONDS` after sign-in and
 * `MOSY_SESSION_IDLE_SECONDS` without a request. `hardenApp` mounts the security headers first, so that every
 * response has them, and the rate limit after the routes the caller wants exempt (health and metrics probes).
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
  /** @defaultValue 120 000: a full 16 MiB submission at about 140 kB/s */
  readonly requestTimeoutMs: number;
  /** A browser session ends this long after sign-in. @defaultValue 28 800 (8 hours) */
  readonly sessionMaxAgeSeconds: number;
  /** A browser session ends after this long without a request. @defaultValue 1 800 (30 minutes) */
  readonly sessionIdleSeconds: number;
}

export const DEFAULT_HARDENING: HardeningSettings = {
  rateLimitPerMinute: 600,
  hsts: 'auto',
  requestTimeoutMs: 120_000,
  sessionMaxAgeSeconds: 28_800,
  sessionIdleSeconds: 1_800,
};

/** Bounds of the timeouts: a request timeout of 1 s to 10 min; a session of at most a week. */
const REQUEST_TIMEOUT_MS = { min: 1_000, max: 600_000 };
const SESSION_SECONDS = { min: 1, max: 7 * 86_400 };

/** A whole number in [min, max] from an environment variable, or its default. */
function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  { min, max }: { min: number; max: number },
): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new MosyError(
      'invalid-request',
      `${name} must be a whole number from ${min} to ${max}, got "${env[name]}".`,
    );
  return value;
}

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
  const requestTimeoutMs = wholeNumber(
    env,
    'MOSY_REQUEST_TIMEOUT_MS',
    DEFAULT_HARDENING.requestTimeoutMs,
    REQUEST_TIMEOUT_MS,
  );
  const sessionMaxAgeSeconds = wholeNumber(
    env,
    'MOSY_SESSION_MAX_AGE_SECONDS',
    DEFAULT_HARDENING.sessionMaxAgeSeconds,
    SESSION_SECONDS,
  );
  const sessionIdleSeconds = wholeNumber(
    env,
    'MOSY_SESSION_IDLE_SECONDS',
    Math.min(DEFAULT_HARDENING.sessionIdleSeconds, sessionMaxAgeSeconds),
    { min: SESSION_SECONDS.min, max: sessionMaxAgeSeconds },
  );
  return {
    rateLimitPerMinute: rate,
    hsts: hsts as HstsMode,
    requestTimeoutMs,
    sessionMaxAgeSeconds,
    sessionIdleSeconds,
  };
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
