import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Topic } from '@mosy/core';
import {
  SUBJECTS,
  TOPIC_SUBJECTS,
  checkBackwardCompatible,
  loadSchema,
  schemaVersions,
  topicSerde,
} from './index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const TOPICS = Object.keys(TOPIC_SUBJECTS) as Topic[];
/** A decoded value as JSON holds it: a linkage encoding's typed arrays as plain arrays. */
const asJson = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint32Array ? [...v] : v)));

describe('BACKWARD compatibility of every subject', () => {
  for (const topic of TOPICS) {
    const subject = TOPIC_SUBJECTS[topic];
    const versions = schemaVersions(subject);

    for (const version of versions.filter((v) => v > 1)) {
      it(`${subject} v${version} reads data written with v${version - 1}`, () => {
        const result = checkBackwardCompatible(
          loadSchema(subject, version).type,
          loadSchema(subject, version - 1).schema,
        );
        expect(result).toEqual({ compatible: true });
        const bytes = readFileSync(`${FIXTURES}${subject}/v${version - 1}.avro`);
        const json = JSON.parse(readFileSync(`${FIXTURES}${subject}/v${version - 1}.json`, 'utf8'));
        expect(asJson(topicSerde(topic, { version }).decode(bytes, version - 1))).toStrictEqual(json);
      });
    }

    it(`${subject}: the latest version reads the golden bytes of every version`, () => {
      const latest = topicSerde(topic);
      for (const version of versions) {
        const bytes = readFileSync(`${FIXTURES}${subject}/v${version}.avro`);
        const json = JSON.parse(readFileSync(`${FIXTURES}${subject}/v${version}.json`, 'utf8'));
        expect(asJson(latest.decode(bytes, version))).toStrictEqual(json);
      }
    });
  }

  it('covers every subject', () => {
    expect(new Set(Object.values(TOPIC_SUBJECTS))).toEqual(new Set(SUBJECTS));
  });
});

describe('the v2 mechanism of mosy.submission', () => {
  const v1 = loadSchema('mosy.submission', 1);
  const v2 = loadSchema('mosy.submission', 2);

  it('fills the new optional field with its default when reading v1 bytes', () => {
    const bytes = readFileSync(`${FIXTURES}mosy.submission/v1.avro`);
    const decoded = v2.type.fromBuffer(bytes, v2.type.createResolver(v1.type)) as { channel: unknown };
    expect(decoded.channel).toBeNull();
  });

  it('detects a new required field without a default', () => {
    const schema = structuredClone(v2.schema) as { fields: unknown[] };
    schema.fields.push({ name: 'priority', type: 'string' });
    const result = checkBackwardCompatible(schema, v1.schema);
    expect(result.compatible).toBe(false);
    expect(result.reason).toMatch(/priority/);
  });

  it('detects a changed field type', () => {
    const schema = structuredClone(v1.schema) as { fields: { name: string; type: unknown }[] };
    const field = schema.fields.find((f) => f.name === 'mappingVersion')!;
    field.type = 'string';
    expect(checkBackwardCompatible(schema, v1.schema).compatible).toBe(false);
  });

  it('detects a removed enum symbol', () => {
    const dead = loadSchema('mosy.dead-letter', 1);
    const schema = structuredClone(dead.schema) as { fields: { name: string; type: unknown }[] };
    schema.fields[0]!.type = { type: 'enum', name: 'DeadLetterStage', symbols: ['ingest', 'normalizer'] };
    expect(checkBackwardCompatible(schema, dead.schema).compatible).toBe(false);
  });

  it('accepts a field removed by the reader (the writer has it, the reader ignores it)', () => {
    expect(checkBackwardCompatible(v1.schema, v2.schema)).toEqual({ compatible: true });
  });
});
