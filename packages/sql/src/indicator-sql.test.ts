import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FIELDS, DERIVED_DIMENSIONS, INTERVALS, type Dimension, type StoreQuery } from '@mosy/core';
import { clickHouseDialect, duckDbDialect } from './dialect.js';
import { buildIndicatorSql, cellsFromRows, resultOfSingle, toCount } from './indicator-sql.js';
import { SAFE_LITERAL_PATTERN } from './literal.js';

const base: StoreQuery = { kind: 'victim', unit: 'records', by: [], filters: {} };
const example: StoreQuery = {
  kind: 'victim',
  unit: 'persons',
  by: ['sex', 'exploitation'],
  filters: { exploitation: ['SEX'], regionOfIdentification: ['PT1'] },
  interval: 'quarter',
  from: '2026-01-01',
  to: '2026-12-31',
};

describe('buildIndicatorSql', () => {
  it('writes the DuckDB statements', () => {
    const where =
      "kind = 'victim' AND NOT withdrawn AND list_has_any(exploitation, ['SEX']) AND " +
      "(starts_with(region_of_identification, 'PT1')) AND period_start >= DATE '2026-01-01' AND " +
      "period_end <= DATE '2026-12-31'";
    const quarter =
      "CASE WHEN date_precision IN ('day', 'month') THEN concat(substring(CAST(period_start AS VARCHAR), 1, 4), " +
      "'-Q', CAST(quarter(period_start) AS VARCHAR)) ELSE concat(substring(CAST(period_start AS VARCHAR), 1, 4), " +
      "'-unspecified') END";
    const person = 'coalesce(linked_key, person_key) AS person';
    const from =
      'records_current LEFT JOIN (SELECT provider_id, record_id, person_key AS linked_key FROM person_links) ' +
      'USING (provider_id, record_id)';
    expect(buildIndicatorSql(example, duckDbDialect, 'records_current')).toEqual({
      cellsSql:
        'SELECT k0, k1, period_label, count(DISTINCT person) AS n FROM (SELECT * FROM (' +
        'SELECT person, k0, period_label, unnest(l1) AS k1 FROM (' +
        `SELECT ${person}, sex AS k0, exploitation AS l1, ${quarter} AS period_label FROM ${from} WHERE ${where}` +
        ")) WHERE k1 IN ('SEX')) GROUP BY k0, k1, period_label ORDER BY k0, k1, period_label",
      totalSql: `SELECT count(DISTINCT person) AS n FROM (SELECT ${person} FROM ${from} WHERE ${where})`,
    });
  });

  it('writes the ClickHouse statements, reading the table FINAL', () => {
    const where =
      "kind = 'victim' AND withdrawn = 0 AND hasAny(exploitation, ['SEX']) AND " +
      "(substring(region_of_identification, 1, 3) = 'PT1') AND period_start >= toDate('2026-01-01') AND " +
      "period_end <= toDate('2026-12-31')";
    const quarter =
      "CASE WHEN date_precision IN ('day', 'month') THEN concat(substring(toString(period_start), 1, 4), '-Q', " +
      "toString(toQuarter(period_start))) ELSE concat(substring(toString(period_start), 1, 4), '-unspecified') END";
    const person = "if(linked_key = '', person_key, linked_key) AS person";
    const from =
      'records_current FINAL ANY LEFT JOIN (SELECT provider_id, record_id, person_key AS linked_key FROM person_links FINAL) ' +
      'USING (provider_id, record_id)';
    expect(buildIndicatorSql(example, clickHouseDialect, 'records_current')).toEqual({
      cellsSql:
        'SELECT k0, k1, period_label, uniqExact(person) AS n FROM (SELECT * FROM (' +
        'SELECT person, k0, period_label, arrayJoin(l1) AS k1 FROM (' +
        `SELECT ${person}, sex AS k0, exploitation AS l1, ${quarter} AS period_label FROM ${from} WHERE ${where}` +
        ")) WHERE k1 IN ('SEX')) GROUP BY k0, k1, period_label ORDER BY k0, k1, period_label",
      totalSql: `SELECT uniqExact(person) AS n FROM (SELECT ${person} FROM ${from} WHERE ${where})`,
    });
  });

  it('nests one unnest per list breakdown, so two lists cross', () => {
    const { cellsSql } = buildIndicatorSql(
      { ...base, by: ['citizenship', 'sex', 'exploitation'] },
      duckDbDialect,
      't',
    );
    expect(cellsSql).toBe(
      'SELECT k0, k1, k2, count(*) AS n FROM (SELECT k1, k0, unnest(l2) AS k2 FROM (SELECT k1, l2, unnest(l0) AS k0 FROM (' +
        "SELECT citizenship AS l0, sex AS k1, exploitation AS l2 FROM t WHERE kind = 'victim' AND NOT withdrawn))) " +
        'GROUP BY k0, k1, k2 ORDER BY k0, k1, k2',
    );
  });

  it('truncates geography breakdowns to geoLevel, leaving UNK whole', () => {
    const { cellsSql } = buildIndicatorSql(
      { ...base, by: ['regionOfExploitation'], geoLevel: 2 },
      duckDbDialect,
      't',
    );
    expect(cellsSql).toContain(
      "CASE WHEN region_of_exploitation = 'UNK' THEN 'UNK' ELSE substring(region_of_exploitation, 1, 4) END AS k0",
    );
  });

  it('labels periods per interval, unspecified when the date is too coarse', () => {
    const label = (interval: (typeof INTERVALS)[number]): string => {
      const { cellsSql } = buildIndicatorSql({ ...base, interval }, clickHouseDialect, 't');
      const inner = cellsSql.slice(cellsSql.lastIndexOf('SELECT ') + 'SELECT '.length);
      return inner.slice(0, inner.indexOf(' AS period_label'));
    };
    expect(label('year')).toBe('substring(toString(period_start), 1, 4)');
    expect(label('month')).toBe(
      "CASE WHEN date_precision IN ('day', 'month') THEN substring(toString(period_start), 1, 7) ELSE concat(substring(toString(period_start), 1, 4), '-unspecified') END",
    );
    expect(label('week')).toBe(
      "CASE WHEN date_precision IN ('day') THEN toString(toMonday(period_start)) ELSE concat(substring(toString(period_start), 1, 4), '-unspecified') END",
    );
    expect(label('day')).toBe(
      "CASE WHEN date_precision IN ('day') THEN toString(period_start) ELSE concat(substring(toString(period_start), 1, 4), '-unspecified') END",
    );
  });

  it('matches nothing for an empty list of allowed values', () => {
    expect(buildIndicatorSql({ ...base, filters: { sex: [] } }, duckDbDialect, 't').totalSql).toBe(
      "SELECT count(*) AS n FROM (SELECT 1 AS one FROM t WHERE kind = 'victim' AND NOT withdrawn AND 1 = 0)",
    );
  });

  it('sums record keys modulo 2^32 with keySums', () => {
    const where = "kind = 'victim' AND NOT withdrawn";
    const keySum = 'CAST(coalesce(sum(record_key), 0) % 4294967296 AS BIGINT) AS key_sum';
    const cellsSql = `SELECT k0, count(*) AS n, ${keySum} FROM (SELECT record_key, sex AS k0 FROM t WHERE ${where}) GROUP BY k0 ORDER BY k0`;
    expect(buildIndicatorSql({ ...base, by: ['sex'], keySums: true }, duckDbDialect, 't')).toEqual({
      cellsSql,
      totalSql: `SELECT count(*) AS n, ${keySum} FROM (SELECT record_key FROM t WHERE ${where})`,
      // Each record lies in exactly one cell, so the cells' sum is the total: one statement.
      single: { sql: cellsSql, total: 'cells' },
    });
  });

  it('sums the key numbers of distinct persons with keySums, grouping each person once per cell', () => {
    const where = "kind = 'victim' AND withdrawn = 0";
    const keySum =
      'coalesce(sum(reinterpretAsUInt32(reverse(substring(SHA256(person), 1, 4)))), 0) % 4294967296 AS key_sum';
    const from =
      "(SELECT if(linked_key = '', person_key, linked_key) AS person FROM t FINAL ANY LEFT JOIN (SELECT provider_id, record_id, " +
      'person_key AS linked_key FROM person_links FINAL) USING (provider_id, record_id)';
    const query: StoreQuery = { ...base, unit: 'persons', by: ['sex'], keySums: true };
    const cellsFrom = from.replace(' AS person FROM', ' AS person, sex AS k0 FROM');
    const keyNumber = 'reinterpretAsUInt32(reverse(substring(SHA256(p), 1, 4)))';
    expect(buildIndicatorSql(query, clickHouseDialect, 't')).toEqual({
      cellsSql:
        `SELECT k0, count(*) AS n, ${keySum} FROM (SELECT k0, person FROM ${cellsFrom} ` +
        `WHERE ${where}) GROUP BY k0, person) GROUP BY k0 ORDER BY k0`,
      totalSql: `SELECT count(*) AS n, ${keySum} FROM (SELECT person FROM ${from} WHERE ${where}) GROUP BY person)`,
      // One aggregation level, so that WITH TOTALS counts each person once over all cells.
      single: {
        sql:
          `SELECT k0, length(groupUniqArray(person)) AS n, arraySum(arrayMap(p -> ${keyNumber}, groupUniqArray(person))) ` +
          `% 4294967296 AS key_sum FROM ${cellsFrom} WHERE ${where}) GROUP BY k0 WITH TOTALS ORDER BY k0`,
        total: 'totals',
      },
    });
    expect(duckDbDialect.personKeyNumber('person_key')).toBe(
      "CAST(concat('0x', substring(sha256(person_key), 1, 8)) AS BIGINT)",
    );
  });

  it('totals persons by grouping sets on DuckDB, each person once in the total', () => {
    const where = "kind = 'victim' AND NOT withdrawn";
    const from =
      'FROM t LEFT JOIN (SELECT provider_id, record_id, person_key AS linked_key FROM person_links) USING (provider_id, record_id)';
    const source = `SELECT coalesce(linked_key, person_key) AS person, sex AS k0 ${from} WHERE ${where}`;
    const keyNumber = "CAST(concat('0x', substring(sha256(person), 1, 8)) AS BIGINT)";
    // The key number of each record's person once, not once per group the person falls in.
    const keySum = 'CAST(coalesce(sum(person_kn), 0) % 4294967296 AS BIGINT)';
    const persons: StoreQuery = { ...base, unit: 'persons', by: ['sex'] };
    expect(buildIndicatorSql(persons, duckDbDialect, 't').single).toEqual({
      sql:
        `SELECT k0, count(DISTINCT person) AS n, grouping(k0) AS is_total FROM (${source}) ` +
        'GROUP BY GROUPING SETS ((k0), ()) ORDER BY is_total, k0',
      total: 'row',
    });
    expect(buildIndicatorSql({ ...persons, keySums: true }, duckDbDialect, 't').single).toEqual({
      sql:
        `SELECT k0, count(*) AS n, ${keySum} AS key_sum, is_total FROM (SELECT k0, person, person_kn, grouping(k0) AS is_total ` +
        `FROM (SELECT *, ${keyNumber} AS person_kn FROM (${source})) GROUP BY GROUPING SETS ((k0, person, person_kn), (person, person_kn))) ` +
        'GROUP BY is_total, k0 ORDER BY is_total, k0',
      total: 'row',
    });
  });

  it('reads signed rows without FINAL: records as sums of signs, persons netted per cell before counting', () => {
    const where = "kind = 'victim' AND withdrawn = 0";
    const records = buildIndicatorSql(
      { ...base, by: ['sex'], keySums: true },
      clickHouseDialect,
      's',
      null,
      true,
    );
    expect(records.cellsSql).toBe(
      'SELECT k0, sum(sign) AS n, coalesce(sum(sign * record_key), 0) % 4294967296 AS key_sum FROM (' +
        `SELECT record_key, sign, sex AS k0 FROM s WHERE ${where}) GROUP BY k0 ORDER BY k0`,
    );
    const persons = buildIndicatorSql(
      { ...base, unit: 'persons', by: ['sex'], keySums: true },
      clickHouseDialect,
      's',
      null,
      true,
    );
    const netted =
      'SELECT k0, person, person_kn FROM (SELECT sipHash128(person_key) AS person, person_key_number AS person_kn, ' +
      `sign, sex AS k0 FROM s WHERE ${where}) GROUP BY k0, person, person_kn HAVING sum(sign) > 0`;
    expect(persons.single).toEqual({
      sql:
        'SELECT k0, length(groupUniqArray((person, person_kn))) AS n, arraySum(arrayMap(p -> tupleElement(p, 2), ' +
        `groupUniqArray((person, person_kn)))) % 4294967296 AS key_sum FROM (${netted}) GROUP BY k0 WITH TOTALS ORDER BY k0`,
      total: 'totals',
    });
    // Linked persons keep their key (its key number is hashed from it), and the join reads the signed table as is.
    const linked = buildIndicatorSql(
      { ...base, unit: 'persons', keySums: true },
      clickHouseDialect,
      's',
      'l',
      true,
    );
    expect(linked.totalSql).toBe(
      'SELECT count(*) AS n, coalesce(sum(person_kn), 0) % 4294967296 AS key_sum FROM (SELECT *, ' +
        'reinterpretAsUInt32(reverse(substring(SHA256(person), 1, 4))) AS person_kn FROM (SELECT person FROM (' +
        "SELECT if(linked_key = '', person_key, linked_key) AS person, sign FROM s ANY LEFT JOIN (SELECT " +
        `provider_id, record_id, person_key AS linked_key FROM l FINAL) USING (provider_id, record_id) WHERE ${where}` +
        ') GROUP BY person HAVING sum(sign) > 0))',
    );
  });

  it('keeps two statements where a list is unnested, except with no groups at all', () => {
    for (const dialect of [duckDbDialect, clickHouseDialect]) {
      for (const unit of ['persons', 'records'] as const) {
        expect(
          buildIndicatorSql({ ...base, unit, by: ['exploitation'] }, dialect, 't').single,
        ).toBeUndefined();
        const plain = buildIndicatorSql({ ...base, unit }, dialect, 't');
        expect(plain.single).toEqual({ sql: plain.cellsSql, total: 'cells' });
      }
    }
  });

  it('refuses invalid queries with invalid-query', () => {
    const bad: unknown[] = [
      { ...base, kind: 'witness' },
      { ...base, unit: 'cases' },
      { ...base, by: ['name'] },
      { ...base, by: ['sex', 'sex'] },
      { ...base, filters: { name: ['x'] } },
      { ...base, filters: { sex: 'F' } },
      { ...base, filters: { sex: ["F' OR 1=1 --"] } },
      { ...base, filters: { regionOfIdentification: ['PT\\'] } },
      { ...base, filters: { providerId: ['prov-ä'] } },
      { ...base, interval: 'hour' },
      { ...base, geoLevel: 4 },
      { ...base, geoLevel: 1.5 },
      { ...base, from: '2026-02-30' },
      { ...base, from: '2026-3-1' },
      { ...base, to: "2026-01-01' --" },
      { ...base, keySums: 'yes' },
    ];
    for (const query of bad) {
      expect(() => buildIndicatorSql(query as StoreQuery, duckDbDialect, 't')).toThrow(
        expect.objectContaining({ code: 'invalid-query' }),
      );
    }
    expect(() => buildIndicatorSql(base, duckDbDialect, 't; DROP TABLE t')).toThrow(
      expect.objectContaining({ code: 'invalid-query' }),
    );
  });

  it('puts only whitelisted literals into the SQL, whatever the query values', () => {
    const dimensions = [...CANONICAL_FIELDS, ...DERIVED_DIMENSIONS] as Dimension[];
    const value = fc.oneof(
      {
        arbitrary: fc.constantFrom('F', 'PT1', '65+', '0-11', 'prov-a', 'UNK', 'SEX', 'a b_c-d+e.f:g/h'),
        weight: 8,
      },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
      { arbitrary: fc.constantFrom("'", "\\'", "F'; DROP TABLE t; --", '\u0000', 'é'), weight: 1 },
    );
    const query = fc.record({
      kind: fc.constantFrom('victim' as const, 'prosecution' as const),
      unit: fc.constantFrom('persons' as const, 'records' as const),
      by: fc.uniqueArray(fc.constantFrom(...dimensions), { maxLength: 3 }),
      filters: fc.dictionary(fc.constantFrom(...dimensions), fc.array(value, { maxLength: 3 })),
      interval: fc.option(fc.constantFrom(...INTERVALS), { nil: undefined }),
      from: fc.option(fc.oneof(fc.constant('2026-01-01'), fc.string({ maxLength: 12 })), { nil: undefined }),
      geoLevel: fc.option(fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const), {
        nil: undefined,
      }),
    });
    let built = 0;
    fc.assert(
      fc.property(query, fc.constantFrom(duckDbDialect, clickHouseDialect), (q, dialect) => {
        let sql: string;
        try {
          const { cellsSql, totalSql, single } = buildIndicatorSql(q, dialect, 'records_current');
          sql = `${cellsSql}\n${totalSql}\n${single?.sql ?? ''}`;
        } catch (error) {
          expect(error).toMatchObject({ code: 'invalid-query' });
          return;
        }
        built++;
        const literals = sql.match(/'[^']*'/g) ?? [];
        for (const literal of literals) expect(literal.slice(1, -1)).toMatch(SAFE_LITERAL_PATTERN);
        // Nothing outside the literals is a quote, a backslash, a comment or a statement separator.
        expect(sql.replace(/'[^']*'/g, '')).not.toMatch(/['\\;]|--|\/\*/);
        // Every filter value is in the SQL as a literal of its own.
        for (const values of Object.values(q.filters)) {
          for (const v of values) expect(literals).toContain(`'${v}'`);
        }
      }),
      { numRuns: 3000 },
    );
    expect(built).toBeGreaterThan(300);
  }, 60_000);
});

describe('resultOfSingle', () => {
  const query: StoreQuery = { ...base, by: ['sex'], keySums: true };
  const rows = [
    { k0: 'F', n: 2, key_sum: 4294967290, is_total: 0 },
    { k0: 'M', n: 3, key_sum: 10, is_total: 0 },
  ];
  const cells = [
    { key: { sex: 'F' }, value: 2, keySum: 4294967290 },
    { key: { sex: 'M' }, value: 3, keySum: 10 },
  ];

  it('sums the cells modulo 2^32 for a total from the cells', () => {
    expect(resultOfSingle(query, 'cells', rows)).toEqual({ cells, total: 5, totalKeySum: 4 });
    expect(resultOfSingle(base, 'cells', [{ n: 0 }])).toEqual({ cells: [], total: 0 });
  });

  it('takes the row marked is_total, or the WITH TOTALS row', () => {
    const totalRow = { k0: null, n: '4', key_sum: '7', is_total: 1 };
    expect(resultOfSingle(query, 'row', [...rows, totalRow])).toEqual({ cells, total: 4, totalKeySum: 7 });
    expect(resultOfSingle(query, 'totals', rows, { k0: '', n: '4', key_sum: '7' })).toEqual({
      cells,
      total: 4,
      totalKeySum: 7,
    });
  });
});

describe('cellsFromRows and toCount', () => {
  it('turns rows into cells keyed by dimension, dropping empty ones', () => {
    const query: StoreQuery = { ...base, by: ['sex', 'exploitation'], interval: 'year' };
    expect(
      cellsFromRows(query, [
        { k0: 'F', k1: 'SEX', period_label: '2026', n: 3n },
        { k0: 'M', k1: 'LAB', period_label: '2025', n: '12' },
        { k0: 'X', k1: 'LAB', period_label: '2025', n: 0 },
      ]),
    ).toEqual([
      { key: { sex: 'F', exploitation: 'SEX' }, period: '2026', value: 3 },
      { key: { sex: 'M', exploitation: 'LAB' }, period: '2025', value: 12 },
    ]);
    expect(cellsFromRows(base, [{ n: 0n }])).toEqual([]);
    expect(cellsFromRows(base, [{ n: 5 }])).toEqual([{ key: {}, value: 5 }]);
    expect(cellsFromRows({ ...base, keySums: true }, [{ n: 5n, key_sum: '4294967295' }])).toEqual([
      { key: {}, value: 5, keySum: 4294967295 },
    ]);
  });

  it('accepts counts as numbers, bigints and decimal strings only', () => {
    expect([toCount(7), toCount(7n), toCount('7')]).toEqual([7, 7, 7]);
    for (const bad of [-1, 1.5, 'x', null, undefined, 2n ** 64n]) expect(() => toCount(bad)).toThrow();
  });

  it.each([
    [duckDbDialect, 'sha256'],
    [clickHouseDialect, 'SHA256'],
  ])(
    'sums stored person key numbers when no link replaces a person key, and hashes otherwise (%#)',
    (dialect, hash) => {
      const persons: StoreQuery = { ...example, keySums: true };
      const statements = (sql: ReturnType<typeof buildIndicatorSql>) =>
        [sql.cellsSql, sql.totalSql, sql.single?.sql ?? ''].join('\n');
      const unlinked = statements(buildIndicatorSql(persons, dialect, 'records_current', null));
      expect(unlinked).toContain('person_key_number AS person_kn');
      expect(unlinked).not.toContain(hash);
      const linked = statements(buildIndicatorSql(persons, dialect, 'records_current'));
      expect(linked).not.toContain('person_key_number');
      expect(linked).toContain(hash);
      // Only where the dialect says the column exists.
      const without = statements(
        buildIndicatorSql(persons, { ...dialect, personKeyNumberColumn: undefined }, 'records_current', null),
      );
      expect(without).not.toContain('person_key_number');
      expect(without).toContain(hash);
    },
  );
});
