/**
 * Configuration of a service in the distributed runtime, from the environment. Each service process calls
 * `loadDistributedConfig(process.env)` once at start and fails fast with every problem listed, so a
 * misconfigured replica never joins a consumer group half-working. Secrets are read here and never logged.
 */
import { MosyError } from '@mosy/core';

export interface DistributedConfig {
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly registryUrl: string;
    readonly topics: { readonly submissions: string; readonly records: string; readonly deadletter: string };
    readonly partitions: number;
    readonly replicationFactor: number;
    /** Consumer group session and rebalance timeouts; lower values fail over faster after a crash. */
    readonly sessionTimeoutMs?: number;
    readonly rebalanceTimeoutMs?: number;
  };
  readonly clickhouse: {
    readonly url: string;
    readonly database: string;
    readonly username?: string;
    readonly password?: string;
  };
  readonly redisUrl?: string;
  /** HTTP port of the service (API or ops endpoints). */
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** ingest: the bootstrap admin token. */
  readonly adminToken?: string;
  /** normalizer: the pseudonym secret (≥ 32 bytes). */
  readonly pseudonymSecret?: string;
  /** Consumer group suffix, to run several independent pipelines on one cluster (tests). */
  readonly groupPrefix: string;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    problems.push(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string, problems: string[]): string {
  const value = env[name];
  if (value === undefined || value === '') {
    problems.push(`${name} is required`);
    return '';
  }
  return value;
}

/** @param defaultPort the service's own default HTTP port */
export function loadDistributedConfig(env: NodeJS.ProcessEnv, defaultPort: number): DistributedConfig {
  const problems: string[] = [];
  const brokers = required(env, 'MOSY_KAFKA_BROKERS', problems)
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const config: DistributedConfig = {
    kafka: {
      brokers,
      registryUrl: required(env, 'MOSY_SCHEMA_REGISTRY_URL', problems),
      topics: {
        submissions: env.MOSY_TOPIC_SUBMISSIONS ?? 'mosy.submissions.v1',
        records: env.MOSY_TOPIC_RECORDS ?? 'mosy.records.v1',
        deadletter: env.MOSY_TOPIC_DEADLETTER ?? 'mosy.deadletter.v1',
      },
      partitions: positiveInt(env, 'MOSY_TOPIC_PARTITIONS', 6, problems),
      replicationFactor: positiveInt(env, 'MOSY_TOPIC_REPLICATION', 1, problems),
      ...(env.MOSY_KAFKA_SESSION_TIMEOUT_MS
        ? { sessionTimeoutMs: positiveInt(env, 'MOSY_KAFKA_SESSION_TIMEOUT_MS', 30_000, problems) }
        : {}),
      ...(env.MOSY_KAFKA_REBALANCE_TIMEOUT_MS
        ? { rebalanceTimeoutMs: positiveInt(env, 'MOSY_KAFKA_REBALANCE_TIMEOUT_MS', 60_000, problems) }
        : {}),
    },
    clickhouse: {
      url: required(env, 'MOSY_CLICKHOUSE_URL', problems),
      database: env.MOSY_CLICKHOUSE_DATABASE ?? 'mosy',
      ...(env.MOSY_CLICKHOUSE_USER ? { username: env.MOSY_CLICKHOUSE_USER } : {}),
      ...(env.MOSY_CLICKHOUSE_PASSWORD ? { password: env.MOSY_CLICKHOUSE_PASSWORD } : {}),
    },
    ...(env.MOSY_REDIS_URL ? { redisUrl: env.MOSY_REDIS_URL } : {}),
    port: positiveInt(env, 'PORT', defaultPort, problems),
    host: env.HOST ?? '127.0.0.1',
    logLevel: env.LOG_LEVEL ?? 'info',
    ...(env.MOSY_ADMIN_TOKEN ? { adminToken: env.MOSY_ADMIN_TOKEN } : {}),
    ...(env.MOSY_PSEUDONYM_SECRET ? { pseudonymSecret: env.MOSY_PSEUDONYM_SECRET } : {}),
    groupPrefix: env.MOSY_GROUP_PREFIX ?? '',
  };
  if (!/^[a-zA-Z0-9_]+$/.test(config.clickhouse.database)) {
    problems.push('MOSY_CLICKHOUSE_DATABASE must be letters, digits and underscores');
  }
  if (problems.length > 0) {
    throw new MosyError('invalid-request', `Invalid configuration: ${problems.join('; ')}.`);
  }
  return config;
}
