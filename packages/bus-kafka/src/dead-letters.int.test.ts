/**
 * What a consumer does with messages it cannot handle, against the real broker and registry: bytes that cannot be
 * decoded and batches whose handler failed for good go to the dead-letter topic with the reason (never the
 * payload) and are committed; a retriable MosyError is retried until it succeeds.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import type {
  DeadLetter,
  DeliveredMessage,
  NormalizedRecord,
  SubmissionMessage,
  Subscription,
} from '@mosy/core';
import { buildNormalizedRecord, buildSubmissionMessage } from '@mosy/testkit';
import type { KafkaEventBus } from './kafka-event-bus.js';
import { valueSubject } from './schema-registry.js';
import { createTestBus, rawKafka, registryUrl } from './test-support.js';
import { toWire } from './wire-format.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  waitMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('dead letters of the Kafka bus', () => {
  let bus: KafkaEventBus;
  let close: () => Promise<void>;
  let topics: Record<string, string>;
  const subscriptions: Subscription[] = [];
  /** The dead letters the bus told the runtime about. */
  let told: DeadLetter[];
  beforeEach(async () => {
    told = [];
    ({ bus, close, topics } = await createTestBus({
      onDeadLetters: (letters) => {
        told.push(...letters);
        return Promise.resolve();
      },
    }));
  });
  afterEach(async () => {
    await Promise.allSettled(subscriptions.splice(0).map((s) => s.stop()));
    await close();
  });

  async function collect<T extends 'submissions' | 'records' | 'deadletter'>(
    topic: T,
    handler: (batch: readonly DeliveredMessage<unknown>[]) => Promise<void> = () => Promise.resolve(),
    maxBatch?: number,
  ) {
    const handled: DeliveredMessage<unknown>[] = [];
    const group = `dl-${randomUUID()}`;
    subscriptions.push(
      await bus.consume(
        topic,
        group,
        async (batch) => {
          await handler(batch);
          handled.push(...batch);
        },
        maxBatch === undefined ? undefined : { maxBatch },
      ),
    );
    return Object.assign(handled, { group });
  }

  it('sends undecodable messages to the dead-letter topic and delivers the others', async () => {
    const run = randomUUID().slice(0, 8);
    const valid = (n: number): { key: string; value: SubmissionMessage } => ({
      key: `prov-x/${run}-ok${n}`,
      value: buildSubmissionMessage({
        providerId: 'prov-x',
        record: { recordId: `${run}-ok${n}`, identity: { name: 'Secret Name' } },
      }),
    });
    await bus.publish('submissions', [valid(1)]);
    const latest = (await (
      await fetch(
        `${registryUrl}/subjects/${encodeURIComponent(valueSubject(topics.submissions!))}/versions/latest`,
      )
    ).json()) as { id: number };
    const producer = rawKafka().producer();
    await producer.connect();
    const bad = {
      'bad-magic': Buffer.from([1, 0, 0, 0, latest.id, 2, 3]),
      'unknown-id': toWire(2_000_000_000, Buffer.from([2, 3])),
      truncated: toWire(latest.id, Buffer.from([0x0c, 0x53])),
      short: Buffer.from([0, 0]),
      empty: null,
    };
    const sentAt = Date.now();
    await producer.send({
      topic: topics.submissions!,
      messages: Object.entries(bad).map(([name, value]) => ({ key: `prov-x/${run}-${name}`, value })),
    });
    await producer.disconnect();
    await bus.publish('submissions', [valid(2)]);

    const handled = await collect('submissions');
    await eventually('the 2 valid submissions', () => handled.length >= 2);
    const letters = (await collect('deadletter')) as DeliveredMessage<DeadLetter>[];
    await eventually('5 dead letters', () => letters.length >= 5);
    await sleep(300);
    expect(handled.map((m) => m.key).sort()).toEqual([`prov-x/${run}-ok1`, `prov-x/${run}-ok2`]);
    expect(letters).toHaveLength(5);
    expect(letters.map((m) => m.value.recordId).sort()).toEqual(
      Object.keys(bad)
        .map((name) => `${run}-${name}`)
        .sort(),
    );
    for (const { key, value } of letters) {
      expect(key).toBe(`prov-x/${value.recordId}`);
      expect(value).toMatchObject({
        stage: 'normalizer',
        providerId: 'prov-x',
        version: 0,
        code: 'undecodable-message',
      });
      expect(value.reason).toContain(topics.submissions);
      expect(value.receivedAt).toBeGreaterThanOrEqual(sentAt - 1000);
      expect(value.failedAt).toBeGreaterThanOrEqual(value.receivedAt);
    }
    const reasonOf = (name: string): string =>
      letters.find((m) => m.value.recordId === `${run}-${name}`)!.value.reason;
    expect(reasonOf('bad-magic')).toContain('not the magic byte 0');
    expect(reasonOf('unknown-id')).toContain('schema id 2000000000 is unknown');
    expect(reasonOf('short')).toContain('fewer than the 5-byte header');
    expect(reasonOf('empty')).toContain('no value');
    expect(reasonOf('truncated')).toContain('cannot decode mosy.submission');
    // The runtime was told about the same five, of unknown version (the ledger marks the accepted one).
    expect(told.map((letter) => letter.recordId).sort()).toEqual(letters.map((m) => m.value.recordId).sort());
    expect(told.map((letter) => letter.version)).toEqual([0, 0, 0, 0, 0]);
    // Dead-lettered messages are committed like handled ones.
    await eventually('lag 0', async () => (await bus.lag('submissions', handled.group)) === 0);
    expect(await bus.lag('submissions', 'a-group-that-never-read')).toBe(7);
  });

  it('dead-letters a batch whose handler fails for good, retries one that fails for now', async () => {
    const run = randomUUID().slice(0, 8);
    const records: NormalizedRecord[] = [1, 2, 3].map((n) =>
      buildNormalizedRecord({ recordId: `${run}-${n}`, version: n + 10, receivedAt: Date.UTC(2026, 0, n) }),
    );
    await bus.publish(
      'records',
      records.map((value) => ({ key: `prov-a/${value.recordId}`, value })),
    );
    let transientFailures = 0;
    const handled = await collect(
      'records',
      (batch) => {
        const record = batch[0]!.value as NormalizedRecord;
        if (record.recordId === `${run}-2`) {
          return Promise.reject(new MosyError('invalid-field', 'fields.sex: "X" is not a sex code'));
        }
        if (record.recordId === `${run}-3` && transientFailures < 2) {
          transientFailures++;
          return Promise.reject(new MosyError('unavailable', 'store down'));
        }
        return Promise.resolve();
      },
      1,
    );
    await eventually('records 1 and 3 handled', () => handled.length >= 2);
    const letters = (await collect('deadletter')) as DeliveredMessage<DeadLetter>[];
    await eventually('1 dead letter', () => letters.length >= 1);
    await sleep(300);
    expect(handled.map((m) => (m.value as NormalizedRecord).recordId).sort()).toEqual([
      `${run}-1`,
      `${run}-3`,
    ]);
    expect(transientFailures).toBe(2);
    expect(letters.map((m) => m.key)).toEqual([`prov-a/${run}-2`]);
    expect(letters[0]!.value).toStrictEqual({
      stage: 'aggregator',
      providerId: 'prov-a',
      recordId: `${run}-2`,
      version: 12,
      code: 'invalid-field',
      reason: 'fields.sex: "X" is not a sex code',
      receivedAt: Date.UTC(2026, 0, 2),
      failedAt: letters[0]!.value.failedAt,
    });
    expect(letters[0]!.value.failedAt).toBeGreaterThan(Date.UTC(2026, 0, 2));
    await eventually('lag 0', async () => (await bus.lag('records', handled.group)) === 0);
  });
});
