import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../records.js';
import { cellSourceOf, rollingCellsOf, rollingMonthOf } from './cells.js';
import { rollingDelta } from './delta.js';
import { ROLLING_GROUPINGS } from './groupings.js';

const victim = (overrides: Partial<NormalizedRecord> = {}): NormalizedRecord => ({
  providerId: 'ngo-a',
  providerType: 'NGO',
  recordId: '1',
  version: 1,
  action: 'upsert',
  kind: 'victim',
  referenceDate: '2026-02-14',
  precision: 'day',
  periodStart: '2026-02-14',
  periodEnd: '2026-02-14',
  personKey: 'p:x',
  recordKey: 7,
  fields: {
    status: 'IDENTIFIED',
    sex: 'F',
    ageGroup: '16-17',
    exploitation: ['SEX', 'LAB', 'SEX'],
    citizenship: ['PT'],
    regionOfIdentification: 'PT111',
    assistance: 'Y',
  },
  quality: [],
  mappingVersion: 1,
  taxonomyVersion: 't',
  receivedAt: 0,
  ...overrides,
});

const byId = new Map(ROLLING_GROUPINGS.map((g) => [g.id, g]));

describe('rolling groupings', () => {
  it('keep every CKI breakdown of the catalogue and its margins once, indexed by position, geography whole', () => {
    expect(ROLLING_GROUPINGS.map((g) => g.index)).toEqual(ROLLING_GROUPINGS.map((_, i) => i));
    expect(byId.size).toBe(ROLLING_GROUPINGS.length);
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining([
        'victims/',
        'victims/sex+ageGroup',
        'victims/regionOfIdentification',
        'victims-assisted/sex',
        'prosecutions-finalised/outcome',
        'convicted/',
      ]),
    );
    // victims 16, three victim subsets 2 each, suspects 5, prosecuted 4, finalised prosecutions 2, convicted 3,
    // and every victim and every prosecution unfiltered (the other kinds' indicators have no default filter).
    expect(ROLLING_GROUPINGS).toHaveLength(36 + 2);
    expect(ROLLING_GROUPINGS.slice(36).map((g) => g.id)).toEqual(['victim:all/', 'prosecution:all/']);
    // Index 65535 (UInt16's last) marks a counters version complete in ClickHouse (COMPLETE_GROUPING).
    expect(ROLLING_GROUPINGS.length).toBeLessThan(65_535);
  });
});

describe('rolling cells', () => {
  it('put a record in one finest cell per grouping and distinct list code, month and own provider only', () => {
    const cells = rollingCellsOf(cellSourceOf(victim())!);
    const of = (id: string) =>
      cells.filter((cell) => cell.grouping === byId.get(id)!.index).map(({ k0, k1 }) => [k0, k1]);
    expect(of('victims/')).toEqual([['', '']]);
    expect(of('victims/sex+exploitation')).toEqual([
      ['F', 'SEX'],
      ['F', 'LAB'],
    ]);
    expect(of('victims/regionOfIdentification')).toEqual([['PT111', '']]);
    expect(of('victims/ageClass')).toEqual([['child', '']]);
    expect(of('victims-assisted/sex')).toEqual([['F', '']]);
    expect(of('victims-reflection-period/sex')).toEqual([]);
    expect(new Set(cells.map((cell) => `${cell.month} ${cell.providerId}`))).toEqual(
      new Set(['2026-02 ngo-a']),
    );
    // 16 victim groupings, two of them over a list of two codes, the two assisted ones, and every victim.
    expect(cells).toHaveLength(16 + 2 + 2 + 1);
  });

  it('label months as the current-records queries do, year-dated records as unspecified', () => {
    expect(rollingMonthOf('2026-02-14', 'day')).toBe('2026-02');
    expect(rollingMonthOf('2026-02-01', 'month')).toBe('2026-02');
    expect(rollingMonthOf('2026-01-01', 'year')).toBe('2026-unspecified');
  });

  it('count a person without identity directly and one with identity by reference, cancelling what versions share', () => {
    const first = victim({ personKey: 'r:abc' });
    const second = victim({ personKey: 'r:abc', fields: { ...first.fields, sex: 'M' }, version: 2 });
    const delta = rollingDelta(cellSourceOf(first), cellSourceOf(second));
    expect(delta.personRefs).toEqual([]);
    // Only the cells with sex change, old out and new in: sex, sex+ageGroup, sex+exploitation (two codes),
    // sex+citizenship, sex+countryOfRecruitment (code ''), victims-assisted/sex.
    expect(delta.cells).toHaveLength(2 * 7);
    expect(delta.cells.every((c) => Math.abs(c.records) === 1 && c.persons === c.records)).toBe(true);
    const identified = rollingDelta(undefined, cellSourceOf(victim()));
    expect(identified.cells.every((c) => c.persons === 0 && c.records === 1)).toBe(true);
    expect(identified.personRefs).toHaveLength(identified.cells.length);
    expect(rollingDelta(cellSourceOf(victim()), undefined).personRefs.every((r) => r.refs === -1)).toBe(true);
  });
});
