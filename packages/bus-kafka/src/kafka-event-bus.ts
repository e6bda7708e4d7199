/**
 * `KafkaEventBus`: the EventBus port on Apache Kafka, for the distributed deployment. Composes the pieces of this
 * package: the kafkajs client, Avro codecs whose writer schemas are registered at start, one idempotent producer,
 * a consumer-group member per `consume`, an admin client for topics and lag. Instances in one group split a topic's
 * partitions; delivery is at least once, in order per key.
 */
import { MosyError } from '@mosy/core';
import type { DeadLetter, EventBus, OutgoingMessage, Subscription, Topic, TopicPayloads } from '@mosy/core';
import type { Admin } from 'kafkajs';
import { createTopicCodec } from './avro-codec.js';
import type { TopicCodec } from './avro-codec.js';
import { createKafka, kafkaError } from './connection.js';
import { checkMaxBatch, startGroupConsumer } from './consumer.js';
import { groupLag } from './lag.js';
import { TOPICS, resolveConfig } from './options.js';
import type { KafkaEventBusOptions, TopicNames } from './options.js';
import { connectPublisher } from './producer.js';
import type { Publisher } from './producer.js';
import { createSchemaRegistryClient } from './schema-registry.js';
import { ensureTopics } from './topics.js';

/** The EventBus port on Kafka, plus topic creation. */
export interface KafkaEventBus extends EventBus {
  /**
   * Creates the bus's topics that are missing, with the configured partitions, replication and (for submissions)
   * retention; idempotent, safe from several processes. A deployment calls it once before the services start.
   */
  ensureTopics(): Promise<void>;
  /** The physical topic of each logical topic. */
  readonly topics: TopicNames;
}

const DEFAULT_MAX_BATCH = 1000;

const closedError = (): MosyError =>
  new MosyError('unavailable', 'the event bus is closed', { retriable: false });

type Codecs = { readonly [T in Topic]: TopicCodec<TopicPayloads[T]> };

/**
 * Connects to the brokers and the schema registry and returns the bus. Registers the writer schema of each topic
 * (`<topic>-value`, compatibility BACKWARD) first, so a schema the registry refuses fails the start with a
 * MosyError `conflict`; a broker or registry that cannot be reached fails it with `unavailable`. Topics are not
 * created here: call `ensureTopics()`.
 */
export async function createKafkaEventBus(options: KafkaEventBusOptions): Promise<KafkaEventBus> {
  const config = resolveConfig(options);
  const kafka = createKafka(config);
  const registry = createSchemaRegistryClient(config.registryUrl, config.clientId, config.registryAuth);
  const codecOf = async <T extends Topic>(topic: T): Promise<TopicCodec<TopicPayloads[T]>> => {
    const writerVersion = config.writerVersions[topic];
    return createTopicCodec({
      topic,
      physicalTopic: config.topics[topic],
      registry,
      ...(writerVersion === undefined ? {} : { writerVersion }),
    });
  };
  const codecs: Codecs = {
    submissions: await codecOf('submissions'),
    records: await codecOf('records'),
    deadletter: await codecOf('deadletter'),
    linkage: await codecOf('linkage'),
  };

  const admin: Admin = kafka.admin();
  let publisher: Publisher | undefined;
  try {
    await admin.connect();
    publisher = await connectPublisher(kafka, config);
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw kafkaError(error, `connecting to Kafka at ${config.brokers.join(',')}`);
  }
  const producer = publisher;

  const subscriptions = new Set<Subscription>();
  const inFlight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const ensureOpen = (): void => {
    if (closing) throw closedError();
  };
  const checkTopic = (topic: Topic): void => {
    if (!TOPICS.includes(topic)) throw new MosyError('invalid-request', `unknown topic "${String(topic)}"`);
  };

  /** Publishes without the closed check: consumers dead-letter their batch in hand while the bus closes. */
  function send<T extends Topic>(
    topic: T,
    messages: readonly OutgoingMessage<TopicPayloads[T]>[],
  ): Promise<void> {
    const codec = codecs[topic] as TopicCodec<TopicPayloads[T]>;
    // Every message is encoded before anything is sent: one that does not fit the schema fails the whole publish.
    const values = codec.encodeAll(messages.map((m) => m.value));
    const encoded = messages.map((m, i) => ({ key: m.key, value: values[i]! }));
    const sending = producer.send(config.topics[topic], encoded);
    inFlight.add(sending);
    return sending.finally(() => inFlight.delete(sending));
  }

  return {
    topics: config.topics,

    ensureTopics() {
      return ensureTopics(admin, config);
    },

    async publish(topic, messages) {
      ensureOpen();
      checkTopic(topic);
      if (messages.length === 0) return;
      await send(topic, messages);
    },

    async consume(topic, group, handler, consumeOptions = {}) {
      ensureOpen();
      checkTopic(topic);
      const maxBatch = checkMaxBatch(consumeOptions.maxBatch ?? DEFAULT_MAX_BATCH);
      const member = await startGroupConsumer({
        kafka,
        config,
        topic,
        group,
        codec: codecs[topic],
        handler,
        maxBatch,
        ...(consumeOptions.onAssigned === undefined ? {} : { onAssigned: consumeOptions.onAssigned }),
        deadLetter: async (letters: readonly OutgoingMessage<DeadLetter>[]) => {
          await send('deadletter', letters);
          await options.onDeadLetters?.(letters.map((letter) => letter.value));
        },
      });
      let stopping: Promise<void> | undefined;
      const subscription: Subscription = {
        stop() {
          stopping ??= member.stop().finally(() => subscriptions.delete(subscription));
          return stopping;
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async lag(topic, group) {
      ensureOpen();
      checkTopic(topic);
      // kafkajs's admin retries for minutes while the brokers are down; a status request must not wait that long.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new MosyError(
                'unavailable',
                `reading the lag of group ${group} on ${config.topics[topic]}: no answer from Kafka within ${config.publishTimeoutMs} ms`,
              ),
            ),
          config.publishTimeoutMs,
        );
      });
      const reading = groupLag(admin, config.topics[topic], group);
      reading.catch(() => undefined);
      try {
        return await Promise.race([reading, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },

    close() {
      closing ??= (async () => {
        await Promise.allSettled([...subscriptions].map((s) => s.stop()));
        await Promise.allSettled([...inFlight]);
        await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      })();
      return closing;
    },
  };
}
