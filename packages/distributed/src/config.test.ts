import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { loadDistributedConfig } from './config.js';

const REQUIRED = {
  MOSY_KAFKA_BROKERS: 'k1:9093,k2:9093',
  MOSY_SCHEMA_REGISTRY_URL: 'https://registry:8443/apis/ccompat/v7',
  MOSY_CLICKHOUSE_URL: 'http://clickhouse:8123',
};

const dir = mkdtempSync(join(tmpdir(), 'mosy-config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, CA);
const derFile = join(dir, 'ca.der');
writeFileSync(derFile, Buffer.from([0x30, 0x82, 0x01, 0xb3]));

const problemsOf = (env: NodeJS.ProcessEnv): unknown => {
  try {
    loadDistributedConfig(env, 8180);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('loadDistributedConfig', () => {
  it('needs only the three endpoints: plain text, no credentials, the bus default retention', () => {
    expect(loadDistributedConfig(REQUIRED, 8180)).toEqual({
      kafka: {
        brokers: ['k1:9093', 'k2:9093'],
        registryUrl: 'https://registry:8443/apis/ccompat/v7',
        ssl: false,
        topics: {
          submissions: 'mosy.submissions.v1',
          records: 'mosy.records.v1',
          deadletter: 'mosy.deadletter.v1',
          linkage: 'mosy.linkage.v1',
        },
        partitions: 6,
        replicationFactor: 1,
      },
      clickhouse: { url: 'http://clickhouse:8123', database: 'mosy' },
      port: 8180,
      host: '127.0.0.1',
      logLevel: 'info',
      linkage: 'exact',
      groupPrefix: '',
    });
  });

  it('reads MOSY_LINKAGE, exact or fuzzy, and refuses anything else', () => {
    expect(loadDistributedConfig({ ...REQUIRED, MOSY_LINKAGE: 'fuzzy' }, 8180).linkage).toBe('fuzzy');
    expect(() => loadDistributedConfig({ ...REQUIRED, MOSY_LINKAGE: 'Fuzzy' }, 8180)).toThrow(
      'MOSY_LINKAGE must be exact or fuzzy',
    );
  });

  it('reads TLS with a CA file, SASL, registry credentials and the submissions retention', () => {
    const config = loadDistributedConfig(
      {
        ...REQUIRED,
        MOSY_KAFKA_SSL_CA_FILE: caFile,
        MOSY_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        MOSY_KAFKA_SASL_USERNAME: 'mosy-ingest',
        MOSY_KAFKA_SASL_PASSWORD: 'kafka-secret',
        MOSY_SCHEMA_REGISTRY_USERNAME: 'mosy-registry',
        MOSY_SCHEMA_REGISTRY_PASSWORD: 'registry-secret',
        MOSY_SUBMISSIONS_RETENTION_MS: '259200000',
      },
      8180,
    );
    expect(config.kafka).toEqual({
      brokers: ['k1:9093', 'k2:9093'],
      registryUrl: 'https://registry:8443/apis/ccompat/v7',
      ssl: { ca: CA },
      sasl: { mechanism: 'scram-sha-512', username: 'mosy-ingest', password: 'kafka-secret' },
      registryAuth: { username: 'mosy-registry', password: 'registry-secret' },
      topics: {
        submissions: 'mosy.submissions.v1',
        records: 'mosy.records.v1',
        deadletter: 'mosy.deadletter.v1',
        linkage: 'mosy.linkage.v1',
      },
      partitions: 6,
      replicationFactor: 1,
      submissionsRetentionMs: 259_200_000,
    });
  });

  it('turns TLS on with the default CAs, or off, from MOSY_KAFKA_SSL', () => {
    expect(loadDistributedConfig({ ...REQUIRED, MOSY_KAFKA_SSL: 'true' }, 8180).kafka.ssl).toBe(true);
    expect(loadDistributedConfig({ ...REQUIRED, MOSY_KAFKA_SSL: 'false' }, 8180).kafka.ssl).toBe(false);
    const both = { ...REQUIRED, MOSY_KAFKA_SSL: 'true', MOSY_KAFKA_SSL_CA_FILE: caFile };
    expect(loadDistributedConfig(both, 8180).kafka.ssl).toEqual({ ca: CA });
  });

  it('counts empty as unset, as compose passes ${VAR:-}', () => {
    const empty = {
      ...REQUIRED,
      MOSY_KAFKA_SSL: '',
      MOSY_KAFKA_SSL_CA_FILE: '',
      MOSY_KAFKA_SASL_MECHANISM: '',
      MOSY_KAFKA_SASL_USERNAME: '',
      MOSY_KAFKA_SASL_PASSWORD: '',
      MOSY_SCHEMA_REGISTRY_USERNAME: '',
      MOSY_SCHEMA_REGISTRY_PASSWORD: '',
      MOSY_SUBMISSIONS_RETENTION_MS: '',
      MOSY_TOPIC_SUBMISSIONS: '',
      MOSY_TOPIC_RECORDS: '',
      MOSY_TOPIC_DEADLETTER: '',
      MOSY_TOPIC_PARTITIONS: '',
      MOSY_CLICKHOUSE_DATABASE: '',
      HOST: '',
      LOG_LEVEL: '',
    };
    expect(loadDistributedConfig(empty, 8180)).toEqual(loadDistributedConfig(REQUIRED, 8180));
  });

  it('lists every problem together, naming the variables and never a secret', () => {
    const error = problemsOf({
      ...REQUIRED,
      MOSY_KAFKA_SSL: 'yes',
      MOSY_KAFKA_SASL_USERNAME: 'mosy-ingest',
      MOSY_KAFKA_SASL_PASSWORD: 'kafka-secret',
      MOSY_SCHEMA_REGISTRY_PASSWORD: 'registry-secret',
      MOSY_SUBMISSIONS_RETENTION_MS: '0',
    });
    expect(error).toBeInstanceOf(MosyError);
    expect(error).toMatchObject({
      code: 'invalid-request',
      message:
        'Invalid configuration: ' +
        'MOSY_KAFKA_SSL must be true or false, got "yes"; ' +
        'MOSY_KAFKA_SASL_MECHANISM, MOSY_KAFKA_SASL_USERNAME and MOSY_KAFKA_SASL_PASSWORD must be set together ' +
        '(missing: MOSY_KAFKA_SASL_MECHANISM); ' +
        'MOSY_SCHEMA_REGISTRY_USERNAME and MOSY_SCHEMA_REGISTRY_PASSWORD must be set together ' +
        '(missing: MOSY_SCHEMA_REGISTRY_USERNAME); ' +
        'MOSY_SUBMISSIONS_RETENTION_MS must be a positive integer, got "0".',
    });
    expect((error as Error).message).not.toMatch(/kafka-secret|registry-secret/);
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    [
      'an unknown SASL mechanism',
      { MOSY_KAFKA_SASL_MECHANISM: 'GSSAPI', MOSY_KAFKA_SASL_USERNAME: 'u', MOSY_KAFKA_SASL_PASSWORD: 'p' },
      'MOSY_KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512, got "GSSAPI"',
    ],
    [
      'a CA file that cannot be read',
      { MOSY_KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') },
      `MOSY_KAFKA_SSL_CA_FILE cannot be read: ENOENT: no such file or directory, open '${join(dir, 'missing.pem')}'`,
    ],
    [
      'a CA file that is no PEM certificate',
      { MOSY_KAFKA_SSL_CA_FILE: derFile },
      `MOSY_KAFKA_SSL_CA_FILE ${derFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    ],
    [
      'a CA file with TLS off',
      { MOSY_KAFKA_SSL: 'false', MOSY_KAFKA_SSL_CA_FILE: caFile },
      'MOSY_KAFKA_SSL_CA_FILE is set but MOSY_KAFKA_SSL is false: a CA is only used with TLS',
    ],
    [
      'a retention that is not a whole number',
      { MOSY_SUBMISSIONS_RETENTION_MS: '3 days' },
      'MOSY_SUBMISSIONS_RETENTION_MS must be a positive integer, got "3 days"',
    ],
  ])('refuses %s', (_what, env, problem) => {
    expect(problemsOf({ ...REQUIRED, ...env })).toMatchObject({
      code: 'invalid-request',
      message: `Invalid configuration: ${problem}.`,
    });
  });
});
