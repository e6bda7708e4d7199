/**
 * The submissions topic's retention holds on the real broker, across a restart of the broker: a submission with a
 * unique identity string is published through the Kafka bus (as ingest does), read by a normalizer group, and must
 * then be deleted by the broker — gone from the partition (its log start reaches its end) and from every file of
 * the broker's data folder. The broker is then restarted (deploy/local/kafka.sh stop, start); the topic keeps its
 * settings and a second submission is deleted the same way. The local broker checks retention every 2 s (see
 * deploy/local/kafka.sh); the retention here is 3 s.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaEventBus, type KafkaEventBus } from '@mosy/bus-kafka';
import { buildSubmissionMessage } from '@mosy/testkit';
import { findLeaks } from './lib/leaks.js';

const run = promisify(execFile);
const KAFKA_SH = resolve(dirname(fileURLToPath(import.meta.url)), '../../deploy/local/kafka.sh');
const brokers = (process.env.MOSY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const registryUrl = process.env.MOSY_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const kafkaData =
  process.env.MOSY_LOCAL_KAFKA_DATA ??
  join(process.env.MOSY_LOCAL_STATE ?? '/tmp/mosy-local', 'kafka', 'data');
const RETENTION_MS = 3_000;

const prefix = `test-${randomUUID()}`;
const topics = {
  submissions: `${prefix}.submissions`,
  records: `${prefix}.records`,
  deadletter: `${prefix}.deadletter`,
};
const raw = new kafkajs.Kafka({
  clientId: 'mosy-e2e-retention',
  brokers,
  logLevel: kafkajs.logLevel.NOTHING,
});

const openBus = (): Promise<KafkaEventBus> =>
  createKafkaEventBus({
    brokers,
    registryUrl,
    clientId: 'mosy-e2e-retention',
    topics,
    partitions: 2,
    submissionsRetentionMs: RETENTION_MS,
    consumer: {
      sessionTimeoutMs: 6_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 300,
      maxWaitTimeMs: 250,
    },
  });

async function withAdmin<T>(task: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
  const admin = raw.admin();
  await admin.connect();
  try {
    return await task(admin);
  } finally {
    await admin.disconnect();
  }
}

const retentionSettings = (): Promise<Record<string, string>> =>
  withAdmin(async (admin) => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topics.submissions }],
    });
    const wanted = new Set(['retention.ms', 'segment.ms', 'cleanup.policy']);
    return Object.fromEntries(
      (resources[0]?.configEntries ?? [])
        .filter((e) => wanted.has(e.configName))
        .map((e) => [e.configName, e.configValue]),
    );
  });

/** Publishes one submission carrying `canary`, has a normalizer group read it, and waits for the broker to delete it. */
async function publishReadAndWaitForDeletion(canary: string): Promise<number> {
  const bus = await openBus();
  try {
    await bus.ensureTopics();
    const message = buildSubmissionMessage({ record: { identity: { familyName: canary } } });
    await bus.publish('submissions', [{ key: `p/${canary}`, value: message }]);
    const read: string[] = [];
    const consumer = await bus.consume('submissions', 'normalizer', (batch) => {
      for (const m of batch) read.push(m.value.record.identity?.familyName ?? '');
      return Promise.resolve();
    });
    await until('the normalizer read the submission', () => Promise.resolve(read.includes(canary)), 60_000);
    await consumer.stop();
    const published = Date.now();
    await until(
      'the broker deleted the submission',
      async () => {
        const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topics.submissions));
        const emptied = offsets.every((p) => p.low === p.high);
        return emptied && (await findLeaks([canary], [kafkaData])).length === 0;
      },
      // The broker's first retention check comes 30 s after it starts, then every 2 s.
      120_000,
    );
    return Date.now() - published;
  } finally {
    await bus.close();
  }
}

async function until(what: string, check: () => Promise<boolean>, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${waitMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

afterAll(async () => {
  await withAdmin((admin) => admin.deleteTopics({ topics: Object.values(topics), timeout: 10_000 })).catch(
    () => undefined,
  );
});

describe('the submissions retention on the real broker', () => {
  it('deletes identity from the broker, before and after the broker restarts', async () => {
    const wanted = {
      'retention.ms': String(RETENTION_MS),
      'segment.ms': '60000',
      'cleanup.policy': 'delete',
    };
    const first = `Retentioncanary${randomUUID().replaceAll('-', '')}`;
    const before = await publishReadAndWaitForDeletion(first);
    expect(await retentionSettings()).toEqual(wanted);

    await run('bash', [KAFKA_SH, 'stop'], { timeout: 120_000 });
    await run('bash', [KAFKA_SH, 'start'], { timeout: 180_000 });
    // The settings live in the broker's metadata log: the restart keeps them without any service start.
    expect(await retentionSettings()).toEqual(wanted);
    expect(await findLeaks([first], [kafkaData])).toEqual([]);

    const second = `Retentioncanary${randomUUID().replaceAll('-', '')}`;
    const after = await publishReadAndWaitForDeletion(second);
    console.info(
      `[kafka-retention] deleted ${before} ms and ${after} ms after reading (retention ${RETENTION_MS} ms)`,
    );
  });
});
