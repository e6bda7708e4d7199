/**
 * Privacy canaries through the distributed runtime (four service processes on the real Kafka, schema registry and
 * ClickHouse, logging at debug): after the normalizer, no canary identity value — nor any identity value of the
 * synthetic dataset beside them — is in any API response of any GET operation (exports included), in any process's
 * log output, in any message (key or value bytes) of this run's topics but the submissions topic, or in any row of
 * any table of this run's ClickHouse database (read back with SELECT, since ClickHouse compresses what it stores).
 * The submissions topic does hold them, until its retention (deploy/README.md; `kafka-retention.test.ts` checks that
 * the broker deletes them): reading it is the proof that the topic reader sees what is there.
 */
import { writeFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCanaries, sweepApi, type CanaryLoad } from './lib/canaries.js';
import { createClient, type Client } from './lib/client.js';
import { localServiceEnv, startDistributed, type DistributedSystem } from './lib/distributed.js';
import { findLeaks, tempFile } from './lib/leaks.js';
import { waitIdle } from './lib/load.js';

let system: DistributedSystem;
let client: Client;
let load: CanaryLoad;
let stopped = false;

const stop = async (): Promise<void> => {
  if (stopped || system === undefined) return;
  stopped = true;
  await system.stop();
};

beforeAll(async () => {
  system = await startDistributed({ env: { LOG_LEVEL: 'debug' } });
  client = createClient(system.url);
  load = await loadCanaries(client, system.adminToken);
  await waitIdle(client, load.keys.coordinator);
}, 300_000);

afterAll(stop);

const kafkaClient = (): kafkajs.Kafka =>
  new kafkajs.Kafka({
    clientId: 'mosy-e2e-privacy',
    brokers: localServiceEnv().MOSY_KAFKA_BROKERS!.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  });

/** Every message of a topic, key and value bytes, read from the beginning to the end it had when asked. */
async function readTopic(topic: string): Promise<Buffer[]> {
  const kafka = kafkaClient();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  let remaining = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const out: Buffer[] = [];
  if (remaining === 0) return out;
  const consumer = kafka.consumer({ groupId: `mosy-e2e-privacy-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          if (message.key !== null) out.push(message.key);
          if (message.value !== null) out.push(message.value);
          if (--remaining === 0) resolve();
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return out;
}

/** Every row of every table of the run's ClickHouse database, as JSON lines. */
async function dumpClickHouse(): Promise<{ text: string; tables: number; rows: number }> {
  const url = localServiceEnv().MOSY_CLICKHOUSE_URL!;
  const database = system.env.MOSY_CLICKHOUSE_DATABASE!;
  const query = async (sql: string): Promise<string> => {
    const res = await fetch(url, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse: ${text}`);
    return text;
  };
  const tables = (
    await query(`SELECT name FROM system.tables WHERE database = '${database}' FORMAT TabSeparated`)
  )
    .split('\n')
    .filter((name) => name !== '');
  let text = '';
  let rows = 0;
  for (const table of tables) {
    const dump = await query(`SELECT * FROM ${database}.${table} FORMAT JSONEachRow`);
    rows += dump.split('\n').filter((line) => line !== '').length;
    text += dump;
  }
  return { text, tables: tables.length, rows };
}

const fileOf = (name: string, chunks: readonly Buffer[]): string => {
  const path = tempFile(name, '');
  writeFileSync(path, Buffer.concat(chunks.flatMap((c) => [c, Buffer.from('\n')])));
  return path;
};

describe('privacy canaries on the distributed runtime', () => {
  it('finds them on the submissions topic, within its retention (the reader is not blind)', async () => {
    const messages = await readTopic(system.env.MOSY_TOPIC_SUBMISSIONS!);
    const found = await findLeaks(load.needles, [fileOf('submissions.bin', messages)]);
    expect(found.length).toBeGreaterThan(0);
  });

  it('finds none on the records, dead-letter and (with linkage exact, empty) linkage topics, the run’s only other topics', async () => {
    const { MOSY_TOPIC_SUBMISSIONS: submissions, MOSY_TOPIC_RECORDS: recordsTopic } = system.env;
    const prefix = submissions!.slice(0, submissions!.lastIndexOf('.') + 1);
    const kafka = kafkaClient();
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort();
    await admin.disconnect();
    expect(topics).toEqual(
      [system.env.MOSY_TOPIC_DEADLETTER, system.env.MOSY_TOPIC_LINKAGE, recordsTopic, submissions].sort(),
    );
    // Linkage is exact here: nothing is encoded, so nothing is published for a linker.
    expect(await readTopic(system.env.MOSY_TOPIC_LINKAGE!)).toEqual([]);
    const records = await readTopic(system.env.MOSY_TOPIC_RECORDS!);
    // Every accepted version went through the normalizer onto the records topic.
    expect(records.length).toBeGreaterThanOrEqual(load.accepted);
    const deadletter = await readTopic(system.env.MOSY_TOPIC_DEADLETTER!);
    expect(
      await findLeaks(load.needles, [fileOf('records.bin', records), fileOf('deadletter.bin', deadletter)]),
    ).toEqual([]);
  });

  it('finds none in any table of the ClickHouse database', async () => {
    const dump = await dumpClickHouse();
    expect(dump.tables).toBeGreaterThan(3);
    expect(dump.rows).toBeGreaterThan(load.accepted);
    expect(await findLeaks(load.needles, [tempFile('clickhouse.jsonl', dump.text)])).toEqual([]);
  });

  it('finds none in any response of any GET operation, as any role', async () => {
    const { requests, ok } = await sweepApi(client, load);
    console.info(`[privacy distributed] ${requests} GET requests, ${ok} answered 200`);
    expect(ok).toBeGreaterThan(60);
    expect(requests).toBeGreaterThan(ok);
    expect(await findLeaks(load.needles, [tempFile('responses.txt', client.bodies.join('\n'))])).toEqual([]);
  });

  it('finds none in the log output of any process', async () => {
    await stop();
    expect(await findLeaks(load.needles, system.artifacts)).toEqual([]);
  });
});
