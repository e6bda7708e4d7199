import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { resolveConfig } from './options.js';
import type { KafkaEventBusOptions } from './options.js';

const base: KafkaEventBusOptions = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'ingest',
  registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7/',
};

const failure = (options: KafkaEventBusOptions): unknown => {
  try {
    resolveConfig(options);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('resolveConfig', () => {
  it('applies the documented defaults', () => {
    const config = resolveConfig(base);
    expect(config.topics).toEqual({
      submissions: 'mosy.submissions.v1',
      records: 'mosy.records.v1',
      deadletter: 'mosy.deadletter.v1',
      linkage: 'mosy.linkage.v1',
    });
    expect(config.registryUrl).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    expect(config.partitions).toBe(6);
    expect(config.replicationFactor).toBe(1);
    expect(config.submissionsRetentionMs).toBe(604_800_000);
    expect(config.deadLetterStages).toEqual({ submissions: 'normalizer', records: 'aggregator' });
    expect(config.consumer).toEqual({
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 60_000,
      heartbeatIntervalMs: 3_000,
      maxWaitTimeMs: 1_000,
      partitionsConsumedConcurrently: 6,
    });
    expect([config.retryInitialMs, config.retryMaxMs, config.maxRequestBytes, config.publishRetries]).toEqual(
      [200, 30_000, 900_000, 8],
    );
    expect(config.writerVersions).toEqual({});
    expect(config.logLevel).toBe('warn');
    expect([config.ssl, config.sasl, config.registryAuth]).toEqual([false, undefined, undefined]);
  });

  it('takes TLS, SASL and registry credentials', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const config = resolveConfig({
      ...base,
      ssl: { ca },
      sasl: { mechanism: 'scram-sha-512', username: 'mosy', password: 'pw' },
      registryAuth: { username: 'reg', password: 'regpw' },
      submissionsRetentionMs: 3_600_000,
    });
    expect(config.ssl).toEqual({ ca });
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'mosy', password: 'pw' });
    expect(config.registryAuth).toEqual({ username: 'reg', password: 'regpw' });
    expect(config.submissionsRetentionMs).toBe(3_600_000);
    expect(resolveConfig({ ...base, ssl: true }).ssl).toEqual({});
    expect(resolveConfig({ ...base, ssl: {} }).ssl).toEqual({});
    expect(resolveConfig({ ...base, ssl: false }).ssl).toBe(false);
  });

  it('takes partial topic names and timing', () => {
    const config = resolveConfig({
      ...base,
      topics: { records: 'r.v2' },
      consumer: { heartbeatIntervalMs: 500 },
    });
    expect(config.topics.records).toBe('r.v2');
    expect(config.topics.submissions).toBe('mosy.submissions.v1');
    expect(config.consumer.heartbeatIntervalMs).toBe(500);
    expect(config.consumer.sessionTimeoutMs).toBe(30_000);
  });

  it.each<[string, Partial<KafkaEventBusOptions>, string]>([
    ['no brokers', { brokers: [] }, 'Kafka bus option brokers is empty'],
    [
      'a registry URL without scheme',
      { registryUrl: '127.0.0.1:8081' },
      'Kafka bus option registryUrl is not an http(s) URL: "127.0.0.1:8081"',
    ],
    [
      'a bad topic name',
      { topics: { records: 'a topic' } },
      'Kafka bus option topics.records is not a valid topic name: "a topic"',
    ],
    [
      'one topic twice',
      { topics: { records: 'x', deadletter: 'x' } },
      'Kafka bus option topics names the same topic twice',
    ],
    ['0 partitions', { partitions: 0 }, 'Kafka bus option partitions must be a positive integer, not 0'],
    [
      'a fractional writer version',
      { writerVersions: { submissions: 1.5 } },
      'Kafka bus option writerVersions.submissions must be a positive integer, not 1.5',
    ],
    [
      'a CA that is not PEM text',
      { ssl: { ca: '/etc/kafka/ca.pem' } },
      "Kafka bus option ssl.ca holds no PEM certificate (-----BEGIN CERTIFICATE-----); pass the file's text, not its name",
    ],
    [
      'an unknown SASL mechanism',
      { sasl: { mechanism: 'gssapi' as 'plain', username: 'u', password: 'p' } },
      'Kafka bus option sasl.mechanism must be one of plain, scram-sha-256, scram-sha-512, not "gssapi"',
    ],
    [
      'an empty SASL username',
      { sasl: { mechanism: 'plain', username: '', password: 'p' } },
      'Kafka bus option sasl.username is empty',
    ],
    [
      'an empty SASL password',
      { sasl: { mechanism: 'plain', username: 'u', password: '' } },
      'Kafka bus option sasl.password is empty',
    ],
    [
      'an empty registry password',
      { registryAuth: { username: 'u', password: '' } },
      'Kafka bus option registryAuth.password is empty',
    ],
    [
      'a retention of 0',
      { submissionsRetentionMs: 0 },
      'Kafka bus option submissionsRetentionMs must be a positive integer, not 0',
    ],
    [
      'a heartbeat slower than the session',
      { consumer: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 6000 } },
      'Kafka bus option consumer.heartbeatIntervalMs must be below sessionTimeoutMs',
    ],
  ])('refuses %s', (_what, overrides, message) => {
    const error = failure({ ...base, ...overrides });
    expect(error).toBeInstanceOf(MosyError);
    expect(error).toMatchObject({ code: 'invalid-request', message });
  });
});
