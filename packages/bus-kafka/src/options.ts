/**
 * The options of the Kafka event bus and their defaults, checked once at start so that a bad value fails fast with
 * a clear message instead of surfacing later as a broker error. Everything else in the package reads the resolved
 * `KafkaBusConfig`, never the raw options.
 */
import { DEFAULT_DEAD_LETTER_STAGES, MosyError } from '@mosy/core';
import type { DeadLetter, Topic } from '@mosy/core';

/** A pino-compatible logger: `(fields, message)`. Only metadata is logged, never a message's content. */
export interface KafkaBusLogger {
  error(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
}

/** The physical Kafka topic of each logical topic. */
export type TopicNames = Readonly<Record<Topic, string>>;

/** Timing of the consumer groups. Kafka bounds `sessionTimeoutMs` by the broker's group.min/max.session.timeout.ms. */
export interface KafkaConsumerTiming {
  /** A member that sends no heartbeat for this long is removed from its group. @defaultValue 30_000 */
  readonly sessionTimeoutMs?: number;
  /** How long the group waits for every member to rejoin during a rebalance. @defaultValue 60_000 */
  readonly rebalanceTimeoutMs?: number;
  /** Interval of heartbeats, also sent while a handler runs and while a failed batch waits to be retried. @defaultValue 3_000 */
  readonly heartbeatIntervalMs?: number;
  /** Longest wait of a fetch for new messages; an idle consumer is still woken as soon as one arrives. @defaultValue 1_000 */
  readonly maxWaitTimeMs?: number;
  /**
   * How many of a member's partitions are handled at once: the batches of one fetch go to the handler side by side
   * (each partition's still one after the other), so one partition's publish or store write overlaps another's
   * work instead of the fetch's batches queueing behind each other. @defaultValue 6
   */
  readonly partitionsConsumedConcurrently?: number;
}

/** SASL mechanisms of the brokers that the bus speaks (kafkajs's built-in ones, without AWS IAM and OAuth). */
export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export const SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/** SASL credentials for the brokers. Secret: never logged. */
export interface KafkaSaslOptions {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

/** Basic-auth credentials for the schema registry. Secret: never logged. */
export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
}

export interface KafkaEventBusOptions {
  /** Bootstrap brokers, `host:port`. Use `127.0.0.1`, not `localhost`, for the local services. */
  readonly brokers: readonly string[];
  /** Names this process to the brokers and the schema registry (logs, quotas). */
  readonly clientId: string;
  /** Base URL of the Confluent-compatible schema registry API, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  readonly registryUrl: string;
  /**
   * TLS to the brokers: `true` verifies them against Node's default CAs; `{ ca }` against that CA only (PEM text of
   * one or more certificates, not a file name). The registry's TLS follows its URL's scheme. @defaultValue false
   */
  readonly ssl?: boolean | { readonly ca?: string };
  /**
   * SASL authentication to the brokers. Combine it with `ssl` unless the network is private: without TLS the
   * password of `plain` crosses the network in clear. @defaultValue none
   */
  readonly sasl?: KafkaSaslOptions;
  /** Basic authentication to the schema registry. @defaultValue none */
  readonly registryAuth?: RegistryAuth;
  /** Physical topic names. @defaultValue `mosy.submissions.v1`, `mosy.records.v1`, `mosy.deadletter.v1`, `mosy.linkage.v1` */
  readonly topics?: Partial<TopicNames>;
  /** Partitions of a topic that `ensureTopics` creates: the most consumers a group can spread over. @defaultValue 6 */
  readonly partitions?: number;
  /** Replicas of a topic that `ensureTopics` creates; 3 in production. @defaultValue 1 */
  readonly replicationFactor?: number;
  /**
   * `retention.ms` of the submissions topic when `ensureTopics` creates it. That topic carries personal identity
   * until the normalizer has pseudonymised it, so it keeps messages only as long as a stalled normalizer may need
   * to catch up. @defaultValue 7 days (604_800_000)
   */
  readonly submissionsRetentionMs?: number;
  /**
   * The schema version each topic is written with (`schemas/avro/<subject>/v<N>.avsc`); readers always decode into
   * the latest. Lets an old producer run beside a new one during a rolling upgrade. @defaultValue the latest of each
   */
  readonly writerVersions?: Partial<Record<Topic, number>>;
  /**
   * The `stage` of the dead letters written when a consumer of a topic gives up on a batch. The dead-letter topic
   * has no stage: a consumer of it that fails for good logs and skips the batch. @defaultValue submissions:
   * `normalizer`, records: `aggregator`
   */
  readonly deadLetterStages?: Partial<Record<Topic, DeadLetter['stage']>>;
  /**
   * Told about the dead letters a consumer wrote (undecodable messages, a batch that failed for good), once they are
   * on the dead-letter topic: the services mark their record versions in the intake ledger. Rejecting has the chunk
   * delivered again. @defaultValue none
   */
  readonly onDeadLetters?: (letters: readonly DeadLetter[]) => Promise<void>;
  /** Consumer group timing; tests lower it to join and rebalance in a second or two. */
  readonly consumer?: KafkaConsumerTiming;
  /** Delay before a batch whose handler failed is delivered again; doubled on each failure. @defaultValue 200 */
  readonly retryInitialMs?: number;
  /** Cap of that delay. @defaultValue 30_000 */
  readonly retryMaxMs?: number;
  /** A publish is sent in requests of at most this many bytes (the broker refuses batches over ~1 MiB). @defaultValue 900_000 */
  readonly maxRequestBytes?: number;
  /**
   * How often a produce request is retried on a retriable broker error before `publish` rejects (with a
   * retriable MosyError); kafkajs backs off exponentially up to 30 s between tries. @defaultValue 8
   */
  readonly publishRetries?: number;
  /**
   * Longest wait for a publish to be acknowledged, or for the brokers to answer a lag query; after it the call
   * rejects with a retriable `unavailable`, so a caller (an HTTP request) never hangs on a broker that is down. A
   * request already sent may still be written later (at least once: the caller must treat the publish as not done,
   * and may send it again). @defaultValue 10_000
   */
  readonly publishTimeoutMs?: number;
  /**
   * Bytes of publishes waiting behind the one in flight, at most; a publish that would go beyond is refused at once
   * with `unavailable`, so a broker that is down cannot make the process queue without bound. @defaultValue 64 MiB
   */
  readonly maxQueuedBytes?: number;
  /** Where kafkajs's and the bus's own logs go. @defaultValue nowhere */
  readonly logger?: KafkaBusLogger;
  /** The least severe kafkajs log passed to `logger`. @defaultValue 'warn' */
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

/** The options with every default applied. */
export interface KafkaBusConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly registryUrl: string;
  /** `false`, or TLS with the CA (if any) to verify the brokers against. */
  readonly ssl: false | { readonly ca?: string };
  readonly sasl: KafkaSaslOptions | undefined;
  readonly registryAuth: RegistryAuth | undefined;
  readonly topics: TopicNames;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly submissionsRetentionMs: number;
  readonly writerVersions: Partial<Record<Topic, number>>;
  readonly deadLetterStages: Partial<Record<Topic, DeadLetter['stage']>>;
  readonly consumer: Required<KafkaConsumerTiming>;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly maxRequestBytes: number;
  readonly publishRetries: number;
  readonly publishTimeoutMs: number;
  readonly maxQueuedBytes: number;
  readonly logger: KafkaBusLogger | undefined;
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
}

/** Every logical topic, in a fixed order. */
export const TOPICS: readonly Topic[] = ['submissions', 'records', 'deadletter', 'linkage'];

export const DEFAULT_TOPIC_NAMES: TopicNames = {
  submissions: 'mosy.submissions.v1',
  records: 'mosy.records.v1',
  deadletter: 'mosy.deadletter.v1',
  linkage: 'mosy.linkage.v1',
};

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
// Kafka's own limit on topic names.
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MosyError(
      'invalid-request',
      `Kafka bus option ${name} must be a positive integer, not ${value}`,
    );
  }
  return value;
}

// A file name where the certificate itself is expected is the likely mistake; TLS would fail later and vaguely.
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;

function resolveSsl(ssl: KafkaEventBusOptions['ssl']): KafkaBusConfig['ssl'] {
  if (ssl === undefined || ssl === false) return false;
  if (ssl === true || ssl.ca === undefined) return {};
  if (!PEM_CERTIFICATE.test(ssl.ca)) {
    throw new MosyError(
      'invalid-request',
      "Kafka bus option ssl.ca holds no PEM certificate (-----BEGIN CERTIFICATE-----); pass the file's text, not its name",
    );
  }
  return { ca: ssl.ca };
}

// The messages name the option only: a value may be a secret.
function credentials(name: string, given: RegistryAuth): RegistryAuth {
  if (given.username === '')
    throw new MosyError('invalid-request', `Kafka bus option ${name}.username is empty`);
  if (given.password === '')
    throw new MosyError('invalid-request', `Kafka bus option ${name}.password is empty`);
  return { username: given.username, password: given.password };
}

function resolveSasl(sasl: KafkaSaslOptions): KafkaSaslOptions {
  if (!SASL_MECHANISMS.includes(sasl.mechanism)) {
    throw new MosyError(
      'invalid-request',
      `Kafka bus option sasl.mechanism must be one of ${SASL_MECHANISMS.join(', ')}, not "${String(sasl.mechanism)}"`,
    );
  }
  return { mechanism: sasl.mechanism, ...credentials('sasl', sasl) };
}

/** Applies the defaults and validates; throws a MosyError `invalid-request` naming the bad option. */
export function resolveConfig(options: KafkaEventBusOptions): KafkaBusConfig {
  if (options.brokers.length === 0)
    throw new MosyError('invalid-request', 'Kafka bus option brokers is empty');
  if (options.clientId === '') throw new MosyError('invalid-request', 'Kafka bus option clientId is empty');
  if (!/^https?:\/\//.test(options.registryUrl)) {
    throw new MosyError(
      'invalid-request',
      `Kafka bus option registryUrl is not an http(s) URL: "${options.registryUrl}"`,
    );
  }
  const topics = { ...DEFAULT_TOPIC_NAMES, ...options.topics };
  for (const topic of TOPICS) {
    if (!TOPIC_NAME.test(topics[topic])) {
      throw new MosyError(
        'invalid-request',
        `Kafka bus option topics.${topic} is not a valid topic name: "${topics[topic]}"`,
      );
    }
  }
  if (new Set(TOPICS.map((t) => topics[t])).size !== TOPICS.length) {
    throw new MosyError('invalid-request', 'Kafka bus option topics names the same topic twice');
  }
  const timing = options.consumer ?? {};
  const consumer = {
    sessionTimeoutMs: positiveInteger('consumer.sessionTimeoutMs', timing.sessionTimeoutMs ?? 30_000),
    rebalanceTimeoutMs: positiveInteger('consumer.rebalanceTimeoutMs', timing.rebalanceTimeoutMs ?? 60_000),
    heartbeatIntervalMs: positiveInteger('consumer.heartbeatIntervalMs', timing.heartbeatIntervalMs ?? 3_000),
    maxWaitTimeMs: positiveInteger('consumer.maxWaitTimeMs', timing.maxWaitTimeMs ?? 1_000),
    partitionsConsumedConcurrently: positiveInteger(
      'consumer.partitionsConsumedConcurrently',
      timing.partitionsConsumedConcurrently ?? 6,
    ),
  };
  if (consumer.heartbeatIntervalMs >= consumer.sessionTimeoutMs) {
    throw new MosyError(
      'invalid-request',
      'Kafka bus option consumer.heartbeatIntervalMs must be below sessionTimeoutMs',
    );
  }
  const writerVersions = options.writerVersions ?? {};
  for (const topic of TOPICS) {
    const version = writerVersions[topic];
    if (version !== undefined) positiveInteger(`writerVersions.${topic}`, version);
  }
  return {
    brokers: [...options.brokers],
    clientId: options.clientId,
    registryUrl: options.registryUrl.replace(/\/+$/, ''),
    ssl: resolveSsl(options.ssl),
    sasl: options.sasl && resolveSasl(options.sasl),
    registryAuth: options.registryAuth && credentials('registryAuth', options.registryAuth),
    topics,
    partitions: positiveInteger('partitions', options.partitions ?? 6),
    replicationFactor: positiveInteger('replicationFactor', options.replicationFactor ?? 1),
    submissionsRetentionMs: positiveInteger(
      'submissionsRetentionMs',
      options.submissionsRetentionMs ?? SEVEN_DAYS_MS,
    ),
    writerVersions,
    deadLetterStages: { ...DEFAULT_DEAD_LETTER_STAGES, ...options.deadLetterStages },
    consumer,
    retryInitialMs: positiveInteger('retryInitialMs', options.retryInitialMs ?? 200),
    retryMaxMs: positiveInteger('retryMaxMs', options.retryMaxMs ?? 30_000),
    maxRequestBytes: positiveInteger('maxRequestBytes', options.maxRequestBytes ?? 900_000),
    publishRetries: positiveInteger('publishRetries', options.publishRetries ?? 8),
    publishTimeoutMs: positiveInteger('publishTimeoutMs', options.publishTimeoutMs ?? 10_000),
    maxQueuedBytes: positiveInteger('maxQueuedBytes', options.maxQueuedBytes ?? 64 * 1024 * 1024),
    logger: options.logger,
    logLevel: options.logLevel ?? 'warn',
  };
}
