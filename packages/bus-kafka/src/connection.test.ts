import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import kafkajs from 'kafkajs';
import { kafkaConfig, kafkaError, kafkaLogCreator } from './connection.js';
import { resolveConfig } from './options.js';
import type { KafkaEventBusOptions } from './options.js';

const {
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSConnectionError,
  KafkaJSProtocolError,
  logLevel,
} = kafkajs;
// kafkajs's typings leave out the message its constructor takes.
const KafkaJSSASLAuthenticationError = kafkajs.KafkaJSSASLAuthenticationError as unknown as new (
  message: string,
) => Error;

describe('kafkaConfig', () => {
  const base: KafkaEventBusOptions = {
    brokers: ['b1:9093', 'b2:9093'],
    clientId: 'ingest',
    registryUrl: 'https://registry:8443/apis/ccompat/v7',
  };
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('connects in plain text without credentials by default', () => {
    const config = kafkaConfig(resolveConfig(base));
    expect(config).toMatchObject({ clientId: 'ingest', brokers: ['b1:9093', 'b2:9093'] });
    expect('ssl' in config).toBe(false);
    expect('sasl' in config).toBe(false);
  });

  it('passes TLS to kafkajs: true for the default CAs, the CA as the only one to trust', () => {
    expect(kafkaConfig(resolveConfig({ ...base, ssl: true })).ssl).toBe(true);
    expect(kafkaConfig(resolveConfig({ ...base, ssl: { ca } })).ssl).toEqual({ ca: [ca] });
  });

  it('passes SASL to kafkajs as a fresh object', () => {
    const sasl = { mechanism: 'scram-sha-256', username: 'mosy', password: 'pw' } as const;
    const config = kafkaConfig(resolveConfig({ ...base, ssl: { ca }, sasl }));
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'mosy', password: 'pw' });
    expect(config.sasl).not.toBe(sasl);
    expect(config.ssl).toEqual({ ca: [ca] });
  });
});

describe('kafkaError', () => {
  it('makes a retriable kafkajs error unavailable and retriable', () => {
    const error = kafkaError(new KafkaJSError('leader moved'), 'publishing 3 messages to t');
    expect(error).toMatchObject({
      code: 'unavailable',
      retriable: true,
      message: 'publishing 3 messages to t failed: leader moved',
    });
  });

  it('makes kafkajs giving up after its retries, and connection failures, unavailable', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(new KafkaJSError('timeout'), {
      retryCount: 8,
      retryTime: 30_000,
    });
    expect(kafkaError(exhausted, 'x')).toMatchObject({ code: 'unavailable', retriable: true });
    expect(kafkaError(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), 'x')).toMatchObject({
      code: 'unavailable',
      retriable: true,
    });
  });

  it('makes a batch the broker refuses for its size payload-too-large, not retriable', () => {
    const tooLarge = Object.assign(
      new KafkaJSProtocolError('The request included a message larger than the max message size'),
      {
        type: 'MESSAGE_TOO_LARGE',
        retriable: false,
      },
    );
    expect(kafkaError(tooLarge, 'x')).toMatchObject({ code: 'payload-too-large', retriable: false });
  });

  it('makes refused SASL credentials unauthenticated, not retriable', () => {
    const refused = new KafkaJSSASLAuthenticationError(
      'SASL PLAIN authentication failed: Authentication failed: Invalid username or password',
    );
    expect(kafkaError(refused, 'connecting to Kafka at b:9094')).toMatchObject({
      code: 'unauthenticated',
      retriable: false,
      message:
        'connecting to Kafka at b:9094 failed: the brokers refused the SASL authentication (SASL PLAIN ' +
        'authentication failed: Authentication failed: Invalid username or password)',
    });
    const protocol = Object.assign(new KafkaJSProtocolError('Authentication failed'), {
      type: 'SASL_AUTHENTICATION_FAILED',
    });
    expect(kafkaError(protocol, 'x')).toMatchObject({ code: 'unauthenticated', retriable: false });
  });

  it('makes any other failure internal and passes a MosyError through', () => {
    expect(kafkaError(new KafkaJSNonRetriableError('bad config'), 'x')).toMatchObject({
      code: 'internal',
      retriable: false,
    });
    expect(kafkaError('a string', 'x')).toMatchObject({ code: 'internal', message: 'x failed: a string' });
    const mosy = new MosyError('conflict', 'c');
    expect(kafkaError(mosy, 'x')).toBe(mosy);
  });
});

describe('kafkaLogCreator', () => {
  it('passes kafkajs entries to the pino-style logger at their level, fields first', () => {
    const calls: [string, object, string | undefined][] = [];
    const record = (level: string) => (fields: object, message?: string) =>
      void calls.push([level, fields, message]);
    const log = kafkaLogCreator({
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: record('debug'),
    })(logLevel.DEBUG);
    const entry = (level: number, message: string, extra: object = {}) => ({
      namespace: 'Consumer',
      level,
      label: 'X',
      log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra },
    });
    log(entry(logLevel.ERROR, 'Crash', { groupId: 'g' }));
    log(entry(logLevel.WARN, 'Rebalancing'));
    log(entry(logLevel.INFO, 'Starting', { groupId: 'g' }));
    log(entry(logLevel.DEBUG, 'Fetch'));
    expect(calls).toEqual([
      ['error', { component: 'kafkajs', namespace: 'Consumer', groupId: 'g' }, 'Crash'],
      ['warn', { component: 'kafkajs', namespace: 'Consumer' }, 'Rebalancing'],
      ['info', { component: 'kafkajs', namespace: 'Consumer', groupId: 'g' }, 'Starting'],
      ['debug', { component: 'kafkajs', namespace: 'Consumer' }, 'Fetch'],
    ]);
  });
});
