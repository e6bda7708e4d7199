import { describe, expect, it } from 'vitest';
import type { StoreQuery } from '@mosy/core';
import { clickHouseDialect, duckDbDialect } from './dialect.js';
import { buildPartsSql, partQuery, partsFromRows } from './parts-sql.js';

const query: StoreQuery = {
  kind: 'victim',
  unit: 'records',
  by: ['sex', 'ageClass'],
  filters: {},
  keySums: true,
};
const source = "SELECT record_key, sex AS k0, age_class AS k1 FROM t WHERE kind = 'victim' AND NOT withdrawn";
const keySum = 'CAST(coalesce(sum(record_key), 0) % 4294967296 AS BIGINT) AS key_sum';

describe('buildPartsSql', () => {
  it('groups by one grouping set per part on DuckDB, adding the empty part for the total', () => {
    const plan = buildPartsSql(query, [['sex'], ['sex', 'ageClass']], duckDbDialect, 't');
    expect(plan).toEqual({
      sql:
        'SELECT CASE grouping(k0, k1) WHEN 1 THEN 0 WHEN 0 THEN 1 WHEN 3 THEN 2 END AS part_id, k0, k1, count(*) AS n, ' +
        `${keySum} FROM (${source}) GROUP BY GROUPING SETS ((k0), (k0, k1), ()) ORDER BY part_id, k0, k1`,
      parts: [['sex'], ['sex', 'ageClass'], []],
      asked: 2,
      totalIndex: 2,
    });
  });

  it('repeats each row once per part on ClickHouse, blanking the columns a part leaves out', () => {
    const plan = buildPartsSql({ ...query, keySums: false }, [[], ['ageClass']], clickHouseDialect, 't');
    expect(plan?.sql).toBe(
      // sex (k0) is in no part: left out of the grouping.
      "SELECT part_id, g_k1 AS k1, count(*) AS n FROM (SELECT arrayJoin([0, 1]) AS part_id, if(has([1], part_id), k1, '') AS g_k1 " +
        "FROM (SELECT sex AS k0, age_class AS k1 FROM t FINAL WHERE kind = 'victim' AND withdrawn = 0)) " +
        'GROUP BY part_id, g_k1 ORDER BY part_id, g_k1',
    );
    expect(plan?.totalIndex).toBe(0);
  });

  it('gives no statement with a list breakdown or none at all, and refuses parts outside the query', () => {
    expect(buildPartsSql({ ...query, by: ['exploitation'] }, [[]], duckDbDialect, 't')).toBeUndefined();
    expect(buildPartsSql({ ...query, by: [] }, [[]], duckDbDialect, 't')).toBeUndefined();
    expect(() => buildPartsSql(query, [['citizenship']], duckDbDialect, 't')).toThrow();
    expect(() => buildPartsSql(query, [['period']], duckDbDialect, 't')).toThrow();
    expect(() => buildPartsSql(query, [['sex'], ['sex']], duckDbDialect, 't')).toThrow();
  });
});

describe('partsFromRows', () => {
  it('answers each part as its own query, with the empty part as every total', () => {
    const plan = buildPartsSql(
      { ...query, interval: 'year' },
      [['ageClass', 'period'], ['sex']],
      duckDbDialect,
      't',
    )!;
    const rows = [
      { part_id: 0, k0: null, k1: '0-17', period_label: '2026', n: 2, key_sum: 5 },
      { part_id: 1, k0: 'F', k1: null, period_label: null, n: 3, key_sum: 7 },
      { part_id: 2, k0: null, k1: null, period_label: null, n: 3, key_sum: 7 },
    ];
    expect(partsFromRows({ ...query, interval: 'year' }, plan, rows)).toEqual([
      {
        cells: [{ key: { ageClass: '0-17' }, period: '2026', value: 2, keySum: 5 }],
        total: 3,
        totalKeySum: 7,
      },
      { cells: [{ key: { sex: 'F' }, value: 3, keySum: 7 }], total: 3, totalKeySum: 7 },
    ]);
    expect(partQuery({ ...query, interval: 'year' }, ['ageClass'])).toEqual({ ...query, by: ['ageClass'] });
  });
});
