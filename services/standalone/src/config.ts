/**
 * Configuration of the embedded runtime. It needs nothing beyond a data folder and a port; everything else has a
 * default. Secrets (the admin token and the pseudonym secret) come from the environment or, when absent, are
 * generated once and kept in the data folder with owner-only permissions.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MosyError } from '@mosy/core';
import { hardeningFromEnv, type HardeningSettings } from '@mosy/http';
import {
  hubSettingsFromEnv,
  quarterlySettingsFromEnv,
  reportSettingsFromEnv,
  spatialSettingsFromEnv,
  type HubSettings,
  type QuarterlySettings,
  type ReportSettings,
  type SpatialSettings,
} from '@mosy/report-api';

export interface StandaloneConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly adminToken?: string;
  readonly pseudonymSecret?: string;
  /** `MOSY_LINKAGE`: `exact` (default) or `fuzzy` person linkage (docs/linkage.md). */
  readonly linkage: 'exact' | 'fuzzy';
  /** Load the synthetic demo dataset when the store is empty. */
  readonly demo: boolean;
  readonly geoDir?: string;
  /**
   * How long a fully consumed log file may stay open for more appends before it is deleted: the longest time a
   * submission (with its identity) stays on disk after the normalizer has read it, while the runtime runs.
   */
  readonly logConsumedRetentionMs: number;
  /** `MOSY_DUCKDB_MEMORY_LIMIT`: DuckDB's memory limit (`2GB`, `512MiB`); DuckDB's default (80 % of RAM) without. */
  readonly duckDbMemoryLimit?: string;
  /** Disclosure control and the reporting country, as the distributed report API reads them. */
  readonly report: ReportSettings;
  /** `MOSY_POPULATION_CSV`, `MOSY_REGIONAL_INDICATORS_CSV`: the spatial analysis's tables. */
  readonly spatial: SpatialSettings;
  /** The quarterly report's schedule (`MOSY_QUARTERLY_*`), as the distributed report API reads it. */
  readonly quarterly: QuarterlySettings;
  /** The hub role and sending to a hub (`MOSY_ROLE`, `MOSY_HUB_*`). */
  readonly hub: HubSettings;
  /** `MOSY_RATE_LIMIT_PER_MINUTE`, `MOSY_HSTS`. */
  readonly hardening: HardeningSettings;
  readonly logLevel: string;
}

/** The repository root, from this file's place in it (services/standalone/{src,dist}/config.*). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A size as DuckDB's `memory_limit` takes it; DuckDB's own refusal of anything else does not name the setting. */
const DUCKDB_SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** Identity read by the normalizer may wait at most a minute for deletion, however the runtime is configured. */
const MAX_LOG_CONSUMED_RETENTION_MS = 60_000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StandaloneConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MosyError('invalid-request', `PORT must be a TCP port number, got "${env.PORT}".`);
  }
  const secret = env.MOSY_PSEUDONYM_SECRET;
  if (secret !== undefined && Buffer.byteLength(secret) < 32) {
    throw new MosyError('invalid-request', 'MOSY_PSEUDONYM_SECRET must be at least 32 bytes long.');
  }
  const logConsumedRetentionMs = Number(env.MOSY_LOG_CONSUMED_RETENTION_MS ?? 1000);
  if (
    !Number.isInteger(logConsumedRetentionMs) ||
    logConsumedRetentionMs < 0 ||
    logConsumedRetentionMs > MAX_LOG_CONSUMED_RETENTION_MS
  ) {
    throw new MosyError(
      'invalid-request',
      `MOSY_LOG_CONSUMED_RETENTION_MS must be a whole number of milliseconds from 0 to ${MAX_LOG_CONSUMED_RETENTION_MS}, got "${env.MOSY_LOG_CONSUMED_RETENTION_MS}".`,
    );
  }
  const linkage = env.MOSY_LINKAGE ?? 'exact';
  if (linkage !== 'exact' && linkage !== 'fuzzy') {
    throw new MosyError('invalid-request', `MOSY_LINKAGE must be exact or fuzzy, got "${linkage}".`);
  }
  const duckDbMemoryLimit = env.MOSY_DUCKDB_MEMORY_LIMIT;
  if (duckDbMemoryLimit !== undefined && !DUCKDB_SIZE.test(duckDbMemoryLimit)) {
    throw new MosyError(
      'invalid-request',
      `MOSY_DUCKDB_MEMORY_LIMIT must be a size such as 2GB or 512MiB, got "${duckDbMemoryLimit}".`,
    );
  }
  const report = reportSettingsFromEnv(env);
  const quarterly = quarterlySettingsFromEnv(env);
  const hub = hubSettingsFromEnv(env);
  const hardening = hardeningFromEnv(env);
  const spatial = spatialSettingsFromEnv(env, existsSync);
  const defaultGeo = resolve(REPO_ROOT, '..', 'shared', 'geo');
  const geoDir = env.MOSY_GEO_DIR ?? (existsSync(defaultGeo) ? defaultGeo : undefined);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.MOSY_DATA_DIR ?? join(REPO_ROOT, '.data')),
    ...(env.MOSY_ADMIN_TOKEN ? { adminToken: env.MOSY_ADMIN_TOKEN } : {}),
    ...(secret ? { pseudonymSecret: secret } : {}),
    linkage,
    demo: env.MOSY_DEMO !== '0',
    ...(geoDir === undefined ? {} : { geoDir }),
    logConsumedRetentionMs,
    ...(duckDbMemoryLimit === undefined ? {} : { duckDbMemoryLimit }),
    report,
    spatial,
    quarterly,
    hub,
    hardening,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
