import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MosyError } from '@mosy/core';
import type {
  MappedRecord,
  NormalizedRecord,
  RawValue,
  SubmissionMessage,
  SubmittedRecord,
  Topic,
} from '@mosy/core';
import { TOPIC_SUBJECTS, loadSchema, schemaVersions, topicSerde } from './index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const fixtureJson = (subject: string, version: number): unknown =>
  JSON.parse(readFileSync(`${FIXTURES}${subject}/v${version}.json`, 'utf8'));
const fixtureBytes = (subject: string, version: number): Buffer =>
  readFileSync(`${FIXTURES}${subject}/v${version}.avro`);

const TOPICS = Object.keys(TOPIC_SUBJECTS) as Topic[];

/** A decoded value as JSON holds it: a linkage encoding's typed arrays as plain arrays. */
const asJson = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint32Array ? [...v] : v)));

describe('golden fixtures', () => {
  for (const topic of TOPICS) {
    const subject = TOPIC_SUBJECTS[topic];
    for (const version of schemaVersions(subject)) {
      it(`${subject} v${version}: the golden bytes decode to the JSON and the JSON encodes to the golden bytes`, () => {
        const serde = topicSerde(topic, { version });
        const json = fixtureJson(subject, version);
        const bytes = fixtureBytes(subject, version);
        const decoded = serde.decode(bytes);
        expect(topic === 'linkage' ? asJson(decoded) : decoded).toStrictEqual(json);
        expect(serde.encode(json as never).equals(bytes)).toBe(true);
      });
    }
  }

  it('has one fixture per schema version and the latest serde writes the latest version', () => {
    expect(schemaVersions('mosy.submission')).toEqual([1, 2, 3]);
    expect(schemaVersions('mosy.normalized-record')).toEqual([1]);
    expect(schemaVersions('mosy.dead-letter')).toEqual([1]);
    expect(schemaVersions('mosy.linkage')).toEqual([1]);
    expect(topicSerde('submissions').version).toBe(3);
    expect(topicSerde('submissions').subject).toBe('mosy.submission');
  });
});

const submissionWith = (
  fields: Record<string, RawValue>,
  identity?: Record<string, string>,
): SubmissionMessage => ({
  submissionId: 's-1',
  providerId: 'ngo-a',
  providerType: 'NGO',
  mappingVersion: 1,
  receivedAt: 1_700_000_000_000,
  record: {
    recordId: 'r-1',
    version: 1,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2025',
    fields,
    ...(identity ? { identity } : {}),
  },
});

describe('submissions serde', () => {
  const serde = topicSerde('submissions');

  it('keeps integers, fractions, -0, large numbers, booleans, nulls and lists exactly', () => {
    const fields = {
      a: 17,
      b: 0.1,
      c: -0,
      d: 2 ** 60,
      e: false,
      f: null,
      g: [],
      h: ['x', 'y'],
      i: '',
      // Found by the property below: zigzag-encoding these as longs lost their sign and last unit.
      j: -(2 ** 52) - 1,
      k: 2 ** 53 - 1,
      l: -(2 ** 52),
    };
    const decoded = serde.decode(serde.encode(submissionWith(fields))).record as SubmittedRecord;
    expect(decoded.fields).toStrictEqual(fields);
    expect(Object.is(decoded.fields.c, -0)).toBe(true);
  });

  it('round-trips any provider fields and identity (property)', { timeout: 30_000 }, () => {
    const key = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.-]{0,20}$/);
    const raw: fc.Arbitrary<RawValue> = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.array(fc.string(), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(key, raw, { maxKeys: 8, noNullPrototype: true }),
        fc.option(fc.dictionary(key, fc.string(), { maxKeys: 4, noNullPrototype: true }), { nil: undefined }),
        (fields, identity) => {
          const message = submissionWith(fields, identity);
          expect(serde.decode(serde.encode(message))).toStrictEqual(message);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects bytes that are not a submission with undecodable-message', () => {
    const error = (() => {
      try {
        serde.decode(Buffer.from([0xff, 0xff, 0xff]));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MosyError);
    expect((error as MosyError).code).toBe('undecodable-message');
  });

  it('rejects a decoded record kind or provider type outside the taxonomy', () => {
    const badKind = { ...submissionWith({}), record: { ...submissionWith({}).record, kind: 'witness' } };
    expect(() => serde.decode(serde.encode(badKind as never))).toThrow(/"witness" is not a record kind/);
    const badType = { ...submissionWith({}), providerType: 'BANK' };
    expect(() => serde.decode(serde.encode(badType as never))).toThrow(/"BANK" is not a provider type/);
  });

  it('refuses to encode a value that does not fit the schema', () => {
    const bad = submissionWith({ a: { nested: 1 } as never });
    expect(() => serde.encode(bad)).toThrow(MosyError);
  });
});

describe('submissions serde: records mapped by ingest (v3)', () => {
  const serde = topicSerde('submissions');
  const golden = fixtureJson('mosy.submission', 3) as SubmissionMessage;
  const mappedWith = (record: Partial<MappedRecord>): SubmissionMessage => ({
    ...golden,
    record: { ...(golden.record as MappedRecord), ...record },
  });

  it('keeps a mapped record, a withdrawal without fields and a record without identity exactly', () => {
    const { identity: _identity, ...withoutIdentity } = golden.record as MappedRecord;
    for (const message of [
      golden,
      mappedWith({ action: 'withdraw', mapped: { fields: {}, quality: [] } }),
      { ...golden, record: withoutIdentity },
      mappedWith({ kind: 'prosecution', mapped: { fields: { outcome: 'ONGOING' }, quality: [] } }),
    ])
      expect(serde.decode(serde.encode(message))).toStrictEqual(message);
  });

  it('refuses to write a mapped record with a version that cannot carry it, rather than lose its fields', () => {
    expect(() => topicSerde('submissions', { version: 2 }).encode(golden)).toThrow(
      /mosy.submission v2 cannot carry a mapped record/,
    );
  });

  it('refuses a non-canonical field in a mapped record', () => {
    const bad = mappedWith({ mapped: { fields: { age: '17' } as never, quality: [] } });
    expect(() => serde.encode(bad)).toThrow(/"age" is not a canonical field/);
  });

  it('refuses to decode a mapped record that also carries provider fields', () => {
    const avro = serde.toAvro(golden) as { record: { fields: Record<string, unknown> } };
    avro.record.fields = { genero: { string: 'F' } };
    const bytes = loadSchema('mosy.submission', 3).type.toBuffer(avro);
    expect(() => serde.decode(bytes)).toThrow(/must not carry provider fields/);
  });
});

describe('records serde', () => {
  const serde = topicSerde('records');
  const base = fixtureJson('mosy.normalized-record', 1) as NormalizedRecord;

  it('omits fields that were absent and keeps an empty field set for a withdrawal', () => {
    const withdrawal: NormalizedRecord = { ...base, action: 'withdraw', fields: {}, quality: [] };
    expect(serde.decode(serde.encode(withdrawal))).toStrictEqual(withdrawal);
    const prosecution: NormalizedRecord = { ...base, kind: 'prosecution', fields: { outcome: 'ONGOING' } };
    expect(serde.decode(serde.encode(prosecution)).fields).toStrictEqual({ outcome: 'ONGOING' });
  });

  it('refuses a non-canonical field rather than dropping it', () => {
    const bad = { ...base, fields: { ...base.fields, age: '17' } } as unknown as NormalizedRecord;
    expect(() => serde.encode(bad)).toThrow(/"age" is not a canonical field/);
  });

  it('refuses a single code in a list field', () => {
    const bad = { ...base, fields: { citizenship: 'PT' } } as unknown as NormalizedRecord;
    expect(() => serde.encode(bad)).toThrow(MosyError);
  });
});

describe('encodeInto', () => {
  it('writes the same bytes as encode, and reports the bytes missing when the buffer is too small', () => {
    const serde = topicSerde('deadletter');
    const value = JSON.parse(readFileSync(`${FIXTURES}mosy.dead-letter/v1.json`, 'utf8'));
    const golden = fixtureBytes('mosy.dead-letter', 1);
    const buffer = Buffer.alloc(golden.length + 10);
    expect(serde.encodeInto(value, buffer, 10)).toBe(golden.length + 10);
    expect(buffer.subarray(10).equals(golden)).toBe(true);
    expect(serde.encodeInto(value, Buffer.alloc(golden.length - 4), 0)).toBe(-4);
    expect(() => serde.encodeInto({ ...value, version: 'x' }, buffer, 0)).toThrow(MosyError);
  });
});
