/**
 * Throughput of the Kafka bus on this machine against raw kafkajs; not run by the tests. Both runs move `N`
 * submission messages through a fresh 6-partition topic on the local broker, end to end: publish in batches of
 * 1000 (two publishes in flight, as ingest has when requests arrive together) while one consumer group consumes.
 * Raw kafkajs sends pre-encoded bytes of the same size as the bus's Avro messages with the same producer settings
 * (idempotent, acks all) and commits after each batch; the bus adds Avro encoding, decoding, registry ids, chunking
 * to maxBatch and a commit per chunk. Runs alternate (raw, bus, raw, bus, ...); prints messages per second of each
 * run and the ratio of the best runs.
 *
 *   node --conditions=@mosy/source --import tsx packages/bus-kafka/bench/throughput.ts [N] [rounds]
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingMessage, SubmissionMessage } from '@mosy/core';
import { buildSubmissionMessage } from '@mosy/testkit';
import kafkajs from 'kafkajs';
import { createTopicCodec } from '../src/avro-codec.js';
import { createKafkaEventBus, createSchemaRegistryClient, valueSubject } from '../src/index.js';
import { waitForLeaders } from '../src/topics.js';

const total = Number(process.argv[2] ?? 50_000);
const BATCH = 1000;
const brokers = (process.env.MOSY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const registryUrl = process.env.MOSY_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const consumerTiming = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxWaitTimeMs: 250 };

const topicsOf = (run: string) => ({
  submissions: `bench-${run}.submissions`,
  records: `bench-${run}.records`,
  deadletter: `bench-${run}.deadletter`,
});

const messages: OutgoingMessage<SubmissionMessage>[] = Array.from({ length: total }, (_, n) => ({
  key: `prov-${n % 7}/r${n}`,
  value: buildSubmissionMessage({
    submissionId: `s${Math.floor(n / BATCH)}`,
    record: {
      recordId: `r${n}`,
      version: 1,
      fields: { sex: 'F', age: n % 90, nationality: ['PT', 'BR'], region: 'PT17' },
    },
  }),
}));

/** Runs `publishBatch` over the batches with two in flight, while `consumed()` counts up; ms end to end. */
async function run(
  publishBatch: (from: number) => Promise<void>,
  consumed: () => number,
): Promise<{ publishMs: number; totalMs: number }> {
  const started = performance.now();
  let next = 0;
  const publisher = async (): Promise<void> => {
    while (next < total) {
      const from = next;
      next += BATCH;
      await publishBatch(from);
    }
  };
  await Promise.all([publisher(), publisher()]);
  const publishMs = performance.now() - started;
  while (consumed() < total) await new Promise((resolve) => setTimeout(resolve, 5));
  return { publishMs, totalMs: performance.now() - started };
}

async function benchBus(): Promise<{ publishMs: number; totalMs: number }> {
  const bus = await createKafkaEventBus({
    brokers,
    registryUrl,
    clientId: 'bench-bus',
    topics: topicsOf(randomUUID()),
    consumer: consumerTiming,
  });
  await bus.ensureTopics();
  let consumed = 0;
  const sub = await bus.consume('submissions', `bench-${randomUUID()}`, (batch) => {
    consumed += batch.length;
    return Promise.resolve();
  });
  try {
    return await run(
      (from) => bus.publish('submissions', messages.slice(from, from + BATCH)),
      () => consumed,
    );
  } finally {
    await sub.stop();
    await deleteTopics(Object.values(bus.topics));
    await bus.close();
  }
}

async function benchRaw(bytes: readonly Buffer[]): Promise<{ publishMs: number; totalMs: number }> {
  const kafka = new kafkajs.Kafka({ clientId: 'bench-raw', brokers, logLevel: kafkajs.logLevel.NOTHING });
  const topic = `bench-${randomUUID()}.raw`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 6, replicationFactor: 1 }],
    waitForLeaders: false,
  });
  await waitForLeaders(admin, [topic]);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const consumer = kafka.consumer({
    groupId: `bench-${randomUUID()}`,
    sessionTimeout: consumerTiming.sessionTimeoutMs,
    heartbeatInterval: consumerTiming.heartbeatIntervalMs,
    maxWaitTimeInMs: consumerTiming.maxWaitTimeMs,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, commitOffsetsIfNecessary }) => {
      consumed += batch.messages.length;
      const next = (BigInt(batch.lastOffset()) + 1n).toString();
      await commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition: batch.partition, offset: next }] }],
      });
    },
  });
  try {
    return await run(
      (from) =>
        producer
          .send({
            topic,
            acks: -1,
            messages: messages
              .slice(from, from + BATCH)
              .map((m, i) => ({ key: m.key, value: bytes[from + i]! })),
          })
          .then(() => undefined),
      () => consumed,
    );
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  }
}

async function deleteTopics(topics: string[]): Promise<void> {
  const admin = new kafkajs.Kafka({
    clientId: 'bench-admin',
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics });
  await admin.disconnect();
}

/** The exact bytes the bus writes (schema registered under a subject of its own), for the raw runs. */
async function busBytes(): Promise<Buffer[]> {
  const topic = `bench-${randomUUID()}.bytes`;
  const codec = await createTopicCodec({
    topic: 'submissions',
    physicalTopic: topic,
    registry: createSchemaRegistryClient(registryUrl, 'bench'),
  });
  const subject = `${registryUrl}/subjects/${encodeURIComponent(valueSubject(topic))}`;
  await fetch(subject, { method: 'DELETE' });
  await fetch(`${subject}?permanent=true`, { method: 'DELETE' });
  return codec.encodeAll(messages.map((m) => m.value));
}

const rate = (ms: number): number => Math.round(total / (ms / 1000));
const bytes = await busBytes();
const size = Math.round(bytes.reduce((sum, b) => sum + b.length, 0) / total);
console.log(`${total} submission messages of ${size} bytes on average, 6 partitions, batches of ${BATCH}`);
const rounds = Number(process.argv[3] ?? 2);
let bestRaw = Infinity;
let bestBus = Infinity;
// Alternating, so that JIT warm-up and the load of other processes weigh on both alike.
for (let round = 1; round <= rounds; round++) {
  const raw = await benchRaw(bytes);
  console.log(
    `round ${round} raw kafkajs: published in ${raw.publishMs.toFixed(0)} ms, end to end ${raw.totalMs.toFixed(0)} ms -> ${rate(raw.totalMs)} msg/s`,
  );
  const bus = await benchBus();
  console.log(
    `round ${round} bus-kafka:   published in ${bus.publishMs.toFixed(0)} ms, end to end ${bus.totalMs.toFixed(0)} ms -> ${rate(bus.totalMs)} msg/s`,
  );
  bestRaw = Math.min(bestRaw, raw.totalMs);
  bestBus = Math.min(bestBus, bus.totalMs);
}
console.log(
  `best: raw ${rate(bestRaw)} msg/s, bus ${rate(bestBus)} msg/s, ratio bus/raw ${((100 * bestRaw) / bestBus).toFixed(0)} %`,
);
