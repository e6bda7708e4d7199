import { describe, expect, it } from 'vitest';
import type { StoreQuery } from '../query/model.js';
import { REGISTERED_STATUSES } from '../taxonomy/codes.js';
import { rollingGrainsOf } from './grains.js';
import { rollingReadOf } from './read.js';

const base = { kind: 'victim', unit: 'persons', filters: { status: REGISTERED_STATUSES } } as const;

const planOf = (query: Omit<StoreQuery, 'kind' | 'unit' | 'filters'> & Partial<StoreQuery>) =>
  rollingGrainsOf(rollingReadOf({ ...base, ...query })!);

describe('rollingGrainsOf', () => {
  it('routes all-time reads per interval to the interval grain, the total to all time', () => {
    expect(planOf({ by: ['sex', 'ageGroup'], interval: 'quarter' })).toEqual({
      cells: { grain: 'quarter' },
      total: { grain: 'all' },
    });
    expect(planOf({ by: ['citizenship'] })).toEqual({ cells: { grain: 'all' }, total: { grain: 'all' } });
  });

  it('selects whole quarters and the year-dated labels of the whole years in the frame', () => {
    expect(planOf({ by: ['sex'], interval: 'quarter', from: '2024-04-01', to: '2025-12-31' })).toEqual({
      cells: {
        grain: 'quarter',
        periods: {
          from: '2024-Q2',
          to: '2025-Q4',
          unspecifiedFrom: '2025-unspecified',
          unspecifiedTo: '2025-unspecified',
        },
      },
    });
  });

  it('answers one whole month, quarter or year without interval from that grain, cells and total', () => {
    const month = planOf({ by: ['sex'], from: '2025-02-01', to: '2025-02-28' });
    expect(month.cells).toEqual(month.total);
    expect(month.total?.grain).toBe('month');
    expect(planOf({ by: ['sex'], from: '2025-04-01', to: '2025-06-30' }).total).toEqual({
      grain: 'quarter',
      periods: {
        from: '2025-Q2',
        to: '2025-Q2',
        unspecifiedFrom: '2026-unspecified',
        unspecifiedTo: '2024-unspecified',
      },
    });
    expect(planOf({ by: [], from: '2025-01-01', to: '2025-12-31' }).total?.grain).toBe('year');
    // Two years, or an open end, are more than one period: the total needs the finest rows.
    expect(planOf({ by: [], from: '2024-01-01', to: '2025-12-31' })).toEqual({});
    expect(planOf({ by: ['sex'], interval: 'year', from: '2025-01-01' }).total).toBeUndefined();
  });

  it('keeps the finest rows for frames that cut a period of the grain', () => {
    expect(planOf({ by: ['sex'], interval: 'quarter', from: '2025-02-01', to: '2025-06-30' }).cells).toBe(
      undefined,
    );
    expect(planOf({ by: ['sex'], interval: 'year', from: '2025-01-01', to: '2025-06-30' })).toEqual({});
    expect(planOf({ by: ['sex'], interval: 'year', from: '2025-04-01', to: '2025-06-30' })).toEqual({
      total: {
        grain: 'quarter',
        periods: {
          from: '2025-Q2',
          to: '2025-Q2',
          unspecifiedFrom: '2026-unspecified',
          unspecifiedTo: '2024-unspecified',
        },
      },
    });
  });

  it('routes no part of a read of some providers, and no cells by provider or by a truncated region', () => {
    expect(
      planOf({ by: ['sex'], interval: 'quarter', filters: { ...base.filters, providerId: ['p'] } }),
    ).toEqual({});
    expect(planOf({ by: ['sex', 'providerId'], interval: 'quarter' })).toEqual({ total: { grain: 'all' } });
    expect(planOf({ by: ['regionOfIdentification'], geoLevel: 1 })).toEqual({ total: { grain: 'all' } });
    expect(planOf({ by: ['regionOfIdentification'] }).cells).toEqual({ grain: 'all' });
  });
});
