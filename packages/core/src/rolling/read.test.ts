import { describe, expect, it } from 'vitest';
import type { StoreQuery } from '../query/model.js';
import { REGISTERED_STATUSES } from '../taxonomy/codes.js';
import { rollingReadOf, totalQueryOf } from './read.js';

describe('totalQueryOf', () => {
  const crossed: StoreQuery = {
    kind: 'victim',
    unit: 'persons',
    by: ['citizenship', 'exploitation'],
    interval: 'quarter',
    filters: { status: REGISTERED_STATUSES, providerId: ['ngo-1'] },
    from: '2026-01-01',
    to: '2026-06-30',
    keySums: true,
  };

  it('keeps the filters and time frame, without breakdown or interval', () => {
    expect(totalQueryOf(crossed)).toEqual({
      kind: 'victim',
      unit: 'persons',
      by: [],
      filters: { status: REGISTERED_STATUSES, providerId: ['ngo-1'] },
      from: '2026-01-01',
      to: '2026-06-30',
      keySums: true,
    });
  });

  it('is a catalogue read when only the breakdown made the query ad hoc', () => {
    expect(rollingReadOf(crossed)).toBeUndefined();
    expect(rollingReadOf(totalQueryOf(crossed))).toBeDefined();
    // Filtered on a list field beyond the defaults: its total is ad hoc too.
    const filtered = { ...crossed, filters: { ...crossed.filters, exploitation: ['SEX'] } };
    expect(rollingReadOf(totalQueryOf(filtered))).toBeUndefined();
  });
});
