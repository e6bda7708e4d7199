import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import kafkajs from 'kafkajs';
import { kafkaError, kafkaLogCreator } from './connection.js';

const {
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSConnectionError,
  KafkaJSProtocolError,
  logLevel,
} = kafkajs;

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
