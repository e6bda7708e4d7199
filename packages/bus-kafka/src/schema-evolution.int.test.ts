/**
 * Schema evolution against the real registry: a v1 and a v2 producer of submissions write to one topic side by
 * side and one consumer reads both; v1, v2 and v3 (records mapped by ingest) register in turn and are read alike;
 * the registry refuses an incompatible change (HTTP 409) and the bus turns the refusal into a clear MosyError, at
 * registration and at start.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import type { DeliveredMessage, SubmissionMessage, SubmittedRecord } from '@mosy/core';
import { loadSchema } from '@mosy/schemas';
import { buildSubmissionMessage } from '@mosy/testkit';
import { createKafkaEventBus } from './kafka-event-bus.js';
import type { KafkaEventBus } from './kafka-event-bus.js';
import { createSchemaRegistryClient, valueSubject } from './schema-registry.js';
import { deleteTopics, randomTopics, rawKafka, registryUrl, testOptions } from './test-support.js';
import { fromWire } from './wire-format.js';

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

/** v1 of mosy.submission with one more field, required (no default): not BACKWARD compatible with v1. */
function withRequiredField(): Record<string, unknown> {
  const v1 = loadSchema('mosy.submission', 1).schema;
  return { ...v1, fields: [...(v1.fields as object[]), { name: 'priority', type: 'int' }] };
}

async function registryVersions(subject: string): Promise<number[]> {
  const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`);
  expect(response.status).toBe(200);
  return (await response.json()) as number[];
}

describe('schema evolution through the registry', () => {
  const buses: KafkaEventBus[] = [];
  const topicsToDelete: string[] = [];
  afterEach(async () => {
    await Promise.allSettled(buses.splice(0).map((b) => b.close()));
    await deleteTopics(topicsToDelete.splice(0));
  });

  it('lets a v1 and a v2 producer write side by side, and one consumer read both', async () => {
    const topics = randomTopics();
    topicsToDelete.push(...Object.values(topics));
    const subject = valueSubject(topics.submissions);
    const v1 = await createKafkaEventBus(testOptions(topics, { writerVersions: { submissions: 1 } }));
    buses.push(v1);
    await v1.ensureTopics();
    expect(await registryVersions(subject)).toEqual([1]);
    const v2 = await createKafkaEventBus(testOptions(topics));
    buses.push(v2);
    expect(await registryVersions(subject)).toEqual([1, 2]);

    const key = `prov-a/${randomUUID()}`;
    const message = (version: number): SubmissionMessage =>
      buildSubmissionMessage({
        submissionId: `s${version}`,
        record: { recordId: key.slice(7), version, fields: { sex: 'w', age: 30 + version } },
      });
    // One key: one partition, so the order of the four is the order they were published in.
    await v1.publish('submissions', [{ key, value: message(1) }]);
    await v2.publish('submissions', [{ key, value: message(2) }]);
    await v1.publish('submissions', [{ key, value: message(3) }]);
    await v2.publish('submissions', [{ key, value: message(4) }]);

    const handled: DeliveredMessage<SubmissionMessage>[] = [];
    const subscription = await v2.consume('submissions', `evolution-${randomUUID()}`, (batch) => {
      handled.push(...batch);
      return Promise.resolve();
    });
    await eventually('4 submissions', () => handled.length >= 4);
    await subscription.stop();
    expect(handled.map((m) => m.value)).toStrictEqual([message(1), message(2), message(3), message(4)]);

    // The bytes on the topic name the two registered versions' ids, alternately.
    const idOf = async (version: number): Promise<number> => {
      const response = await fetch(
        `${registryUrl}/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      );
      return ((await response.json()) as { id: number }).id;
    };
    const [id1, id2] = [await idOf(1), await idOf(2)];
    expect(id1).not.toBe(id2);
    const consumer = rawKafka().consumer({
      groupId: `raw-${randomUUID()}`,
      sessionTimeout: 6_000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 250,
    });
    const ids: number[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topics.submissions], fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message: raw }) => {
          ids.push(fromWire(raw.value).schemaId);
          return Promise.resolve();
        },
      });
      await eventually('4 raw messages', () => ids.length >= 4);
    } finally {
      await consumer.disconnect();
    }
    expect(ids).toEqual([id1, id2, id1, id2]);
  });

  it('registers v1, v2 and v3 in turn; one consumer reads raw records of v1 and v2 writers beside mapped v3 ones', async () => {
    const topics = randomTopics();
    topicsToDelete.push(...Object.values(topics));
    const subject = valueSubject(topics.submissions);
    const writers: KafkaEventBus[] = [];
    for (const version of [1, 2, undefined]) {
      const bus = await createKafkaEventBus(
        testOptions(topics, version === undefined ? {} : { writerVersions: { submissions: version } }),
      );
      buses.push(bus);
      writers.push(bus);
      if (version === 1) await bus.ensureTopics();
    }
    expect(await registryVersions(subject)).toEqual([1, 2, 3]);

    const key = `prov-a/${randomUUID()}`;
    const raw = (version: number): SubmissionMessage =>
      buildSubmissionMessage({ record: { recordId: key.slice(7), version, fields: { sex: 'w' } } });
    const { fields: _fields, ...envelope } = raw(3).record as SubmittedRecord;
    const mapped: SubmissionMessage = {
      ...raw(3),
      record: { ...envelope, mapped: { fields: { sex: 'UNK' }, quality: ['unmapped:sex'] } },
    };
    await writers[0]!.publish('submissions', [{ key, value: raw(1) }]);
    await writers[1]!.publish('submissions', [{ key, value: raw(2) }]);
    await writers[2]!.publish('submissions', [{ key, value: mapped }]);

    const handled: DeliveredMessage<SubmissionMessage>[] = [];
    const subscription = await writers[2]!.consume('submissions', `evolution-${randomUUID()}`, (batch) => {
      handled.push(...batch);
      return Promise.resolve();
    });
    await eventually('3 submissions', () => handled.length >= 3);
    await subscription.stop();
    expect(handled.map((m) => m.value)).toStrictEqual([raw(1), raw(2), mapped]);
  });

  it('refuses a new required field without a default: HTTP 409 from the registry, a MosyError from the client', async () => {
    const subject = valueSubject(`test-${randomUUID()}.submissions`);
    topicsToDelete.push(subject.replace(/-value$/, ''));
    const registry = createSchemaRegistryClient(registryUrl, 'mosy-bus-kafka-test');
    const id = await registry.register(subject, loadSchema('mosy.submission', 1).schema);
    expect(id).toBeGreaterThan(0);

    const raw = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(withRequiredField()) }),
    });
    expect(raw.status).toBe(409);

    const error: unknown = await registry.register(subject, withRequiredField()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosyError);
    expect(error).toMatchObject({ code: 'conflict', retriable: false });
    expect((error as MosyError).message).toContain(`under subject ${subject}`);
    expect((error as MosyError).message).toContain('not BACKWARD compatible');
    expect((error as MosyError).message).toContain('HTTP 409');
    expect(await registryVersions(subject)).toEqual([1]);
    // The compatible v2 is still accepted after the refusal.
    expect(await registry.register(subject, loadSchema('mosy.submission', 2).schema)).toBeGreaterThan(0);
    expect(await registryVersions(subject)).toEqual([1, 2]);
    expect(await registry.register(subject, loadSchema('mosy.submission', 3).schema)).toBeGreaterThan(0);
    expect(await registryVersions(subject)).toEqual([1, 2, 3]);
  });

  it("fails to start with a conflict when the topic's subject holds a schema that its writer schema cannot read", async () => {
    const topics = randomTopics();
    topicsToDelete.push(...Object.values(topics));
    const subject = valueSubject(topics.submissions);
    // An older writer without submissionId: to today's schema, submissionId is a new required field.
    const v1 = loadSchema('mosy.submission', 1).schema;
    const older = {
      ...v1,
      fields: (v1.fields as { name: string }[]).filter((f) => f.name !== 'submissionId'),
    };
    await createSchemaRegistryClient(registryUrl, 'mosy-bus-kafka-test').register(subject, older);

    const error: unknown = await createKafkaEventBus(testOptions(topics)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosyError);
    expect(error).toMatchObject({ code: 'conflict', retriable: false });
    expect((error as MosyError).message).toContain(
      `schema eu.mosy.SubmissionMessage under subject ${subject}`,
    );
    expect((error as MosyError).message).toContain('HTTP 409');
  });

  it('fails to start with a retriable unavailable error when the registry cannot be reached', async () => {
    const error: unknown = await createKafkaEventBus(
      testOptions(randomTopics(), { registryUrl: 'http://127.0.0.1:1/apis/ccompat/v7' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosyError);
    expect(error).toMatchObject({ code: 'unavailable', retriable: true });
  });
});
