/**
 * SQL for one indicator query (`StoreQuery`), in either dialect, following the semantics in `@mosy/core`'s
 * `query/model.ts` exactly. Two statements: `cellsSql` (one row per non-empty cell: `k0…kN`, `period_label`,
 * `n`, `key_sum`) and `totalSql` (one row: `n`, `key_sum`, over the whole filter); and, where exact, `single`: one
 * statement for both, so the store scans the table once (`resultOfSingle` reads its answer). `cellsFromRows` turns
 * the cell rows back into `Cell`s; key sums (the cell key method) are computed only when the query asks for them. Every value in the SQL goes through `sqlLiteral`; every column comes from `DIMENSION_COLUMNS`; numbers
 * are checked integers. The query is validated again here, so a store never runs SQL from an unchecked query.
 *
 * Shape: an inner select filters current records of the kind and computes scalar breakdown codes and the period;
 * each list breakdown then wraps it in one more select that unnests that list (nested, so two list breakdowns
 * give their cross product in both dialects); the outer select keeps only listed values of filtered list
 * breakdowns and groups.
 */
import {
  DERIVED_DIMENSIONS,
  INTERVALS,
  KEY_SPACE,
  MosyError,
  RECORD_KINDS,
  UNKNOWN,
  isCanonicalField,
  type Cell,
  type Dimension,
  type StoreQuery,
  type StoreResult,
} from '@mosy/core';
import { DIMENSION_COLUMNS } from './columns.js';
import { filterCondition, isGeoColumn as isGeo, isListDimension as isList } from './filter-sql.js';
import type { Dialect } from './dialect.js';
import { sqlLiteral } from './literal.js';

/**
 * Where the total of a one-statement plan comes from: `cells`, the sum of the cells (each counted row lies in exactly
 * one cell); `row`, the statement's row whose `is_total` is 1; `totals`, the statement's `WITH TOTALS` row.
 */
export type TotalFrom = 'cells' | 'row' | 'totals';

export interface IndicatorSql {
  /**
   * Rows `k0`…`kN` (one per breakdown dimension, in order), `period_label` (with an interval), `n`, and with
   * `keySums` `key_sum`.
   */
  readonly cellsSql: string;
  /** One row with `n` (and `key_sum`). */
  readonly totalSql: string;
  /**
   * One statement answering cells and total together, where that is exact in the dialect (one scan instead of
   * two); absent where it is not (list breakdowns, in both dialects: the total would count unnested rows), and then
   * the store runs `cellsSql` and `totalSql`.
   */
  readonly single?: { readonly sql: string; readonly total: TotalFrom };
}

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const invalid = (message: string): MosyError => new MosyError('invalid-query', message);

const isDimension = (name: string): name is Dimension =>
  isCanonicalField(name) || (DERIVED_DIMENSIONS as readonly string[]).includes(name);

function checkDate(name: string, value: string | undefined): void {
  if (value === undefined) return;
  const valid =
    typeof value === 'string' &&
    DATE_PATTERN.test(value) &&
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (!valid) throw invalid(`${name} must be a date YYYY-MM-DD`);
}

function checkQuery(query: StoreQuery): void {
  if (!Object.prototype.hasOwnProperty.call(RECORD_KINDS, query.kind)) throw invalid('unknown record kind');
  if (query.unit !== 'persons' && query.unit !== 'records') throw invalid('unit must be persons or records');
  const seen = new Set<string>();
  for (const dimension of query.by) {
    if (!isDimension(dimension)) throw invalid('unknown breakdown dimension');
    if (seen.has(dimension)) throw invalid(`breakdown ${dimension} repeated`);
    seen.add(dimension);
  }
  for (const [dimension, values] of Object.entries(query.filters)) {
    if (!isDimension(dimension)) throw invalid('unknown filter dimension');
    if (values !== undefined && !Array.isArray(values)) throw invalid(`filter ${dimension} must be a list`);
  }
  if (query.interval !== undefined && !INTERVALS.includes(query.interval)) throw invalid('unknown interval');
  if (query.keySums !== undefined && typeof query.keySums !== 'boolean')
    throw invalid('keySums must be a boolean');
  if (query.geoLevel !== undefined && ![0, 1, 2, 3].includes(query.geoLevel)) {
    throw invalid('geoLevel must be 0, 1, 2 or 3');
  }
  checkDate('from', query.from);
  checkDate('to', query.to);
}

function whereClause(dialect: Dialect, query: StoreQuery): string {
  const conditions = [`kind = ${sqlLiteral(query.kind)}`, dialect.notWithdrawn];
  for (const [dimension, values] of Object.entries(query.filters) as [
    Dimension,
    readonly string[] | undefined,
  ][]) {
    if (values !== undefined) conditions.push(filterCondition(dialect, dimension, values));
  }
  if (query.from !== undefined) conditions.push(`period_start >= ${dialect.date(query.from)}`);
  if (query.to !== undefined) conditions.push(`period_end <= ${dialect.date(query.to)}`);
  return conditions.join(' AND ');
}

/** The select-list expression of a scalar breakdown's code. */
function scalarKey(query: StoreQuery, dimension: Dimension): string {
  const column = DIMENSION_COLUMNS[dimension];
  if (isGeo(dimension) && query.geoLevel !== undefined) {
    // UNK is not a region code: truncating it would invent the code `UN`.
    const unknown = sqlLiteral(UNKNOWN);
    return `CASE WHEN ${column} = ${unknown} THEN ${unknown} ELSE substring(${column}, 1, ${2 + query.geoLevel}) END`;
  }
  return column;
}

/**
 * The final aggregation over `source` (rows with the `groups` columns and `person` or `record_key`): `n`, and
 * with key sums `key_sum`. Key sums of persons need each person once per group, so persons are first grouped by
 * (groups, person) and their key numbers summed over that; counting those rows also counts distinct persons.
 */
function aggregate(
  dialect: Dialect,
  query: StoreQuery,
  groups: readonly string[],
  source: string,
  numbered = false,
  signed = false,
): string {
  const grouped = groups.length > 0 ? ` GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}` : '';
  const select = (measures: readonly string[]): string => `SELECT ${[...groups, ...measures].join(', ')}`;
  if (signed) {
    const keySum = (expr: string): string[] =>
      query.keySums === true ? [`${dialect.keySum(expr)} AS key_sum`] : [];
    return query.unit === 'records'
      ? `${select(['sum(sign) AS n', ...keySum('sign * record_key')])} FROM (${source})${grouped}`
      : `${select(['count(*) AS n', ...keySum('person_kn')])} FROM (${nettedPersons(dialect, query, groups, source, numbered)})${grouped}`;
  }
  if (query.keySums !== true) {
    const n = query.unit === 'persons' ? dialect.distinctCount('person') : 'count(*)';
    return `${select([`${n} AS n`])} FROM (${source})${grouped}`;
  }
  if (query.unit === 'records') {
    return `${select(['count(*) AS n', `${dialect.keySum('record_key')} AS key_sum`])} FROM (${source})${grouped}`;
  }
  // With the stored key number (`numbered`), grouped along with the person (which determines it): no hashing.
  const person = numbered ? ['person', 'person_kn'] : ['person'];
  const persons = `SELECT ${[...groups, ...person].join(', ')} FROM (${source}) GROUP BY ${[...groups, ...person].join(', ')}`;
  const keySum = dialect.keySum(numbered ? 'person_kn' : dialect.personKeyNumber('person'));
  return `${select(['count(*) AS n', `${keySum} AS key_sum`])} FROM (${persons})${grouped}`;
}

/**
 * Rows of `source` with their person's key number as `person_kn`: the stored one when `numbered` (the source carries
 * it), else hashed once per record, grouped along with its person (which determines it) rather than once per group a
 * person falls in: SHA-256 is most of the cost.
 */
export const keyedPersons = (dialect: Dialect, source: string, numbered: boolean): string =>
  numbered ? source : `SELECT *, ${dialect.personKeyNumber('person')} AS person_kn FROM (${source})`;

/**
 * The (groups, person) pairs of signed rows `source` (column `sign`) whose signs sum above 0: the persons with a
 * current record in each group, however many unmerged versions and their `-1` rows the table still holds; with key
 * sums also their key number as `person_kn` (the stored one carried when `numbered`, else hashed once per pair).
 */
function nettedPersons(
  dialect: Dialect,
  query: StoreQuery,
  groups: readonly string[],
  source: string,
  numbered: boolean,
): string {
  const keys = [...groups, 'person', ...(numbered ? ['person_kn'] : [])].join(', ');
  const netted = `SELECT ${keys} FROM (${source}) GROUP BY ${keys} HAVING sum(sign) > 0`;
  return query.keySums === true && !numbered ? keyedPersons(dialect, netted, false) : netted;
}

/**
 * The DuckDB statement of cells and total in one scan, by grouping sets: the cells' groups and the empty group,
 * the latter's row marked `is_total` (for persons with key sums, the inner level groups by (groups, person) and by
 * person alone, so each person counts once in the total as in each cell).
 */
function groupingSetsSql(
  dialect: Dialect,
  query: StoreQuery,
  groups: readonly string[],
  source: string,
  numbered: boolean,
): string {
  const flag = `grouping(${groups[0]!}) AS is_total`;
  const sets = (columns: readonly string[]): string =>
    `GROUPING SETS ((${[...groups, ...columns].join(', ')}), (${columns.join(', ')}))`;
  const order = ` ORDER BY ${['is_total', ...groups].join(', ')}`;
  const select = (measures: readonly string[]): string =>
    `SELECT ${[...groups, ...measures, flag].join(', ')}`;
  if (query.unit === 'persons' && query.keySums === true) {
    const persons = `SELECT ${[...groups, 'person', 'person_kn', flag].join(', ')} FROM (${keyedPersons(dialect, source, numbered)}) GROUP BY ${sets(['person', 'person_kn'])}`;
    const keySum = dialect.keySum('person_kn');
    return (
      `SELECT ${[...groups, 'count(*) AS n', `${keySum} AS key_sum`, 'is_total'].join(', ')} FROM (${persons})` +
      ` GROUP BY ${['is_total', ...groups].join(', ')}${order}`
    );
  }
  const n = query.unit === 'persons' ? dialect.distinctCount('person') : 'count(*)';
  const measures = [
    `${n} AS n`,
    ...(query.keySums === true ? [`${dialect.keySum('record_key')} AS key_sum`] : []),
  ];
  return `${select(measures)} FROM (${source}) GROUP BY ${sets([])}${order}`;
}

/**
 * `n` (and `key_sum`) in one aggregation level over rows with `person` or `record_key`: ClickHouse's distinct
 * persons with key sums as one array of them (`distinctPersonMeasures`), so that any grouping of the same rows
 * (`WITH TOTALS`, one part of a table) counts each person once.
 */
export function oneLevelMeasures(dialect: Dialect, query: StoreQuery, numbered = false): string[] {
  if (query.unit === 'records') {
    return [
      'count(*) AS n',
      ...(query.keySums === true ? [`${dialect.keySum('record_key')} AS key_sum`] : []),
    ];
  }
  if (query.keySums === true && dialect.distinctPersonMeasures !== undefined) {
    const [n, keySum] = dialect.distinctPersonMeasures('person', numbered ? 'person_kn' : undefined);
    return [`${n} AS n`, `${keySum} AS key_sum`];
  }
  return [`${dialect.distinctCount('person')} AS n`];
}

/** The ClickHouse statement of cells and a `WITH TOTALS` row over every row they grouped (no list breakdowns). */
function withTotalsSql(
  dialect: Dialect,
  query: StoreQuery,
  groups: readonly string[],
  source: string,
  numbered: boolean,
): string {
  return (
    `SELECT ${[...groups, ...oneLevelMeasures(dialect, query, numbered)].join(', ')} FROM (${source}) GROUP BY ${groups.join(', ')} WITH TOTALS` +
    ` ORDER BY ${groups.join(', ')}`
  );
}

/**
 * The one-statement plan of a query, where exact. Records without list breakdowns lie each in exactly one cell, so
 * the total is the cells' sum in either dialect. Otherwise, where no list is unnested, DuckDB groups by grouping sets
 * and ClickHouse adds `WITH TOTALS`. Where a list is unnested neither is exact (the total counts records and persons
 * over the rows before the unnest, which keeps records with empty lists), so the two statements stay.
 */
function singlePlan(
  dialect: Dialect,
  query: StoreQuery,
  groups: readonly string[],
  cellsSql: string,
  flatSource: string,
  hasLists: boolean,
  numbered: boolean,
  signed: boolean,
): IndicatorSql['single'] {
  if (groups.length === 0 || (query.unit === 'records' && !hasLists))
    return { sql: cellsSql, total: 'cells' };
  if (hasLists) return undefined;
  if (dialect.totals === 'with-totals') {
    // Signed rows: the persons of each cell netted first, with their key numbers whenever key sums are asked.
    const sql = signed
      ? withTotalsSql(
          dialect,
          query,
          groups,
          nettedPersons(dialect, query, groups, flatSource, numbered),
          query.keySums === true,
        )
      : withTotalsSql(dialect, query, groups, flatSource, numbered);
    return { sql, total: 'totals' };
  }
  // Grouping sets over signed rows would need a netting per set: the two statements answer.
  return signed
    ? undefined
    : { sql: groupingSetsSql(dialect, query, groups, flatSource, numbered), total: 'row' };
}

/** The table of person keys fuzzy linkage gave (docs/linkage.md); empty while linkage is exact. */
export const PERSON_LINKS_TABLE = 'person_links';

/**
 * Builds the cells and total statements for `query` against `table` (a plain identifier). Persons are counted by
 * their linked person key where fuzzy linkage gave one (`PERSON_LINKS_TABLE`), else by the record's own key;
 * `links` null when the store knows the links table is empty in what it reads (no join then). `signed`: `table`
 * holds signed rows (column `sign`: +1 for each version written, -1 for each version replaced, withdrawn versions
 * left out), read without merging: records are the sums of signs, persons those whose signs in a cell sum above 0.
 */
export function buildIndicatorSql(
  query: StoreQuery,
  dialect: Dialect,
  table: string,
  links: string | null = PERSON_LINKS_TABLE,
  signed = false,
): IndicatorSql {
  return indicatorPlan(query, dialect, table, links, signed).sql;
}

/**
 * The statements of `buildIndicatorSql` and what other one-scan statements build on: the rows before any unnest
 * (`flat`: the counted column, `k0…kN` of scalar breakdowns, `period_label`) and the group columns of the cells.
 */
export function indicatorPlan(
  query: StoreQuery,
  dialect: Dialect,
  table: string,
  links: string | null = PERSON_LINKS_TABLE,
  signed = false,
): { sql: IndicatorSql; flat: string; groups: readonly string[]; hasLists: boolean; numbered: boolean } {
  checkQuery(query);
  const persons = query.unit === 'persons';
  const linked = persons && links !== null;
  // Rows carry their person's stored key number as `person_kn` where the dialect stores one and no link replaces
  // the record's own person key.
  const numberColumn =
    persons && !linked && query.keySums === true ? dialect.personKeyNumberColumn : undefined;
  const numbered = numberColumn !== undefined;
  const from = linked ? dialect.linkedTable(table, links, signed) : dialect.table(table, signed);
  const where = whereClause(dialect, query);
  // `person`, not `person_key`: ClickHouse refuses an alias that names a column its own expression reads.
  const counted = persons ? 'person' : query.keySums === true ? 'record_key' : undefined;
  const personKey = linked ? dialect.linkedPersonKey : 'person_key';
  // Signed reads group by (cell, person): a fixed-width hash of the key where nothing needs the key itself (no key
  // number to hash from it) groups much faster than the string.
  const hashed = signed && dialect.personHash !== undefined && (numbered || query.keySums !== true);
  const countedExpr = persons
    ? `${hashed ? dialect.personHash!(personKey) : personKey} AS person${numbered ? `, ${numberColumn} AS person_kn` : ''}`
    : counted;
  const sign = signed ? ['sign'] : [];
  const totalColumns = [...(countedExpr === undefined ? [] : [countedExpr]), ...sign];
  const totalSql = aggregate(
    dialect,
    query,
    [],
    `SELECT ${totalColumns.length > 0 ? totalColumns.join(', ') : '1 AS one'} FROM ${from} WHERE ${where}`,
    numbered,
    signed,
  );

  const keys = query.by.map((_, index) => `k${index}`);
  // Columns carried from one nesting level to the next: what the outer select still needs.
  const carried: string[] = [
    ...(counted === undefined ? [] : [counted, ...(numbered ? ['person_kn'] : [])]),
    ...sign,
  ];
  const inner: string[] = [...(countedExpr === undefined ? [] : [countedExpr]), ...sign];
  query.by.forEach((dimension, index) => {
    if (isList(dimension)) inner.push(`${DIMENSION_COLUMNS[dimension]} AS l${index}`);
    else {
      inner.push(`${scalarKey(query, dimension)} AS k${index}`);
      carried.push(`k${index}`);
    }
  });
  if (query.interval !== undefined) {
    inner.push(`${dialect.periodLabel(query.interval, 'period_start', 'date_precision')} AS period_label`);
    carried.push('period_label');
  }
  if (inner.length === 0) inner.push('1 AS one');

  const flat = `SELECT ${inner.join(', ')} FROM ${from} WHERE ${where}`;
  let source = flat;
  const pendingLists = query.by.flatMap((dimension, index) => (isList(dimension) ? [index] : []));
  pendingLists.forEach((index, position) => {
    const stillLists = pendingLists.slice(position + 1).map((later) => `l${later}`);
    source = `SELECT ${[...carried, ...stillLists, `${dialect.unnest(`l${index}`)} AS k${index}`].join(', ')} FROM (${source})`;
    carried.push(`k${index}`);
  });

  const listFilters = query.by.flatMap((dimension, index) => {
    const values = query.filters[dimension];
    return isList(dimension) && values !== undefined && values.length > 0
      ? [`k${index} IN (${values.map(sqlLiteral).join(', ')})`]
      : [];
  });
  if (listFilters.length > 0) {
    source = `SELECT * FROM (${source}) WHERE ${listFilters.join(' AND ')}`;
  }
  const groups = [...keys, ...(query.interval !== undefined ? ['period_label'] : [])];
  const cellsSql = aggregate(dialect, query, groups, source, numbered, signed);
  const hasLists = pendingLists.length > 0;
  const single = singlePlan(dialect, query, groups, cellsSql, flat, hasLists, numbered, signed);
  return {
    sql: { cellsSql, totalSql, ...(single === undefined ? {} : { single }) },
    flat,
    groups,
    hasLists,
    numbered,
  };
}

/** A count as a JS number, whatever the driver returns (number, bigint, or a string for 64-bit integers). */
export function toCount(value: unknown): number {
  const count = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new MosyError('internal', 'store returned a count that is not a non-negative integer');
  }
  return count;
}

/** The store's answer from the rows of `cellsSql` and the one row of `totalSql`. */
export function resultOfTwo(
  query: StoreQuery,
  cellRows: readonly Readonly<Record<string, unknown>>[],
  total: Readonly<Record<string, unknown>> | undefined,
): StoreResult {
  return {
    cells: cellsFromRows(query, cellRows),
    total: toCount(total?.n ?? 0),
    ...(query.keySums === true ? { totalKeySum: toCount(total?.key_sum ?? 0) } : {}),
  };
}

/**
 * The store's answer from the rows of a one-statement plan (`single`); `totals` is the statement's `WITH TOTALS`
 * row when the plan's total comes from there.
 */
export function resultOfSingle(
  query: StoreQuery,
  total: TotalFrom,
  rows: readonly Readonly<Record<string, unknown>>[],
  totals?: Readonly<Record<string, unknown>>,
): StoreResult {
  if (total === 'totals') return resultOfTwo(query, rows, totals);
  if (total === 'row') {
    const isTotal = (row: Readonly<Record<string, unknown>>): boolean => toCount(row.is_total) === 1;
    return resultOfTwo(
      query,
      rows.filter((row) => !isTotal(row)),
      rows.find(isTotal),
    );
  }
  const cells = cellsFromRows(query, rows);
  let n = 0;
  let keySum = 0;
  for (const cell of cells) {
    n += cell.value;
    keySum = (keySum + (cell.keySum ?? 0)) % KEY_SPACE;
  }
  return { cells, total: n, ...(query.keySums === true ? { totalKeySum: keySum } : {}) };
}

/** Turns the rows of `cellsSql` into cells; rows with a zero count (the single ungrouped row) are dropped. */
export function cellsFromRows(query: StoreQuery, rows: readonly Readonly<Record<string, unknown>>[]): Cell[] {
  const cells: Cell[] = [];
  for (const row of rows) {
    const value = toCount(row.n);
    if (value === 0) continue;
    const key: { [D in Dimension]?: string } = {};
    query.by.forEach((dimension, index) => {
      key[dimension] = String(row[`k${index}`]);
    });
    cells.push({
      key,
      ...(query.interval === undefined ? {} : { period: String(row.period_label) }),
      value,
      ...(query.keySums === true ? { keySum: toCount(row.key_sum) } : {}),
    });
  }
  return cells;
}
