import { describe, expect, it } from 'vitest';
import { citizenshipFlows, countryComparisons, decideRevision, euTotals } from './aggregate.js';
import type { NationalReport } from './aggregate.js';

const cell = (key: Record<string, string>, value: number | null) =>
  value === null ? { key, value, flag: 'c' } : { key, value };

const PT: NationalReport = {
  country: 'PT',
  period: '2026-Q1',
  revision: 0,
  observations: [
    cell({ indicator: 'victims', period: '2026-Q1' }, 40),
    cell({ indicator: 'victims', sex: 'F', period: '2026-Q1' }, 25),
    cell({ indicator: 'victims', sex: 'M', period: '2026-Q1' }, 15),
    cell({ indicator: 'victims', citizen: 'NAT', period: '2026-Q1' }, 30),
    cell({ indicator: 'victims', citizen: 'NON-EU', period: '2026-Q1' }, 10),
  ],
};
const ES: NationalReport = {
  country: 'ES',
  period: '2026-Q1',
  revision: 2,
  observations: [
    cell({ period: '2026-Q1', indicator: 'victims' }, 60),
    cell({ indicator: 'victims', sex: 'F', period: '2026-Q1' }, 58),
    cell({ indicator: 'victims', sex: 'M', period: '2026-Q1' }, null),
    cell({ indicator: 'victims', citizen: 'NAT', period: '2026-Q1' }, null),
    cell({ indicator: 'victims', citizen: 'EU', period: '2026-Q1' }, 7),
    cell({ indicator: 'victims', citizen: 'EU', sex: 'F', period: '2026-Q1' }, 7),
  ],
};

describe('euTotals', () => {
  it('sums the published values, whatever the order of the key members, and says which countries are in', () => {
    const totals = euTotals([PT, ES]);
    expect(totals.find((t) => t.key.sex === 'F' && t.key.citizen === undefined)).toEqual({
      key: { indicator: 'victims', sex: 'F', period: '2026-Q1' },
      value: 83,
      countries: ['ES', 'PT'],
      withheldBy: [],
    });
    expect(totals.find((t) => Object.keys(t.key).length === 2)).toMatchObject({
      value: 100,
      countries: ['ES', 'PT'],
    });
  });

  it('withholds a total that includes a withheld national value', () => {
    const male = euTotals([PT, ES]).find((t) => t.key.sex === 'M');
    expect(male).toEqual({
      key: { indicator: 'victims', sex: 'M', period: '2026-Q1' },
      value: null,
      flag: 'c',
      countries: ['ES', 'PT'],
      withheldBy: ['ES'],
    });
  });

  it('counts only the countries that published a key', () => {
    const eu = euTotals([PT, ES]).find((t) => t.key.citizen === 'EU' && t.key.sex === undefined);
    expect(eu).toEqual({
      key: { indicator: 'victims', citizen: 'EU', period: '2026-Q1' },
      value: 7,
      countries: ['ES'],
      withheldBy: [],
    });
    expect(euTotals([PT, ES])).toHaveLength(7);
  });

  it('refuses two reports of one country for one quarter', () => {
    expect(() => euTotals([PT, { ...PT, revision: 1 }])).toThrow(/Two reports of PT/);
  });
});

describe('countryComparisons', () => {
  it('puts each country’s value side by side, withheld ones as null', () => {
    const nat = countryComparisons([PT, ES]).find((c) => c.key.citizen === 'NAT');
    expect(nat).toEqual({
      key: { indicator: 'victims', citizen: 'NAT', period: '2026-Q1' },
      values: { ES: null, PT: 30 },
    });
  });
});

describe('citizenshipFlows', () => {
  it('takes the citizenship-only breakdowns, the reporting country as the country of exploitation', () => {
    expect(citizenshipFlows([PT, ES])).toEqual([
      { indicator: 'victims', period: '2026-Q1', citizenship: 'EU', exploitation: 'ES', value: 7 },
      {
        indicator: 'victims',
        period: '2026-Q1',
        citizenship: 'NAT',
        exploitation: 'ES',
        value: null,
        flag: 'c',
      },
      { indicator: 'victims', period: '2026-Q1', citizenship: 'NAT', exploitation: 'PT', value: 30 },
      { indicator: 'victims', period: '2026-Q1', citizenship: 'NON-EU', exploitation: 'PT', value: 10 },
    ]);
  });
});

describe('decideRevision', () => {
  it('stores the first and newer revisions, ignores a re-send, refuses an older one', () => {
    expect(decideRevision(undefined, 0)).toBe('store');
    expect(decideRevision(0, 1)).toBe('store');
    expect(decideRevision(1, 1)).toBe('same');
    expect(decideRevision(2, 1)).toBe('older');
  });
});
