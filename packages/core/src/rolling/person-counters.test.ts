import { describe, expect, it } from 'vitest';
import type { StoreQuery } from '../query/model.js';
import { personCountersReadOf } from './person-counters.js';
import { rollingReadOf } from './read.js';

const REGISTERED = { status: ['IDENTIFIED', 'PRESUMED'] };

const persons = (overrides: Partial<StoreQuery> = {}): StoreQuery => ({
  kind: 'victim',
  unit: 'persons',
  by: ['sex', 'ageGroup'],
  filters: REGISTERED,
  ...overrides,
});

const routeOf = (query: StoreQuery) => {
  const read = rollingReadOf(query);
  expect(read).toBeDefined();
  return personCountersReadOf(query, read!);
};

describe('personCountersReadOf', () => {
  it('routes all-time reads of all providers to the grain of their interval, the total to all time', () => {
    expect(routeOf(persons({ interval: 'quarter' }))).toEqual({
      cells: { grain: 'quarter' },
      total: { grain: 'all' },
    });
    expect(routeOf(persons({ by: ['citizenship'], interval: 'month' }))?.cells).toEqual({ grain: 'month' });
    expect(routeOf(persons({ interval: 'year' }))?.cells).toEqual({ grain: 'year' });
    expect(routeOf(persons())).toEqual({ cells: { grain: 'all' }, total: { grain: 'all' } });
  });

  it('routes a frame of exactly one period to that grain, year-dated records only when it is a year', () => {
    const quarter = {
      grain: 'quarter',
      periods: {
        from: '2026-Q1',
        to: '2026-Q1',
        unspecifiedFrom: '2026-unspecified',
        unspecifiedTo: '2025-unspecified',
      },
    };
    expect(routeOf(persons({ from: '2026-01-01', to: '2026-03-31' }))).toEqual({
      cells: quarter,
      total: quarter,
    });
    const year = {
      grain: 'year',
      periods: {
        from: '2026',
        to: '2026',
        unspecifiedFrom: '2026-unspecified',
        unspecifiedTo: '2026-unspecified',
      },
    };
    expect(routeOf(persons({ from: '2026-01-01', to: '2026-12-31' }))).toEqual({ cells: year, total: year });
    expect(routeOf(persons({ from: '2026-02-01', to: '2026-02-28' }))?.total.grain).toBe('month');
    // Cells by quarter within a one-year frame; the total from the year's counter.
    expect(routeOf(persons({ interval: 'quarter', from: '2026-01-01', to: '2026-12-31' }))).toEqual({
      cells: { ...year, grain: 'quarter', periods: { ...year.periods, from: '2026-Q1', to: '2026-Q4' } },
      total: year,
    });
  });

  it('leaves to distinct references what counters cannot answer exactly', () => {
    const unrouted: StoreQuery[] = [
      persons({ unit: 'records' }),
      persons({ filters: { ...REGISTERED, providerId: ['prov-a'] } }),
      persons({ by: ['sex', 'ageGroup', 'providerId'] }),
      persons({ by: ['regionOfIdentification'], geoLevel: 2 }),
      persons({ by: ['sex'], filters: { ...REGISTERED, ageGroup: ['0-5', '6-11'] } }),
      // Several periods: the total would count a person in two of them twice.
      persons({ interval: 'quarter', from: '2026-01-01', to: '2026-06-30' }),
      persons({ interval: 'quarter', from: '2026-01-01' }),
      // A frame cutting a quarter.
      persons({ interval: 'quarter', from: '2026-02-01', to: '2026-02-28' }),
      persons({ from: '2025-12-01', to: '2026-02-28' }),
    ];
    for (const query of unrouted) expect(routeOf(query)).toBeUndefined();
    expect(routeOf(persons({ by: ['sex'], filters: { ...REGISTERED, ageGroup: ['0-5'] } }))).toBeDefined();
  });
});
