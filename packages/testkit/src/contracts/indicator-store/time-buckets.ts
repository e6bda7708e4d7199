/**
 * Time in the `IndicatorStore` contract: a time filter keeps a record only when its whole reference period lies
 * inside; intervals bucket by day, week (under its Monday), month, quarter and year, with an unspecified bucket for
 * coarser dates.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { cellsPer, q, sortCells, victim, type StoreUnderTest } from './support.js';

export function describeTimeBuckets(subject: StoreUnderTest): void {
  describe('time', () => {
    let store: IndicatorStore;
    const { cells, total } = subject;
    beforeEach(() => {
      store = subject.current();
    });

    // A 2026-03-14 (Saturday), B 2026-03, C 2026, D 2025-12-31 (Wednesday), E 2026-01-01 (Thursday),
    // F 2026-01-05 (Monday).
    beforeEach(async () => {
      const dates = {
        A: '2026-03-14',
        B: '2026-03',
        C: '2026',
        D: '2025-12-31',
        E: '2026-01-01',
        F: '2026-01-05',
      };
      await store.apply(
        Object.entries(dates).map(([recordId, referenceDate]) =>
          victim({
            recordId,
            referenceDate,
            personKey: 'p:one',
            fields: { sex: recordId < 'D' ? 'F' : 'M' },
          }),
        ),
      );
    });

    it('keeps a record only when its whole period lies inside the filter', async () => {
      expect(await total({ from: '2026-03-01', to: '2026-03-31' })).toBe(2);
      expect(await total({ from: '2026-03-14', to: '2026-03-14' })).toBe(1);
      expect(await total({ from: '2026-03-02', to: '2026-03-31' })).toBe(1);
      expect(await total({ from: '2026-01-01', to: '2026-12-31' })).toBe(5);
      expect(await total({ from: '2026-01-01', to: '2026-12-30' })).toBe(4);
      expect(await total({ from: '2026-01-01', to: '2026-06-30' })).toBe(4);
      expect(await total({ from: '2026-01-01' })).toBe(5);
      expect(await total({ to: '2025-12-31' })).toBe(1);
      expect(await total({ from: '2026-01-02', to: '2026-01-04' })).toBe(0);
    });

    it('buckets by day, with an unspecified bucket for coarser dates', async () => {
      expect(await cells({ interval: 'day' })).toEqual(
        sortCells(
          cellsPer({
            '2026-03-14': 1,
            '2026-unspecified': 2,
            '2025-12-31': 1,
            '2026-01-01': 1,
            '2026-01-05': 1,
          }),
        ),
      );
    });

    it('buckets by week under its Monday, across the year boundary', async () => {
      expect(await cells({ interval: 'week' })).toEqual(
        sortCells(cellsPer({ '2026-03-09': 1, '2025-12-29': 2, '2026-01-05': 1, '2026-unspecified': 2 })),
      );
    });

    it('buckets by month, quarter and year', async () => {
      expect(await cells({ interval: 'month' })).toEqual(
        sortCells(cellsPer({ '2026-03': 2, '2026-01': 2, '2025-12': 1, '2026-unspecified': 1 })),
      );
      expect(await cells({ interval: 'quarter' })).toEqual(
        sortCells(cellsPer({ '2026-Q1': 4, '2025-Q4': 1, '2026-unspecified': 1 })),
      );
      expect(await cells({ interval: 'year' })).toEqual(sortCells(cellsPer({ '2026': 5, '2025': 1 })));
    });

    it('counts a person once per period and once in the total', async () => {
      const result = await store.query(q({ interval: 'year', unit: 'persons' }));
      expect(sortCells(result.cells)).toEqual(sortCells(cellsPer({ '2026': 1, '2025': 1 })));
      expect(result.total).toBe(1);
    });

    it('combines an interval with a breakdown and a time filter', async () => {
      expect(await cells({ interval: 'quarter', by: ['sex'], from: '2026-01-01', to: '2026-03-31' })).toEqual(
        sortCells([
          { key: { sex: 'F' }, period: '2026-Q1', value: 2 },
          { key: { sex: 'M' }, period: '2026-Q1', value: 2 },
        ]),
      );
    });
  });
}
