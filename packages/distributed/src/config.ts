/**
 * Configuration of a service in the distributed runtime, from the environment. Each service process calls
 * `loadDistributedConfig(process.env)` once at start and fails fast with every problem listed, so a
 * misconfigured replica never joins a consumer group half-working. Secrets are read here and never logged.
 */
import { readFileSync } from 'node:fs';
import { SASL_MECHANISMS } from '@mosy/bus-kafka';
import type { KafkaSaslMechanism, KafkaSaslOptions, RegistryAuth } from '@mosy/bus-kafka';
import { MosyError } from '@mosy/core';

export interface DistributedConfig {
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly registryUrl: string;
    /** TLS to the brokers: off, on with Node's default CAs, or on with the CA read from MOSY_KAFKA_SSL_CA_FILE. */
    readonly ssl: boolean | { readonly ca: string };
    /** SASL credentials for the brokers. Secret. */
    readonly sasl?: KafkaSaslOptions;
    /** Basic-auth credentials for the schema registry. Secret. */
    readonly registryAuth?: RegistryAuth;
    readonly topics: {
      readonly submissions: string;
      readonly records: string;
      readonly deadletter: string;
      readonly linkage: string;
    };
    readonly partitions: number;
    readonly replicationFactor: number;
    /** Consumer group session and rebalance timeouts; lower values fail over faster after a crash. */
    readonly sessionTimeoutMs?: number;
    readonly rebalanceTimeoutMs?: number;
    /** `retention.ms` of the submissions topic when a service creates it; unset: the bus's default, 7 days. */
    readonly submissionsRetentionMs?: number;
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
  /** normalizer (and the aggregator's linker with fuzzy linkage): the pseudonym secret (≥ 32 bytes). */
  readonly pseudonymSecret?: string;
  /** `MOSY_LINKAGE`: persons told apart by the exact pseudonym (default) or by fuzzy linkage (docs/linkage.md). */
  readonly linkage: 'exact' | 'fuzzy';
  /** Consumer group suffix, to run several independent pipelines on one cluster (tests). */
  readonly groupPrefix: string;
}

/** The variable's value; empty counts as unset, as compose passes `${VAR:-}`. */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integerSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: string[],
  min: 0 | 1 = 0,
): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    problems.push(`${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  }
  return value;
}

/**
 * The values of variables that only make sense together: all of them, or `undefined` when none is set. Names
 * the missing ones when only some are; never a value, since some are secrets.
 */
function together<N extends string>(
  env: NodeJS.ProcessEnv,
  names: readonly N[],
  problems: string[],
): Record<N, string> | undefined {
  const missing = names.filter((name) => setting(env, name) === undefined);
  if (missing.length === names.length) return undefined;
  if (missing.length > 0) {
    const all = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    problems.push(`${all} must be set together (missing: ${missing.join(', ')})`);
    return undefined;
  }
  return Object.fromEntries(names.map((name) => [name, env[name]])) as Record<N, string>;
}

function kafkaSsl(env: NodeJS.ProcessEnv, problems: string[]): DistributedConfig['kafka']['ssl'] {
  const flag = setting(env, 'MOSY_KAFKA_SSL');
  if (flag !== undefined && flag !== 'true' && flag !== 'false') {
    problems.push(`MOSY_KAFKA_SSL must be true or false, got "${flag}"`);
  }
  const caFile = setting(env, 'MOSY_KAFKA_SSL_CA_FILE');
  if (caFile === undefined) return flag === 'true';
  if (flag === 'false') {
    problems.push('MOSY_KAFKA_SSL_CA_FILE is set but MOSY_KAFKA_SSL is false: a CA is only used with TLS');
    return false;
  }
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (error) {
    problems.push(
      `MOSY_KAFKA_SSL_CA_FILE cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return true;
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    problems.push(`MOSY_KAFKA_SSL_CA_FILE ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return { ca };
}

function kafkaSasl(env: NodeJS.ProcessEnv, problems: string[]): KafkaSaslOptions | undefined {
  const values = together(
    env,
    ['MOSY_KAFKA_SASL_MECHANISM', 'MOSY_KAFKA_SASL_USERNAME', 'MOSY_KAFKA_SASL_PASSWORD'],
    problems,
  );
  if (values === undefined) return undefined;
  // Kafka's own documentation writes the mechanisms in capitals (PLAIN, SCRAM-SHA-512).
  const mechanism = values.MOSY_KAFKA_SASL_MECHANISM.toLowerCase() as KafkaSaslMechanism;
  if (!SASL_MECHANISMS.includes(mechanism)) {
    problems.push(
      `MOSY_KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got "${values.MOSY_KAFKA_SASL_MECHANISM}"`,
    );
    return undefined;
  }
  return { mechanism, username: values.MOSY_KAFKA_SASL_USERNAME, password: values.MOSY_KAFKA_SASL_PASSWORD };
}

function registryAuth(env: NodeJS.ProcessEnv, problems: string[]): RegistryAuth | undefined {
  const values = together(env, ['MOSY_SCHEMA_REGISTRY_USERNAME', 'MOSY_SCHEMA_REGISTRY_PASSWORD'], problems);
  return (
    values && {
      username: values.MOSY_SCHEMA_REGISTRY_USERNAME,
      password: values.MOSY_SCHEMA_REGISTRY_PASSWORD,
    }
  );
}

function required(env: NodeJS.ProcessEnv, name: string, problems: string[]): string {
  const value = setting(env, name);
  if (value === undefined) problems.push(`${name} is required`);
  return value ?? '';
}

function linkageMode(value: string | undefined, problems: string[]): 'exact' | 'fuzzy' {
  if (value === undefined || value === 'exact') return 'exact';
  if (value === 'fuzzy') return 'fuzzy';
  problems.push('MOSY_LINKAGE must be exact or fuzzy');
  return 'exact';
}

/** @param defaultPort the service's own default HTTP port */
export function loadDistributedConfig(env: NodeJS.ProcessEnv, defaultPort: number): DistributedConfig {
  const problems: string[] = [];
  const brokers = required(env, 'MOSY_KAFKA_BROKERS', problems)
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const ssl = kafkaSsl(env, problems);
  const sasl = kafkaSasl(env, problems);
  const registryUrl = required(env, 'MOSY_SCHEMA_REGISTRY_URL', problems);
  const registryCredentials = registryAuth(env, problems);
  const config: DistributedConfig = {
    kafka: {
      brokers,
      registryUrl,
      ssl,
      ...(sasl ? { sasl } : {}),
      ...(registryCredentials ? { registryAuth: registryCredentials } : {}),
      topics: {
        submissions: setting(env, 'MOSY_TOPIC_SUBMISSIONS') ?? 'mosy.submissions.v1',
        records: setting(env, 'MOSY_TOPIC_RECORDS') ?? 'mosy.records.v1',
        deadletter: setting(env, 'MOSY_TOPIC_DEADLETTER') ?? 'mosy.deadletter.v1',
        linkage: setting(env, 'MOSY_TOPIC_LINKAGE') ?? 'mosy.linkage.v1',
      },
      partitions: integerSetting(env, 'MOSY_TOPIC_PARTITIONS', 6, problems),
      replicationFactor: integerSetting(env, 'MOSY_TOPIC_REPLICATION', 1, problems),
      ...(env.MOSY_KAFKA_SESSION_TIMEOUT_MS
        ? { sessionTimeoutMs: integerSetting(env, 'MOSY_KAFKA_SESSION_TIMEOUT_MS', 30_000, problems) }
        : {}),
      ...(env.MOSY_KAFKA_REBALANCE_TIMEOUT_MS
        ? { rebalanceTimeoutMs: integerSetting(env, 'MOSY_KAFKA_REBALANCE_TIMEOUT_MS', 60_000, problems) }
        : {}),
      ...(setting(env, 'MOSY_SUBMISSIONS_RETENTION_MS')
        ? {
            submissionsRetentionMs: integerSetting(env, 'MOSY_SUBMISSIONS_RETENTION_MS', 0, problems, 1),
          }
        : {}),
    },
    clickhouse: {
      url: required(env, 'MOSY_CLICKHOUSE_URL', problems),
      database: setting(env, 'MOSY_CLICKHOUSE_DATABASE') ?? 'mosy',
      ...(env.MOSY_CLICKHOUSE_USER ? { username: env.MOSY_CLICKHOUSE_USER } : {}),
      ...(env.MOSY_CLICKHOUSE_PASSWORD ? { password: env.MOSY_CLICKHOUSE_PASSWORD } : {}),
    },
    ...(env.MOSY_REDIS_URL ? { redisUrl: env.MOSY_REDIS_URL } : {}),
    port: integerSetting(env, 'PORT', defaultPort, problems),
    host: setting(env, 'HOST') ?? '127.0.0.1',
    logLevel: setting(env, 'LOG_LEVEL') ?? 'info',
    ...(env.MOSY_ADMIN_TOKEN ? { adminToken: env.MOSY_ADMIN_TOKEN } : {}),
    ...(env.MOSY_PSEUDONYM_SECRET ? { pseudonymSecret: env.MOSY_PSEUDONYM_SECRET } : {}),
    linkage: linkageMode(setting(env, 'MOSY_LINKAGE'), problems),
    groupPrefix: setting(env, 'MOSY_GROUP_PREFIX') ?? '',
  };
  if (!/^[a-zA-Z0-9_]+$/.test(config.clickhouse.database)) {
    problems.push('MOSY_CLICKHOUSE_DATABASE must be letters, digits and underscores');
  }
  if (problems.length > 0) {
    throw new MosyError('invalid-request', `Invalid configuration: ${problems.join('; ')}.`);
  }
  return config;
}
