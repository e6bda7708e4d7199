/**
 * The distributed baseline: raw kafkajs on the same broker, a topic with the same number of partitions, messages of
 * the size the submissions topic carried in the same run, sent as ingest sends (idempotent producer, acks from all
 * in-sync replicas, requests kept under the broker's size limit, `inFlight` publishes of `requestSize` at once) and
 * read by one consumer; the figure is messages per second from the first send to the last message read. The topics
 * and groups it makes are removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { now, pool } from './stats.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

/** Produce requests stay under this many bytes (the broker's default limit is 1 MiB). */
const MAX_REQUEST_BYTES = 800_000;

function kafka(brokers: string) {
  return new Kafka({ clientId: 'mosy-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Mean size in bytes of the values of up to `limit` messages of a topic, read from its beginning. */
export async function meanMessageBytes(brokers: string, topic: string, group: string, limit = 5000) {
  const consumer = kafka(brokers).consumer({ groupId: group });
  await consumer.connect();
  let bytes = 0;
  let count = 0;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done) => {
      // A topic with fewer messages than the limit is read for 15 s.
      const timer = setTimeout(done, 15_000);
      void consumer.run({
        eachBatch: ({ batch }) => {
          for (const m of batch.messages) {
            if (count >= limit) break;
            bytes += m.value?.length ?? 0;
            count++;
          }
          if (count >= limit) {
            clearTimeout(timer);
            done();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
    const admin = kafka(brokers).admin();
    await admin.connect();
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
  if (count === 0) throw new Error(`no message read from ${topic}`);
  return Math.round(bytes / count);
}

export interface RawKafkaResult {
  readonly messages: number;
  readonly messageBytes: number;
  readonly partitions: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
}

export async function rawKafka(options: {
  readonly brokers: string;
  readonly topic: string;
  readonly partitions: number;
  readonly messages: number;
  readonly messageBytes: number;
  readonly requestSize: number;
  readonly inFlight: number;
}): Promise<RawKafkaResult> {
  const client = kafka(options.brokers);
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: options.topic, numPartitions: options.partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const group = `${options.topic}-group`;
  const producer = client.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = client.consumer({ groupId: group });
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    const payload = randomBytes(options.messageBytes);
    let read = 0;
    let started = 0;
    const allRead = new Promise<number>((done) => {
      void consumer.run({
        eachBatch: async (payload) => {
          read += payload.batch.messages.length;
          payload.resolveOffset(payload.batch.lastOffset());
          await payload.heartbeat();
          if (read >= options.messages) done(now());
        },
      });
    });
    // Let the consumer join its group before the clock starts.
    await new Promise((done) => setTimeout(done, 3000));
    const publishes: number[] = [];
    for (let i = 0; i < options.messages; i += options.requestSize)
      publishes.push(Math.min(options.requestSize, options.messages - i));
    let sent = 0;
    const perRequest = Math.max(1, Math.floor(MAX_REQUEST_BYTES / (options.messageBytes + 64)));
    started = now();
    await pool(publishes, options.inFlight, async (count) => {
      const first = sent;
      sent += count;
      for (let i = 0; i < count; i += perRequest) {
        const messages = Array.from({ length: Math.min(perRequest, count - i) }, (_, j) => ({
          key: `bench/${first + i + j}`,
          value: payload,
        }));
        await producer.send({ topic: options.topic, acks: -1, messages });
      }
    });
    const finished = await allRead;
    const seconds = (finished - started) / 1000;
    return {
      messages: options.messages,
      messageBytes: options.messageBytes,
      partitions: options.partitions,
      seconds,
      messagesPerSecond: Math.round(options.messages / seconds),
    };
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [options.topic] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
}
