import { describe, expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { busOptions } from './adapters.js';
import { loadDistributedConfig } from './config.js';

describe('busOptions', () => {
  const logger = createLogger({ name: 'test', level: 'silent' });

  it('passes TLS, SASL, registry credentials, retention and timing from the configuration to the bus', () => {
    const config = loadDistributedConfig(
      {
        MOSY_KAFKA_BROKERS: 'k1:9093',
        MOSY_SCHEMA_REGISTRY_URL: 'https://registry:8443/apis/ccompat/v7',
        MOSY_CLICKHOUSE_URL: 'http://clickhouse:8123',
        MOSY_KAFKA_SSL: 'true',
        MOSY_KAFKA_SASL_MECHANISM: 'plain',
        MOSY_KAFKA_SASL_USERNAME: 'mosy-ingest',
        MOSY_KAFKA_SASL_PASSWORD: 'kafka-secret',
        MOSY_SCHEMA_REGISTRY_USERNAME: 'mosy-registry',
        MOSY_SCHEMA_REGISTRY_PASSWORD: 'registry-secret',
        MOSY_SUBMISSIONS_RETENTION_MS: '3600000',
        MOSY_KAFKA_SESSION_TIMEOUT_MS: '10000',
      },
      8180,
    );
    const { logger: busLogger, ...options } = busOptions(config, 'mosy-ingest', logger);
    expect(options).toEqual({
      brokers: ['k1:9093'],
      clientId: 'mosy-ingest',
      registryUrl: 'https://registry:8443/apis/ccompat/v7',
      ssl: true,
      sasl: { mechanism: 'plain', username: 'mosy-ingest', password: 'kafka-secret' },
      registryAuth: { username: 'mosy-registry', password: 'registry-secret' },
      topics: {
        submissions: 'mosy.submissions.v1',
        records: 'mosy.records.v1',
        deadletter: 'mosy.deadletter.v1',
        linkage: 'mosy.linkage.v1',
      },
      partitions: 6,
      replicationFactor: 1,
      submissionsRetentionMs: 3_600_000,
      consumer: { sessionTimeoutMs: 10_000 },
    });
    expect(busLogger).toBeDefined();
  });

  it('leaves out what is not configured, so the bus applies its defaults', () => {
    const config = loadDistributedConfig(
      {
        MOSY_KAFKA_BROKERS: 'k1:9092',
        MOSY_SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7',
        MOSY_CLICKHOUSE_URL: 'http://clickhouse:8123',
      },
      8180,
    );
    const options = busOptions(config, 'mosy-ingest', logger);
    expect(options.ssl).toBe(false);
    expect(Object.keys(options)).not.toContain('sasl');
    expect(Object.keys(options)).not.toContain('registryAuth');
    expect(Object.keys(options)).not.toContain('submissionsRetentionMs');
    expect(options.consumer).toEqual({});
  });
});
