import { describe, expect, it } from 'vitest';
import { CANONICAL_FIELDS, isListField } from '@mosy/core';
import { buildNormalizedRecord } from '@mosy/testkit';
import { DIMENSION_COLUMNS, FIELD_COLUMNS, RECORD_COLUMNS, toRow } from './columns.js';

describe('RECORD_COLUMNS', () => {
  it('has unique snake_case names, the key first', () => {
    const names = RECORD_COLUMNS.map((column) => column.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z_]*$/);
    expect(RECORD_COLUMNS.filter((column) => column.key).map((column) => column.name)).toEqual([
      'provider_id',
      'record_id',
    ]);
    expect(names).toHaveLength(32);
  });

  it('has a column for every canonical field and dimension, lists as lists', () => {
    const types = new Map(RECORD_COLUMNS.map((column) => [column.name, column.type]));
    for (const field of CANONICAL_FIELDS) {
      expect(types.get(FIELD_COLUMNS[field])).toBe(isListField(field) ? 'list' : 'string');
    }
    for (const column of Object.values(DIMENSION_COLUMNS)) expect(types.has(column)).toBe(true);
  });
});

describe('toRow', () => {
  it('flattens a record into every column', () => {
    const record = buildNormalizedRecord({
      providerId: 'ngo-7',
      providerType: 'NGO',
      recordId: 'case-19',
      version: 3,
      referenceDate: '2026-02',
      personKey: 'p:abc',
      recordKey: 4_000_000_000,
      receivedAt: 1_775_001_600_000,
      mappingVersion: 2,
      fields: {
        sex: 'F',
        ageGroup: '16-17',
        exploitation: ['SEX', 'LAB', 'SEX'],
        citizenship: 'BR',
        regionOfIdentification: 'PT11',
      },
    });
    expect(toRow(record)).toEqual({
      provider_id: 'ngo-7',
      record_id: 'case-19',
      version: 3,
      withdrawn: false,
      provider_type: 'NGO',
      kind: 'victim',
      reference_date: '2026-02',
      date_precision: 'month',
      period_start: '2026-02-01',
      period_end: '2026-02-28',
      person_key: 'p:abc',
      record_key: 4_000_000_000,
      status: 'IDENTIFIED',
      sex: 'F',
      age_group: '16-17',
      citizenship: ['BR'],
      exploitation: ['SEX', 'LAB'],
      region_of_identification: 'PT11',
      region_of_exploitation: 'UNK',
      country_of_recruitment: 'UNK',
      organised_crime: '',
      assistance: 'UNK',
      reflection_period: 'UNK',
      residence_permit: 'UNK',
      means_of_control: ['UNK'],
      recruiter_relationship: ['UNK'],
      labour_sector: 'UNK',
      outcome: '',
      age_class: 'child',
      mapping_version: 2,
      taxonomy_version: '1',
      received_at: 1_775_001_600_000,
    });
  });

  it('leaves the fields of a withdrawal empty', () => {
    const row = toRow(buildNormalizedRecord({ action: 'withdraw', version: 2 }));
    expect(row.withdrawn).toBe(true);
    expect(row.version).toBe(2);
    expect(row.sex).toBe('');
    expect(row.exploitation).toEqual([]);
    expect(row.age_class).toBe('');
  });

  it('refuses a list in a single-code field', () => {
    expect(() => toRow(buildNormalizedRecord({ fields: { sex: ['F', 'M'] } }))).toThrow(/sex holds a list/);
  });
});

describe('the age_class column', () => {
  it('is the roll-up of the age group, and empty where the record has no age group', () => {
    const ageClass = (fields: Record<string, string>, kind: 'victim' | 'prosecution' = 'victim') =>
      toRow(buildNormalizedRecord({ kind, fields })).age_class;
    expect(ageClass({ ageGroup: '16-17' })).toBe('child');
    expect(ageClass({ ageGroup: 'child' })).toBe('child');
    expect(ageClass({ ageGroup: '65+' })).toBe('adult');
    expect(ageClass({ ageGroup: 'UNK' })).toBe('UNK');
    expect(ageClass({}, 'prosecution')).toBe('');
  });
});
