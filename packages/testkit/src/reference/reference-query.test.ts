import { describe, it, expect } from 'vitest';
import type { StoreQuery } from '@mosy/core';
import type { TruthRecord } from '@mosy/synthetic';
import { bucketOf, periodBoundsOf } from './periods.js';
import { referenceQuery } from './reference-query.js';

const victim = (
  recordId: string,
  personKey: string,
  referenceDate: string,
  fields: TruthRecord['fields'],
  extra: Partial<TruthRecord> = {},
): TruthRecord => ({
  providerId: 'ngo-a',
  providerType: 'NGO',
  recordId,
  kind: 'victim',
  withdrawn: false,
  personKey,
  referenceDate,
  fields: { status: 'IDENTIFIED', sex: 'F', ageGroup: '18-24', ...fields },
  version: 1,
  ...extra,
});

// Five records, four persons (P1 twice, by two providers), one withdrawn, one suspect.
const truth: TruthRecord[] = [
  victim('a', 'P1', '2024-02-10', { exploitation: ['LAB', 'SEX'], regionOfIdentification: 'PT11A' }),
  victim(
    'b',
    'P1',
    '2024-05',
    { sex: 'F', exploitation: ['SEX'], regionOfIdentification: 'PT1A0', ageGroup: 'adult' },
    { providerId: 'police', providerType: 'POLICE' },
  ),
  victim('c', 'P2', '2024', {
    sex: 'M',
    exploitation: ['LAB'],
    regionOfIdentification: 'ES30',
    ageGroup: '16-17',
  }),
  victim('d', 'Rngo-a/d', '2023-12-31', {
    sex: 'X',
    exploitation: ['UNK'],
    regionOfIdentification: 'UNK',
    status: 'FLAGGED',
    ageGroup: 'child',
  }),
  victim('e', 'P3', '2024-03-01', { regionOfIdentification: 'PT11' }, { withdrawn: true }),
  { ...victim('f', 'P4', '2024-01-01', {}), kind: 'suspect' },
];

const query = (q: Partial<StoreQuery>): StoreQuery => ({
  kind: 'victim',
  unit: 'persons',
  by: [],
  filters: {},
  ...q,
});

describe('referenceQuery', () => {
  it('counts current records of the kind, and distinct persons over the whole filter', () => {
    expect(referenceQuery(truth, query({ unit: 'records' }))).toEqual({
      cells: [{ key: {}, value: 4 }],
      total: 4,
    });
    expect(referenceQuery(truth, query({}))).toEqual({ cells: [{ key: {}, value: 3 }], total: 3 });
  });

  it('counts a person once per cell of a list field, so cells may add up to more than the total', () => {
    expect(referenceQuery(truth, query({ by: ['exploitation'] }))).toEqual({
      cells: [
        { key: { exploitation: 'LAB' }, value: 2 },
        { key: { exploitation: 'SEX' }, value: 1 },
        { key: { exploitation: 'UNK' }, value: 1 },
      ],
      total: 3,
    });
  });

  it('keeps only the listed values of a filtered list breakdown', () => {
    expect(
      referenceQuery(
        truth,
        query({ by: ['exploitation'], unit: 'records', filters: { exploitation: ['SEX'] } }),
      ),
    ).toEqual({ cells: [{ key: { exploitation: 'SEX' }, value: 2 }], total: 2 });
  });

  it('ANDs filters across fields and ORs within one', () => {
    const q = query({ unit: 'records', filters: { sex: ['M', 'X'], status: ['IDENTIFIED'] } });
    expect(referenceQuery(truth, q).total).toBe(1);
  });

  it('matches a region and everything below it, and truncates breakdowns to the level', () => {
    expect(
      referenceQuery(truth, query({ unit: 'records', filters: { regionOfIdentification: ['PT1'] } })).total,
    ).toBe(2);
    expect(
      referenceQuery(truth, query({ unit: 'records', by: ['regionOfIdentification'], geoLevel: 0 })).cells,
    ).toEqual([
      { key: { regionOfIdentification: 'ES' }, value: 1 },
      { key: { regionOfIdentification: 'PT' }, value: 2 },
      { key: { regionOfIdentification: 'UNK' }, value: 1 },
    ]);
  });

  it('derives the age class and the provider dimensions', () => {
    expect(referenceQuery(truth, query({ unit: 'records', by: ['ageClass', 'providerType'] })).cells).toEqual(
      [
        { key: { ageClass: 'adult', providerType: 'NGO' }, value: 1 },
        { key: { ageClass: 'adult', providerType: 'POLICE' }, value: 1 },
        { key: { ageClass: 'child', providerType: 'NGO' }, value: 2 },
      ],
    );
  });

  it('keeps a record only when its whole period lies inside the time frame', () => {
    const q = (from: string, to: string) => referenceQuery(truth, query({ unit: 'records', from, to })).total;
    expect(q('2024-01-01', '2024-12-31')).toBe(3);
    expect(q('2024-01-01', '2024-06-30')).toBe(2);
    expect(q('2024-05-02', '2024-12-31')).toBe(0);
    expect(q('2023-12-31', '2023-12-31')).toBe(1);
  });

  it('puts less precise dates into the unspecified bucket of their year', () => {
    expect(referenceQuery(truth, query({ unit: 'records', interval: 'quarter' })).cells).toEqual([
      { key: {}, period: '2023-Q4', value: 1 },
      { key: {}, period: '2024-Q1', value: 1 },
      { key: {}, period: '2024-Q2', value: 1 },
      { key: {}, period: '2024-unspecified', value: 1 },
    ]);
    expect(referenceQuery(truth, query({ unit: 'persons', interval: 'year', by: ['sex'] })).cells).toEqual([
      { key: { sex: 'F' }, period: '2024', value: 1 },
      { key: { sex: 'M' }, period: '2024', value: 1 },
      { key: { sex: 'X' }, period: '2023', value: 1 },
    ]);
  });

  it('returns no cells and a zero total when nothing matches', () => {
    expect(referenceQuery(truth, query({ by: ['sex'], filters: { sex: ['UNK'] } }))).toEqual({
      cells: [],
      total: 0,
    });
  });
});

describe('periods', () => {
  it('bounds years, months (leap February too) and days', () => {
    expect(periodBoundsOf('2024')).toEqual({ start: '2024-01-01', end: '2024-12-31' });
    expect(periodBoundsOf('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodBoundsOf('2023-02')).toEqual({ start: '2023-02-01', end: '2023-02-28' });
    expect(periodBoundsOf('2024-03-14')).toEqual({ start: '2024-03-14', end: '2024-03-14' });
  });

  it('buckets by interval, with ISO weeks starting on Monday across a year end', () => {
    expect(bucketOf('2025-01-01', 'week')).toBe('2024-12-30');
    expect(bucketOf('2024-03-10', 'week')).toBe('2024-03-04');
    expect(bucketOf('2024-03-11', 'week')).toBe('2024-03-11');
    expect(bucketOf('2024-03', 'week')).toBe('2024-unspecified');
    expect(bucketOf('2024-03', 'quarter')).toBe('2024-Q1');
    expect(bucketOf('2024-10-01', 'quarter')).toBe('2024-Q4');
    expect(bucketOf('2024', 'month')).toBe('2024-unspecified');
    expect(bucketOf('2024', 'year')).toBe('2024');
    expect(bucketOf('2024-07-04', 'day')).toBe('2024-07-04');
  });
});
