/**
 * Shared by the integration tests (not part of the build): where the local services are, consumer timing low
 * enough that a group joins and rebalances in about a second, and a bus on fresh random topics that are deleted,
 * with their registry subjects, afterwards. The services' addresses come from the environment with the
 * deploy/local defaults; tests fail, not skip, when the services cannot be reached.
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { createKafkaEventBus } from './kafka-event-bus.js';
import type { KafkaEventBus } from './kafka-event-bus.js';
import type { KafkaConsumerTiming, KafkaEventBusOptions, TopicNames } from './options.js';
import { valueSubject } from './schema-registry.js';

export const brokers = (process.env.MOSY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const registryUrl = process.env.MOSY_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

/** The local broker's SASL_PLAINTEXT listener (SASL/PLAIN), and its one user: a local test credential. */
export const saslBrokers = (process.env.MOSY_LOCAL_SASL_BROKERS ?? '127.0.0.1:9094').split(',');
export const saslUser = {
  username: process.env.MOSY_LOCAL_SASL_USERNAME ?? 'mosy',
  password: process.env.MOSY_LOCAL_SASL_PASSWORD ?? 'mosy-local-test-only',
};

/** 6 s is the broker's smallest session timeout (group.min.session.timeout.ms). */
export const fastConsumer: KafkaConsumerTiming = {
  sessionTimeoutMs: 6_000,
  rebalanceTimeoutMs: 10_000,
  heartbeatIntervalMs: 300,
  maxWaitTimeMs: 250,
};

/** Physical names for a test of their own: `test-<uuid>.<topic>`. */
export function randomTopics(): TopicNames {
  const run = `test-${randomUUID()}`;
  return {
    submissions: `${run}.submissions`,
    records: `${run}.records`,
    deadletter: `${run}.deadletter`,
    linkage: `${run}.linkage`,
  };
}

/** Options for a bus on `topics` against the local services; `overrides` win. */
export function testOptions(
  topics: TopicNames,
  overrides: Partial<KafkaEventBusOptions> = {},
): KafkaEventBusOptions {
  return {
    brokers,
    registryUrl,
    clientId: 'mosy-bus-kafka-test',
    topics,
    partitions: 6,
    consumer: fastConsumer,
    retryInitialMs: 50,
    retryMaxMs: 1_000,
    ...overrides,
  };
}

/** A raw kafkajs client on the local broker, for what the bus does not do (bad bytes, deleting topics). */
export const rawKafka = (): InstanceType<typeof kafkajs.Kafka> =>
  new kafkajs.Kafka({ clientId: 'mosy-bus-kafka-test-raw', brokers, logLevel: kafkajs.logLevel.NOTHING });

/** Deletes topics and their value subjects; failures are ignored (the services may be what a test broke). */
export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const admin = rawKafka().admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 10_000 });
  } catch {
    // best effort
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  for (const topic of topics) {
    const subject = `${registryUrl}/subjects/${encodeURIComponent(valueSubject(topic))}`;
    await fetch(subject, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${subject}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
  }
}

/** A bus on fresh topics (created), and a close that also deletes them. */
export async function createTestBus(overrides: Partial<KafkaEventBusOptions> = {}): Promise<{
  readonly bus: KafkaEventBus;
  readonly topics: TopicNames;
  readonly close: () => Promise<void>;
}> {
  const topics = overrides.topics ? { ...randomTopics(), ...overrides.topics } : randomTopics();
  const bus = await createKafkaEventBus(testOptions(topics, overrides));
  await bus.ensureTopics();
  return {
    bus,
    topics,
    close: async () => {
      await bus.close();
      await deleteTopics(Object.values(topics));
    },
  };
}
