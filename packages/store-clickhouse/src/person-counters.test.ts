import { describe, expect, it } from 'vitest';
import type { ClickHouseConnection } from './connection.js';
import {
  grainPeriodsOf,
  monthsOfPeriod,
  openPeriods,
  refreshRowsSql,
  touchedPeriods,
} from './person-counters.js';

describe('grainPeriodsOf', () => {
  it('labels a dated record at every grain as the grain references do', () => {
    expect(grainPeriodsOf('2025-02-14', 'day')).toEqual([
      [1, '2025-02'],
      [2, '2025-Q1'],
      [3, '2025'],
      [4, ''],
    ]);
    expect(grainPeriodsOf('2025-12-01', 'month')).toEqual([
      [1, '2025-12'],
      [2, '2025-Q4'],
      [3, '2025'],
      [4, ''],
    ]);
  });

  it('keeps a year-dated record apart at the month and quarter grains', () => {
    expect(grainPeriodsOf('2024-01-01', 'year')).toEqual([
      [1, '2024-unspecified'],
      [2, '2024-unspecified'],
      [3, '2024'],
      [4, ''],
    ]);
  });
});

describe('touchedPeriods', () => {
  it('collects the distinct periods of new and replaced rows', () => {
    const rows = [
      { sign: 1, period_start: '2025-02-14', date_precision: 'day' },
      { sign: -1, period_start: '2025-03-01', date_precision: 'month' },
      { sign: 1, period_start: '2024-01-01', date_precision: 'year' },
    ];
    expect(touchedPeriods(rows)).toEqual([
      [1, '2025-02'],
      [2, '2025-Q1'],
      [3, '2025'],
      [4, ''],
      [1, '2025-03'],
      [1, '2024-unspecified'],
      [2, '2024-unspecified'],
      [3, '2024'],
    ]);
  });
});

describe('refreshRowsSql', () => {
  const tables = { fingerprint: 'f', cells: 'cells', grainRefs: 'grain_refs', counters: 'counters' };

  it('reads one grouping of the references and of the cells, for every period given', () => {
    const sql = refreshRowsSql(
      tables,
      [
        [2, '2025-Q1'],
        [4, ''],
      ],
      7,
      123,
    );
    // Each source of the statement is narrowed to the grouping: one grouping's hash table at a time.
    expect(sql.match(/FROM (grain_refs|cells)\s+WHERE grouping_index = 7 AND /g)).toHaveLength(3);
    expect(sql.match(/grouping_index = /g)).toHaveLength(3);
    expect(sql).toContain("(grain, period) IN ((2, '2025-Q1'), (4, ''))");
    expect(sql).toContain('toInt64(123)');
  });
});

describe('monthsOfPeriod', () => {
  it('holds every month whose cells a period counts, as grainPeriodsOf labels them', () => {
    const dated = ['2025-01-31', '2025-03-01', '2025-04-15', '2025-12-01', '2024-07-07'];
    for (const [start, precision] of [
      ...dated.map((date) => [date, 'day'] as const),
      ['2025-01-01', 'year'] as const,
    ]) {
      const month = precision === 'year' ? `${start.slice(0, 4)}-unspecified` : start.slice(0, 7);
      for (const pair of grainPeriodsOf(start, precision)) {
        const months = monthsOfPeriod(pair);
        if (pair[0] === 4) expect(months).toBeUndefined();
        else expect(months, `${pair.join(' ')}`).toContain(month);
      }
    }
    expect(monthsOfPeriod([2, '2025-Q2'])).toEqual(['2025-04', '2025-05', '2025-06']);
    expect(monthsOfPeriod([3, '2025'])).toHaveLength(13);
  });
});

describe('openPeriods', () => {
  /** A connection whose commands succeed `ok` times, then fail; it keeps the statements. */
  const connection = (ok: number) => {
    const statements: string[] = [];
    const fake = {
      command(sql: string): Promise<void> {
        statements.push(sql);
        return statements.length <= ok ? Promise.resolve() : Promise.reject(new Error('gone'));
      },
    };
    return { statements, connection: fake as unknown as ClickHouseConnection };
  };
  const periods = [[1, '2025-01'] as const];

  it('marks the begin with its lease, holds it, and marks the end with opens -1', async () => {
    const { statements, connection: fake } = connection(10);
    const open = await openPeriods(fake, 'ab', periods, 60_000);
    expect(() => open.assertHeld()).not.toThrow();
    await open.end();
    expect(statements).toHaveLength(2);
    expect(statements[0]).toContain('toInt64(1), s');
    expect(statements[0]).toContain('s + 60000');
    expect(statements[1]).toContain('toInt64(-1), s');
  });

  it('stops inserts once no renewal held for half a lease', async () => {
    const { statements, connection: fake } = connection(1);
    const open = await openPeriods(fake, 'ab', periods, 200);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(() => open.assertHeld()).toThrow(/lease/);
    // A renewal was tried (its timer, a quarter lease, fires before the wait's) and failed.
    expect(statements[1]).toContain('toInt64(0), toInt64(0),');
    expect(statements[1]).toContain('toInt64(s + 200)');
    await open.end().catch(() => undefined);
  });
});
