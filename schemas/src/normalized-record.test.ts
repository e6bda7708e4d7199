import { describe, expect, it } from 'vitest';
import { CANONICAL_FIELDS, FIELDS, isListField } from '@mosy/core';
import { loadSchema, schemaVersions } from './index.js';

interface AvroField {
  readonly name: string;
  readonly type: unknown;
  readonly default?: unknown;
}

const canonicalFieldsOf = (version: number): readonly AvroField[] => {
  const schema = loadSchema('mosy.normalized-record', version).schema as { fields: AvroField[] };
  const fields = schema.fields.find((f) => f.name === 'fields')!;
  return (fields.type as { fields: AvroField[] }).fields;
};

describe('mosy.normalized-record and the taxonomy fields table', () => {
  for (const version of schemaVersions('mosy.normalized-record')) {
    it(`v${version} has exactly the canonical fields of FIELDS, each optional with a null default`, () => {
      const avroFields = canonicalFieldsOf(version);
      expect(avroFields.map((f) => f.name).sort()).toEqual(Object.keys(FIELDS).sort());
      expect(avroFields.map((f) => f.name)).toEqual([...CANONICAL_FIELDS]);
      for (const field of avroFields) {
        expect(field.default, field.name).toBeNull();
        const expected = isListField(field.name as keyof typeof FIELDS)
          ? ['null', { type: 'array', items: 'string' }]
          : ['null', 'string'];
        expect(field.type, field.name).toEqual(expected);
      }
    });
  }
});

describe('mosy.submission and mosy.normalized-record', () => {
  it('v3 and later carry the canonical fields exactly as the latest normalized record does', () => {
    const canonicalOf = (schema: unknown, path: readonly string[]): unknown => {
      let type = schema as { fields: AvroField[] };
      for (const name of path) {
        const field = type.fields.find((f) => f.name === name)!;
        const fieldType = Array.isArray(field.type) ? (field.type as unknown[])[1] : field.type;
        type = fieldType as { fields: AvroField[] };
      }
      return type;
    };
    const normalized = canonicalOf(loadSchema('mosy.normalized-record').schema, ['fields']);
    for (const version of schemaVersions('mosy.submission').filter((v) => v >= 3))
      expect(
        canonicalOf(loadSchema('mosy.submission', version).schema, ['record', 'mapped', 'fields']),
      ).toEqual(normalized);
  });
});
