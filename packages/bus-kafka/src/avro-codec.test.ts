import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import type { SubmissionMessage, SubmittedRecord } from '@mosy/core';
import { buildDeadLetter, buildNormalizedRecord, buildSubmissionMessage } from '@mosy/testkit';
import type avro from 'avsc';
import { createTopicCodec } from './avro-codec.js';
import type { SchemaRegistryClient } from './schema-registry.js';
import { fromWire, toWire } from './wire-format.js';

/** A registry in memory: ids from 100 in registration order, one per (subject, schema). */
function fakeRegistry(): SchemaRegistryClient & {
  readonly subjects: Map<string, number[]>;
  lookups: number;
} {
  const byId = new Map<number, Readonly<Record<string, unknown>>>();
  const subjects = new Map<string, number[]>();
  const registry = {
    subjects,
    lookups: 0,
    register(subject: string, schema: Readonly<Record<string, unknown>>) {
      const text = JSON.stringify(schema);
      let id = [...byId].find(([, s]) => JSON.stringify(s) === text)?.[0];
      if (id === undefined) {
        id = 100 + byId.size;
        byId.set(id, schema);
      }
      subjects.set(subject, [...(subjects.get(subject) ?? []), id]);
      return Promise.resolve(id);
    },
    async writerType(id: number): Promise<avro.Type> {
      registry.lookups++;
      const schema = byId.get(id);
      if (!schema)
        throw new MosyError('undecodable-message', `schema id ${id} is unknown to the schema registry`);
      const { default: avsc } = await import('avsc');
      return avsc.Type.forSchema(schema as avro.Schema);
    },
  };
  return registry;
}

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('topic codecs', () => {
  it('registers the latest schema under <topic>-value and round-trips each topic', async () => {
    const registry = fakeRegistry();
    const submissions = await createTopicCodec({ topic: 'submissions', physicalTopic: 's', registry });
    const records = await createTopicCodec({ topic: 'records', physicalTopic: 'r', registry });
    const letters = await createTopicCodec({ topic: 'deadletter', physicalTopic: 'd', registry });
    expect([...registry.subjects]).toEqual([
      ['s-value', [100]],
      ['r-value', [101]],
      ['d-value', [102]],
    ]);
    expect([submissions.writerVersion, records.writerVersion, letters.writerVersion]).toEqual([3, 1, 1]);
    const submission = buildSubmissionMessage({
      record: {
        fields: { sex: 'w', age: 17, minor: true, forms: ['a', 'b'], note: null },
        identity: { name: 'Ana' },
      },
    });
    const wire = submissions.encode(submission);
    expect(wire[0]).toBe(0);
    expect(fromWire(wire).schemaId).toBe(100);
    expect(await submissions.decode(wire)).toStrictEqual(submission);
    const { fields: _fields, ...envelope } = submission.record as SubmittedRecord;
    const mapped: SubmissionMessage = {
      ...submission,
      record: {
        ...envelope,
        mapped: { fields: { sex: 'F', citizenship: ['PT'] }, quality: ['unmapped:sex'] },
      },
    };
    expect(await submissions.decode(submissions.encode(mapped))).toStrictEqual(mapped);
    const record = buildNormalizedRecord({ recordId: 'x', fields: { sex: 'F', citizenship: ['PT', 'BR'] } });
    expect(await records.decode(records.encode(record))).toStrictEqual(record);
    const letter = buildDeadLetter();
    expect(await letters.decode(letters.encode(letter))).toStrictEqual(letter);
  });

  it('decodes what a v1 writer wrote into the latest shape, fetching each writer schema once', async () => {
    const registry = fakeRegistry();
    const v1 = await createTopicCodec({
      topic: 'submissions',
      physicalTopic: 's',
      registry,
      writerVersion: 1,
    });
    const v2 = await createTopicCodec({ topic: 'submissions', physicalTopic: 's', registry });
    expect(registry.subjects.get('s-value')).toEqual([100, 101]);
    expect(v1.writerVersion).toBe(1);
    const message = buildSubmissionMessage({ submissionId: 'old' });
    const fromV1 = v1.encode(message);
    expect(fromWire(fromV1).schemaId).toBe(100);
    expect(await v2.decode(fromV1)).toStrictEqual(message);
    expect(await v2.decode(v1.encode(message))).toStrictEqual(message);
    expect(await v2.decode(v2.encode(message))).toStrictEqual(message);
    expect(registry.lookups).toBe(2);
  });

  it('encodes values larger than its first buffer', async () => {
    const codec = await createTopicCodec({
      topic: 'submissions',
      physicalTopic: 's',
      registry: fakeRegistry(),
    });
    const fields = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field${i}`, `value ${i}`]));
    const message = buildSubmissionMessage({ record: { fields } });
    const wire = codec.encode(message);
    expect(wire.length).toBeGreaterThan(40_000);
    expect(await codec.decode(wire)).toStrictEqual(message);
  });

  it('refuses to encode a value that does not fit the schema', async () => {
    const codec = await createTopicCodec({ topic: 'records', physicalTopic: 'r', registry: fakeRegistry() });
    const bad = buildNormalizedRecord({ fields: { age: '17' } as never });
    expect(() => codec.encode(bad)).toThrow(MosyError);
    expect(() => codec.encode(bad)).toThrow(/cannot encode a records message/);
  });

  it("refuses unknown ids, corrupt bytes and another topic's messages as undecodable", async () => {
    const registry = fakeRegistry();
    const records = await createTopicCodec({ topic: 'records', physicalTopic: 'r', registry });
    const letters = await createTopicCodec({ topic: 'deadletter', physicalTopic: 'd', registry });
    const valid = records.encode(buildNormalizedRecord());
    const cases: [Buffer, RegExp][] = [
      [toWire(999, Buffer.from([1])), /schema id 999 is unknown/],
      [valid.subarray(0, valid.length - 3), /cannot decode mosy.normalized-record \(schema id 100\)/],
      [Buffer.concat([valid, Buffer.from([0])]), /cannot decode mosy.normalized-record/],
      [letters.encode(buildDeadLetter()), /schema id 101 cannot be read as mosy.normalized-record v1/],
    ];
    for (const [bytes, message] of cases) {
      const error = await failure(records.decode(bytes));
      expect(error, String(message)).toBeInstanceOf(MosyError);
      expect(error).toMatchObject({
        code: 'undecodable-message',
        message: expect.stringMatching(message) as unknown,
      });
    }
  });

  it('passes a registry that is unavailable on as a retriable error', async () => {
    const registry = fakeRegistry();
    const codec = await createTopicCodec({ topic: 'deadletter', physicalTopic: 'd', registry });
    const down: SchemaRegistryClient = {
      register: (subject, schema) => registry.register(subject, schema),
      writerType: () => Promise.reject(new MosyError('unavailable', 'registry down')),
    };
    const reader = await createTopicCodec({ topic: 'deadletter', physicalTopic: 'd', registry: down });
    expect(await failure(reader.decode(codec.encode(buildDeadLetter())))).toMatchObject({
      code: 'unavailable',
      retriable: true,
    });
  });

  it('packs many values across buffers and decodes a mixed batch with an outcome per message', async () => {
    const registry = fakeRegistry();
    const codec = await createTopicCodec({ topic: 'deadletter', physicalTopic: 'd', registry });
    // About 1.3 MB: crosses many 64 KiB buffers.
    const letters = Array.from({ length: 20_000 }, (_, i) =>
      buildDeadLetter({ recordId: `r${i}`, version: i }),
    );
    const packed = codec.encodeAll(letters);
    expect(packed).toHaveLength(20_000);
    for (const [i, bytes] of packed.entries()) {
      if (i % 997 === 0) expect(bytes, `message ${i}`).toEqual(codec.encode(letters[i]!));
    }
    const values = [
      packed[0]!,
      toWire(999, Buffer.from([1])),
      null,
      packed[19_999]!,
      Buffer.from([7, 0, 0, 0, 100, 1]),
    ];
    const outcomes = await codec.decodeAll(values);
    expect(outcomes.map((o) => (o.ok ? o.value.recordId : o.error.code))).toEqual([
      'r0',
      'undecodable-message',
      'undecodable-message',
      'r19999',
      'undecodable-message',
    ]);
    expect((await codec.decodeAll(packed)).every((o, i) => o.ok && o.value.version === i)).toBe(true);
    expect(registry.lookups).toBe(2);
  });
});
