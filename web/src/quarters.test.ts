import { describe, expect, it } from 'vitest';
import { previousQuarter, quarterlySeries, sameQuarterYearBefore } from './quarters.js';

describe('quarters', () => {
  it('steps back a quarter and a year', () => {
    expect(previousQuarter('2024-Q1')).toBe('2023-Q4');
    expect(previousQuarter('2024-Q3')).toBe('2024-Q2');
    expect(sameQuarterYearBefore('2024-Q3')).toBe('2023-Q3');
  });

  it('orders quarterly cells, fills quarters without a cell with 0 and leaves other periods out', () => {
    const series = quarterlySeries([
      { period: '2024-Q2', value: 7 },
      { period: '2023-Q4', value: null },
      { period: '2024-unspecified', value: 9 },
    ]);
    expect(series.map(({ period, value }) => [period, value])).toEqual([
      ['2023-Q4', null],
      ['2024-Q1', 0],
      ['2024-Q2', 7],
    ]);
    expect(series[1]?.cell).toBeUndefined();
    expect(quarterlySeries([])).toEqual([]);
  });
});
