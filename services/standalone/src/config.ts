/**
 * Configuration of the embedded runtime. It needs nothing beyond a data folder and a port; everything else has a
 * default. Secrets (the admin token and the pseudonym secret) come from the environment or, when absent, are
 * generated once and kept in the data folder with owner-only permissions.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MosyError, isCountry } from '@mosy/core';

export interface StandaloneConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly adminToken?: string;
  readonly pseudonymSecret?: string;
  /** Load the synthetic demo dataset when the store is empty. */
  readonly demo: boolean;
  readonly geoDir?: string;
  /** ISO 3166-1 alpha-2; SDMX-CSV groups citizenship relative to it (NAT, EU27_2020_FOR, NEU27_2020_FOR). */
  readonly reportingCountry?: string;
  readonly logLevel: string;
}

/** The repository root, from this file's place in it (services/standalone/{src,dist}/config.*). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StandaloneConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MosyError('invalid-request', `PORT must be a TCP port number, got "${env.PORT}".`);
  }
  const secret = env.MOSY_PSEUDONYM_SECRET;
  if (secret !== undefined && Buffer.byteLength(secret) < 32) {
    throw new MosyError('invalid-request', 'MOSY_PSEUDONYM_SECRET must be at least 32 bytes long.');
  }
  const reportingCountry = env.MOSY_REPORTING_COUNTRY;
  if (reportingCountry && !isCountry(reportingCountry)) {
    throw new MosyError(
      'invalid-request',
      `MOSY_REPORTING_COUNTRY must be an ISO 3166-1 alpha-2 country code (GR for Greece), got "${reportingCountry}".`,
    );
  }
  const defaultGeo = resolve(REPO_ROOT, '..', 'shared', 'geo');
  const geoDir = env.MOSY_GEO_DIR ?? (existsSync(defaultGeo) ? defaultGeo : undefined);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.MOSY_DATA_DIR ?? join(REPO_ROOT, '.data')),
    ...(env.MOSY_ADMIN_TOKEN ? { adminToken: env.MOSY_ADMIN_TOKEN } : {}),
    ...(secret ? { pseudonymSecret: secret } : {}),
    demo: env.MOSY_DEMO !== '0',
    ...(geoDir === undefined ? {} : { geoDir }),
    ...(reportingCountry ? { reportingCountry } : {}),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
