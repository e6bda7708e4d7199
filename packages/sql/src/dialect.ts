/**
 * The SQL differences between the two stores, kept to a handful of small expression builders. The query builder
 * composes them into one query shape for both; only these functions know whether they speak DuckDB or ClickHouse.
 * The ClickHouse dialect targets 18.16 as well as current releases: no server-side parameters, no window
 * functions, no DateTime64, no LowCardinality, no boolean literals.
 */
import { KEY_SPACE, type Interval } from '@mosy/core';
import type { ColumnType } from './columns.js';
import { sqlIdentifier, sqlLiteral } from './literal.js';

export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';
  /** The physical type of a logical column type, for DDL. */
  columnType(type: ColumnType): string;
  /**
   * The FROM reference for the current-records table (ClickHouse reads it `FINAL`, merged to one row per key);
   * `signed`: a table of signed rows (`sign`), read as it is, whose sums are the same before and after merges.
   */
  table(name: string, signed?: boolean): string;
  /**
   * The FROM clause of the persons count: the current-records table (`table`) left-joined by (provider_id,
   * record_id) with the person keys fuzzy linkage gave (`links`, column `person_key` read as `linked_key`).
   */
  linkedTable(name: string, links: string, signed?: boolean): string;
  /** The person a row of `linkedTable` counts as: its linked key where it has one, else its own `person_key`. */
  readonly linkedPersonKey: string;
  /** A condition true for rows that are not withdrawn. */
  readonly notWithdrawn: string;
  /** Exact count of distinct values of `expr`. */
  distinctCount(expr: string): string;
  /**
   * A fixed-width stand-in for the person key `expr`, distinct exactly where the keys are as far as `distinctCount`
   * tells them apart; undefined where the dialect groups by the key itself.
   */
  personHash?(expr: string): string;
  /** The sum of the integer `expr` over a group modulo 2^32, 0 for an empty group (a key sum of the cell key method). */
  keySum(expr: string): string;
  /** `personKeyNumber` of `@mosy/core`: the first 4 bytes of SHA-256 of the string `expr`, big-endian, as an integer. */
  personKeyNumber(expr: string): string;
  /**
   * A column of the current-records table holding `personKeyNumber(person_key)`, where the store keeps one: persons
   * counted by their own key read it instead of hashing.
   */
  readonly personKeyNumberColumn?: string;
  /** A select-list expression that yields one row per element of the list `expr` (none for an empty list). */
  unnest(expr: string): string;
  /** True when the list `expr` holds any of `values`. */
  hasAny(expr: string, values: readonly string[]): string;
  /** True when the string `expr` starts with `prefix`. */
  startsWith(expr: string, prefix: string): string;
  /** A date literal from `YYYY-MM-DD`. */
  date(value: string): string;
  /**
   * The period label of a record for `interval`: from its period's first day `startExpr` and its date precision
   * `precisionExpr`; `YYYY-unspecified` when the precision is coarser than the interval needs.
   */
  periodLabel(interval: Interval, startExpr: string, precisionExpr: string): string;
  /**
   * How one statement carries the total beside the cells where that is exact: DuckDB groups by the cells and by
   * nothing at once (`GROUPING SETS`, a row marked `is_total`); ClickHouse 18.16 has no grouping sets but adds a
   * `WITH TOTALS` row over everything the GROUP BY read.
   */
  readonly totals: 'grouping-sets' | 'with-totals';
  /**
   * `n` and `key_sum` of distinct persons `expr` in one aggregation level (for `WITH TOTALS`, which totals only
   * the outermost level): the distinct values as an array, counted and their key numbers summed; undefined where
   * the dialect nests instead. `keyNumber`: a column holding each person's key number, read instead of hashing.
   */
  distinctPersonMeasures?(expr: string, keyNumber?: string): readonly [n: string, keySum: string];
}

/** The date functions a dialect supplies to `periodLabelSql`. */
interface DatePrimitives {
  /** The date as `YYYY-MM-DD` text. */
  readonly text: (date: string) => string;
  /** The Monday on or before the date (a date). */
  readonly monday: (date: string) => string;
  /** The quarter number of the date as text (`1`–`4`). */
  readonly quarter: (date: string) => string;
}

const arrayLiteral = (values: readonly string[]): string => `[${values.map(sqlLiteral).join(', ')}]`;

function periodLabelSql(
  primitives: DatePrimitives,
  interval: Interval,
  start: string,
  precision: string,
): string {
  const text = primitives.text(start);
  const year = `substring(${text}, 1, 4)`;
  const unspecified = `concat(${year}, ${sqlLiteral('-unspecified')})`;
  const needs = (precisions: readonly string[], label: string): string =>
    `CASE WHEN ${precision} IN (${precisions.map(sqlLiteral).join(', ')}) THEN ${label} ELSE ${unspecified} END`;
  switch (interval) {
    case 'day':
      return needs(['day'], text);
    case 'week':
      return needs(['day'], primitives.text(primitives.monday(start)));
    case 'month':
      return needs(['day', 'month'], `substring(${text}, 1, 7)`);
    case 'quarter':
      return needs(['day', 'month'], `concat(${year}, ${sqlLiteral('-Q')}, ${primitives.quarter(start)})`);
    case 'year':
      return year;
  }
}

const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  list: 'VARCHAR[]',
  date: 'DATE',
  int: 'BIGINT',
  bool: 'BOOLEAN',
};

const DUCKDB_DATES: DatePrimitives = {
  text: (date) => `CAST(${date} AS VARCHAR)`,
  monday: (date) => `CAST(date_trunc(${sqlLiteral('week')}, ${date}) AS DATE)`,
  quarter: (date) => `CAST(quarter(${date}) AS VARCHAR)`,
};

/** DuckDB (1.x). */
export const duckDbDialect: Dialect = {
  name: 'duckdb',
  columnType: (type) => DUCKDB_TYPES[type],
  table: (name) => sqlIdentifier(name),
  linkedTable: (name, links) =>
    `${sqlIdentifier(name)} LEFT JOIN (SELECT provider_id, record_id, person_key AS linked_key FROM ${sqlIdentifier(links)}) USING (provider_id, record_id)`,
  linkedPersonKey: 'coalesce(linked_key, person_key)',
  notWithdrawn: 'NOT withdrawn',
  distinctCount: (expr) => `count(DISTINCT ${expr})`,
  keySum: (expr) => `CAST(coalesce(sum(${expr}), 0) % ${KEY_SPACE} AS BIGINT)`,
  personKeyNumber: (expr) => `CAST(concat(${sqlLiteral('0x')}, substring(sha256(${expr}), 1, 8)) AS BIGINT)`,
  personKeyNumberColumn: 'person_key_number',
  unnest: (expr) => `unnest(${expr})`,
  hasAny: (expr, values) => `list_has_any(${expr}, ${arrayLiteral(values)})`,
  startsWith: (expr, prefix) => `starts_with(${expr}, ${sqlLiteral(prefix)})`,
  date: (value) => `DATE ${sqlLiteral(value)}`,
  periodLabel: (interval, start, precision) => periodLabelSql(DUCKDB_DATES, interval, start, precision),
  totals: 'grouping-sets',
};

const CLICKHOUSE_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'String',
  list: 'Array(String)',
  date: 'Date',
  int: 'Int64',
  bool: 'UInt8',
};

const CLICKHOUSE_DATES: DatePrimitives = {
  text: (date) => `toString(${date})`,
  monday: (date) => `toMonday(${date})`,
  quarter: (date) => `toString(toQuarter(${date}))`,
};

/** ClickHouse, 18.16 and later. */
export const clickHouseDialect: Dialect = {
  name: 'clickhouse',
  columnType: (type) => CLICKHOUSE_TYPES[type],
  table: (name, signed = false) => `${sqlIdentifier(name)}${signed ? '' : ' FINAL'}`,
  // ANY LEFT JOIN … USING is what 18.16 has; an unmatched row gets the default '' (not NULL) as its linked key, and
  // an unlinked record's link is a row with '' (ClickHouse deletes by replacing), so both fall back alike.
  linkedTable: (name, links, signed = false) =>
    `${clickHouseDialect.table(name, signed)} ANY LEFT JOIN (SELECT provider_id, record_id, person_key AS linked_key FROM ${sqlIdentifier(links)} FINAL) USING (provider_id, record_id)`,
  linkedPersonKey: "if(linked_key = '', person_key, linked_key)",
  notWithdrawn: 'withdrawn = 0',
  distinctCount: (expr) => `uniqExact(${expr})`,
  // uniqExact tells strings apart by this same 128-bit SipHash (its set holds the hashes, not the strings).
  personHash: (expr) => `sipHash128(${expr})`,
  keySum: (expr) => `coalesce(sum(${expr}), 0) % ${KEY_SPACE}`,
  // SHA256 is a FixedString(32); reversing the first 4 bytes makes the little-endian reinterpretation big-endian.
  personKeyNumber: (expr) => `reinterpretAsUInt32(reverse(substring(SHA256(${expr}), 1, 4)))`,
  unnest: (expr) => `arrayJoin(${expr})`,
  hasAny: (expr, values) => `hasAny(${expr}, ${arrayLiteral(values)})`,
  // startsWith() is newer than 18.16; a prefix of the same byte length is equivalent (codes are ASCII).
  startsWith: (expr, prefix) => `substring(${expr}, 1, ${prefix.length}) = ${sqlLiteral(prefix)}`,
  date: (value) => `toDate(${sqlLiteral(value)})`,
  periodLabel: (interval, start, precision) => periodLabelSql(CLICKHOUSE_DATES, interval, start, precision),
  totals: 'with-totals',
  // Migration 009 of @mosy/store-clickhouse.
  personKeyNumberColumn: 'person_key_number',
  // ClickHouse computes the one groupUniqArray once for both expressions (identical aggregates are shared).
  // With a key number column, (person, number) pairs: as many as persons, since the number is the person's.
  distinctPersonMeasures: (expr, keyNumber) =>
    keyNumber === undefined
      ? [
          `length(groupUniqArray(${expr}))`,
          `arraySum(arrayMap(p -> ${clickHouseDialect.personKeyNumber('p')}, groupUniqArray(${expr}))) % ${KEY_SPACE}`,
        ]
      : [
          `length(groupUniqArray((${expr}, ${keyNumber})))`,
          `arraySum(arrayMap(p -> tupleElement(p, 2), groupUniqArray((${expr}, ${keyNumber})))) % ${KEY_SPACE}`,
        ],
};
