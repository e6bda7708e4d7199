/**
 * The kafkajs client of one bus: brokers, client id, retry policy, and kafkajs's logs mapped onto the bus's
 * pino-compatible logger. Also the one place that turns kafkajs errors into MosyErrors, so that callers of the bus
 * only ever ask `retriable`: a broker that is down or a leader that moved is `unavailable` (retry), a message the
 * broker will never take is not.
 */
import { MosyError } from '@mosy/core';
import kafkajs from 'kafkajs';
import type { Kafka, KafkaConfig, LogEntry, SASLOptions, logCreator } from 'kafkajs';
import type { KafkaBusConfig, KafkaBusLogger } from './options.js';

const { Kafka: KafkaClient, logLevel: LogLevel } = kafkajs;

const LEVELS = {
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
} as const;

/**
 * A kafkajs `logCreator` writing to `logger`: the entry's message as the log message, its namespace and extra
 * fields (broker, group, topic, partition, error) as fields. kafkajs logs protocol metadata, never message values.
 */
export function kafkaLogCreator(logger: KafkaBusLogger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _source, ...extra } = log;
      const fields = { component: 'kafkajs', namespace, ...extra };
      if (level <= LogLevel.ERROR) logger.error(fields, message);
      else if (level === LogLevel.WARN) logger.warn(fields, message);
      else if (level === LogLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}

/** The kafkajs client configuration for `config`. */
export function kafkaConfig(config: KafkaBusConfig): KafkaConfig {
  const { ssl, sasl } = config;
  return {
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: config.logger ? LEVELS[config.logLevel] : LogLevel.NOTHING,
    ...(config.logger ? { logCreator: kafkaLogCreator(config.logger) } : {}),
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 300, retries: 8 },
    // Node's `ca` replaces its default CAs rather than adding to them: brokers with a private CA need only it.
    ...(ssl === false ? {} : { ssl: ssl.ca === undefined ? true : { ca: [ssl.ca] } }),
    // A fresh object: kafkajs stores its authenticator on the object it is given. kafkajs types each mechanism as an
    // intersection, which TypeScript does not narrow by `mechanism`.
    ...(sasl ? { sasl: { ...sasl } as SASLOptions } : {}),
  };
}

/** The kafkajs client for `config`; connects nothing yet. */
export function createKafka(config: KafkaBusConfig): Kafka {
  return new KafkaClient(kafkaConfig(config));
}

interface KafkaJsErrorShape {
  readonly name?: string;
  readonly type?: string;
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

const shapeOf = (error: unknown): KafkaJsErrorShape =>
  typeof error === 'object' && error !== null ? error : {};

function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10 && shapeOf(current).cause !== undefined; depth++)
    current = shapeOf(current).cause;
  return current;
}

const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

// kafkajs's own check of the credentials, and the broker's refusal of them.
const isAuthenticationFailure = (shape: KafkaJsErrorShape): boolean =>
  shape.name === 'KafkaJSSASLAuthenticationError' || shape.type === 'SASL_AUTHENTICATION_FAILED';

/**
 * A MosyError for a kafkajs failure of `what` (e.g. `publishing to mosy.records.v1`): `unauthenticated` when the
 * brokers refused the SASL authentication (wrong credentials or mechanism: not retriable), `unavailable` and
 * retriable when kafkajs deems the failure transient (also once its own retries ran out), `payload-too-large` when
 * the broker refused the size of a batch, else `internal`. A MosyError passes through unchanged.
 */
export function kafkaError(error: unknown, what: string): MosyError {
  if (error instanceof MosyError) return error;
  const shape = shapeOf(error);
  const cause = shapeOf(rootCause(error));
  const detail = error instanceof Error ? error.message : String(error);
  if (isAuthenticationFailure(shape) || isAuthenticationFailure(cause)) {
    return new MosyError(
      'unauthenticated',
      `${what} failed: the brokers refused the SASL authentication (${detail})`,
      { cause: error },
    );
  }
  if (TOO_LARGE.has(cause.type ?? '') || TOO_LARGE.has(shape.type ?? '')) {
    return new MosyError('payload-too-large', `${what} failed: ${detail}`, { cause: error });
  }
  const transient =
    shape.retriable === true ||
    cause.retriable === true ||
    shape.name === 'KafkaJSNumberOfRetriesExceeded' ||
    (shape.name ?? '').startsWith('KafkaJSConnection') ||
    (cause.name ?? '').startsWith('KafkaJSConnection');
  return transient
    ? new MosyError('unavailable', `${what} failed: ${detail}`, { cause: error })
    : new MosyError('internal', `${what} failed: ${detail}`, { cause: error });
}
