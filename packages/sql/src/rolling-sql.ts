/**
 * Rolling counts in SQL, generated from the groupings of `@mosy/core` (`rolling/`) so SQL and core cannot drift (the
 * stores' tests compare them):
 *
 * - Maintenance, in DuckDB's SQL (ClickHouse's store has its own): a store builds a source relation of signed records
 *   (`rollingSourceColumns`: the stored versions being replaced with sign -1, the new current versions with +1), expands it once into one row per grouping and
 *   code combination (`rollingExpandSql`, the set-based twin of `rollingCellsOf`), and sums the rows per finest cell
 *   (`rollingCellDeltaSql`) and per finest cell and person with an identity (`rollingRefDeltaSql`); what an old and a
 *   new version share cancels out in the sums. The tables may hold any number of rows per key (deltas appended as
 *   they come, compacted when the store likes): a cell's values are the sums of its rows, a reference counts while
 *   the sum of its rows is above 0. How the deltas reach the tables is the store's.
 * - Reading: `buildRollingReadSql` answers a catalogue read (`rollingReadOf`) in one statement, cells and total, rolled
 *   up from the finest rows; `rollingResultFromRows` turns its rows into the query's result.
 */
import {
  KEY_SPACE,
  MosyError,
  ROLLING_GROUPINGS,
  UNKNOWN,
  type Dimension,
  type RollingGrouping,
  type RollingRead,
  type StoreQuery,
  type StoreResult,
} from '@mosy/core';
import { DIMENSION_COLUMNS } from './columns.js';
import { filterCondition, isListDimension as isList } from './filter-sql.js';
import { duckDbDialect, type Dialect } from './dialect.js';
import { cellsFromRows, toCount } from './indicator-sql.js';
import { sqlLiteral } from './literal.js';

/** The table of finest cells: key columns, then the directly counted values (key sums modulo 2^32). */
export const ROLLING_CELLS_TABLE = 'rolling_cells';
/** The table of (finest cell, person with an identity) reference counts. */
export const ROLLING_REFS_TABLE = 'rolling_refs';
/** The columns that name a finest cell, in table order. */
export const ROLLING_CELL_KEY = ['grouping_index', 'month', 'provider_id', 'k0', 'k1'] as const;
/** The counted columns of `ROLLING_CELLS_TABLE`, after the key. */
export const ROLLING_CELL_VALUES = ['records', 'record_key_sum', 'persons', 'person_key_sum'] as const;

/**
 * The select list of a rolling source over a current-records relation (alias prefix `at`, e.g. `c.`): the columns
 * the groupings read, the record's month label, its person key as `person` ('' when its person is its own), record key,
 * whether its person is its own (`r:`, counted directly) and the person key number (read from the relation's
 * `personKeyNumberColumn` where the dialect has one, else hashed; the cells sum it for persons of their own only).
 * Prefix it with the sign: `SELECT -1 AS sign, ${rollingSourceColumns(…)} FROM …`.
 */
export function rollingSourceColumns(
  dialect: Dialect,
  at = '',
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): string {
  const columns = new Set<string>(['kind', 'provider_id']);
  for (const grouping of groupings) {
    for (const dimension of [...grouping.by, ...Object.keys(grouping.filters)] as Dimension[])
      columns.add(DIMENSION_COLUMNS[dimension]);
  }
  const own = `substring(${at}person_key, 1, 2) = ${sqlLiteral('r:')}`;
  return [
    ...[...columns].map((column) => `${at}${column} AS ${column}`),
    `${dialect.periodLabel('month', `${at}period_start`, `${at}date_precision`)} AS month`,
    // Persons of one record are counted directly: their key is not carried through the expansion.
    // Named `person`: ClickHouse refuses an alias naming a column its own expression reads.
    `CASE WHEN ${own} THEN ${sqlLiteral('')} ELSE ${at}person_key END AS person`,
    `${at}record_key AS record_key`,
    `CASE WHEN ${own} THEN 1 ELSE 0 END AS own`,
    `${dialect.personKeyNumberColumn === undefined ? dialect.personKeyNumber(`${at}person_key`) : `${at}${dialect.personKeyNumberColumn}`} AS person_key_number`,
  ].join(', ');
}

const CARRIED = 'sign, month, provider_id, person, record_key, own, person_key_number';

/**
 * One row per record of `source` (a relation of `sign` + `rollingSourceColumns`) and finest cell of each grouping:
 * `grouping_index`, `k0`, `k1` and the source's `sign, month, provider_id, person, record_key, own,
 * person_key_number`. DuckDB's SQL: each record's cells of every grouping as one list of (grouping, k0, k1) structs,
 * unnested, in one pass over the source; a union of a select per grouping read the source once per grouping, and
 * DuckDB runs each as a pipeline of its own, about 20 ms a statement on this machine whatever the batch.
 */
export function rollingExpandSql(
  source: string,
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): string {
  const cell = (index: number, k0: string, k1: string) =>
    `{'grouping_index': ${index}, 'k0': ${k0}, 'k1': ${k1}}`;
  const lists = groupings.map((grouping) => {
    const where = [
      `kind = ${sqlLiteral(grouping.kind)}`,
      ...(Object.entries(grouping.filters) as [Dimension, readonly string[]][]).map(([dimension, values]) =>
        filterCondition(duckDbDialect, dimension, values),
      ),
    ].join(' AND ');
    const listed = grouping.by.findIndex(isList);
    if (grouping.by.filter(isList).length > 1)
      throw new MosyError('internal', `grouping ${grouping.id} crosses two list fields`);
    const code = (index: number, element: string): string => {
      const dimension = grouping.by[index];
      if (dimension === undefined) return sqlLiteral('');
      return index === listed ? element : DIMENSION_COLUMNS[dimension];
    };
    const cells =
      listed < 0
        ? `[${cell(grouping.index, code(0, ''), code(1, ''))}]`
        : `list_transform(${DIMENSION_COLUMNS[grouping.by[listed]!]}, lambda rolling_code: ` +
          `${cell(grouping.index, code(0, 'rolling_code'), code(1, 'rolling_code'))})`;
    return `CASE WHEN ${where} THEN ${cells} ELSE [] END`;
  });
  return (
    `SELECT rolling_cell.grouping_index AS grouping_index, rolling_cell.k0 AS k0, rolling_cell.k1 AS k1, ${CARRIED} ` +
    `FROM (SELECT ${CARRIED}, unnest(flatten([${lists.join(', ')}])) AS rolling_cell FROM ${source})`
  );
}

const CELL_KEY = ROLLING_CELL_KEY.join(', ');

/**
 * Per finest cell, from the rows of `rollingExpandSql` (a table or subquery `rows`): the cell's key columns and the
 * signed changes `records`, `record_key_sum`, `persons` (own persons only), `person_key_sum` (own persons only);
 * cells whose changes all cancel are left out.
 */
export function rollingCellDeltaSql(rows: string): string {
  const sums = [
    'sum(sign) AS records',
    'sum(sign * record_key) AS record_key_sum',
    'sum(sign * own) AS persons',
    'sum(sign * person_key_number) AS person_key_sum',
  ];
  return (
    `SELECT ${CELL_KEY}, ${sums.join(', ')} FROM ${rows} GROUP BY ${CELL_KEY} ` +
    'HAVING sum(sign) <> 0 OR sum(sign * record_key) <> 0 OR sum(sign * own) <> 0 ' +
    'OR sum(sign * person_key_number) <> 0'
  );
}

/**
 * Per finest cell and person with an identity, from the rows of `rollingExpandSql`: the cell's key columns,
 * `person_key` and the signed change `refs` of the person's current records in the cell; zero changes left out.
 */
export function rollingRefDeltaSql(rows: string): string {
  return (
    `SELECT ${CELL_KEY}, person AS person_key, sum(sign) AS refs FROM ${rows} WHERE own = 0 ` +
    `GROUP BY ${CELL_KEY}, person HAVING sum(sign) <> 0`
  );
}

/** Where a store's rolling rows are read from: tables, or subqueries with the same columns. */
export interface RollingSources {
  /** Columns `ROLLING_CELL_KEY` + `ROLLING_CELL_VALUES`; a cell's values are the sums of its rows. */
  readonly cells: string;
  /** Columns `ROLLING_CELL_KEY`, `person_key`, `refs`; a reference counts while the sum of its rows is above 0. */
  readonly refs: string;
}

const DEFAULT_SOURCES: RollingSources = { cells: ROLLING_CELLS_TABLE, refs: ROLLING_REFS_TABLE };

const UNSPECIFIED = `substring(month, 6, 11) = ${sqlLiteral('unspecified')}`;

/**
 * The period label of a month label for the read's interval (`periodOfMonth` in SQL). Every month label is a month or
 * `YYYY-unspecified`, so the ELSE never applies: it keeps the type String where a CASE without one is Nullable, which
 * ClickHouse 18.16 refuses inside the arrays of tuples that expand a month into its grains.
 */
export function periodExpression(interval: NonNullable<RollingRead['interval']>): string {
  if (interval === 'month') return 'month';
  if (interval === 'year') return 'substring(month, 1, 4)';
  const quarters = [1, 2, 3, 4].map((quarter) => {
    const months = [1, 2, 3].map((m) => sqlLiteral(String((quarter - 1) * 3 + m).padStart(2, '0')));
    return `WHEN substring(month, 6, 2) IN (${months.join(', ')}) THEN concat(substring(month, 1, 4), ${sqlLiteral(`-Q${quarter}`)})`;
  });
  return `CASE WHEN ${UNSPECIFIED} THEN month ${quarters.join(' ')} ELSE '' END`;
}

/** The code expression of the read's breakdown column `index` (geography truncated to its level). */
function codeExpression(read: RollingRead, index: number): string {
  const column = read.columns[index]!;
  if (column === 'provider') return 'provider_id';
  const level = read.geoLevels[index];
  if (level === undefined) return column;
  const unknown = sqlLiteral(UNKNOWN);
  return `CASE WHEN ${column} = ${unknown} THEN ${unknown} ELSE substring(${column}, 1, ${2 + level}) END`;
}

function selection(dialect: Dialect, read: RollingRead, part: 'c' | 't'): string {
  const grouping = part === 'c' ? read.grouping : read.total;
  const conditions = [`grouping_index = ${grouping.index}`];
  for (const { column, values, prefix } of part === 'c' ? read.cellFilters : read.totalFilters) {
    conditions.push(
      prefix
        ? `(${values.map((value) => dialect.startsWith(column, value)).join(' OR ')})`
        : `${column} IN (${values.map(sqlLiteral).join(', ')})`,
    );
  }
  if (read.providers !== undefined)
    conditions.push(`provider_id IN (${read.providers.map(sqlLiteral).join(', ')})`);
  const { months } = read;
  if (months !== undefined) {
    conditions.push(
      `((${UNSPECIFIED} AND month >= ${sqlLiteral(months.unspecifiedFrom)} AND month <= ${sqlLiteral(months.unspecifiedTo)}) OR ` +
        `(NOT ${UNSPECIFIED} AND month >= ${sqlLiteral(months.from)} AND month <= ${sqlLiteral(months.to)}))`,
    );
  }
  return conditions.join(' AND ');
}

/**
 * One statement answering a catalogue read from rolling rows: rows `part` ('c' for a cell, 't' for the total),
 * `k0`…`kN` in the query's breakdown order, `period_label`, `n`, and `key_sum` (modulo 2^32) with `keySums`. Records
 * and persons without identity are sums over the selected finest rows; persons with an identity are the distinct
 * person keys of the selected reference rows (with their key numbers summed once each). `ordered`: as
 * `rollingOuterSql`.
 */
export function buildRollingReadSql(
  query: StoreQuery,
  read: RollingRead,
  dialect: Dialect,
  sources: RollingSources = DEFAULT_SOURCES,
  ordered = true,
): string {
  const persons = query.unit === 'persons';
  const keySums = query.keySums === true;
  // Inner names differ from the output names: ClickHouse refuses an alias naming a column its expression reads.
  const codes = read.columns.map((_, index) => `c${index}`);
  const groups = ['part', ...codes, 'period'];
  const period = read.interval === undefined ? sqlLiteral('') : periodExpression(read.interval);
  const part = (name: 'c' | 't'): string[] => {
    const cell = name === 'c';
    const expressions = read.columns.map((_, i) => (cell ? codeExpression(read, i) : sqlLiteral('')));
    const label = cell ? period : sqlLiteral('');
    const heads = [
      `${sqlLiteral(name)} AS part`,
      ...expressions.map((expression, i) => `${expression} AS c${i}`),
      `${label} AS period`,
    ];
    const grouped = [...expressions, label].filter((expression) => expression !== sqlLiteral(''));
    const groupBy = grouped.length > 0 ? ` GROUP BY ${grouped.join(', ')}` : '';
    const where = selection(dialect, read, name);
    const [value, keySum] = persons ? ['persons', 'person_key_sum'] : ['records', 'record_key_sum'];
    const direct =
      `SELECT ${[...heads, `sum(${value}) AS v`, ...(keySums ? [`sum(${keySum}) AS ks`] : [])].join(', ')} ` +
      `FROM ${sources.cells} WHERE ${where}${groupBy}`;
    if (!persons) return [direct];
    const current =
      `SELECT ${CELL_KEY}, person_key FROM ${sources.refs} WHERE ${where} ` +
      `GROUP BY ${CELL_KEY}, person_key HAVING sum(refs) > 0`;
    const distinct = `SELECT DISTINCT ${[...heads, 'person_key'].join(', ')} FROM (${current})`;
    // Cast like the direct part's sums: ClickHouse 18.16 finds no common type of Int64 and UInt64 in a UNION ALL.
    const int = dialect.columnType('int');
    const measures = [
      `CAST(count(*) AS ${int}) AS v`,
      ...(keySums ? [`CAST(sum(${dialect.personKeyNumber('person_key')}) AS ${int}) AS ks`] : []),
    ];
    return [
      direct,
      `SELECT ${[...groups, ...measures].join(', ')} FROM (${distinct}) GROUP BY ${groups.join(', ')}`,
    ];
  };
  return rollingOuterSql(codes, [...part('c'), ...part('t')], keySums, true, ordered);
}

/**
 * The outer statement of a rolling read: the rows of `parts` (each with `part`, the inner code names `codes`,
 * `period`, `v` and, with key sums, `ks`) as `rollingResultFromRows` reads them, in order. `summed`: rows summed per
 * part, codes and period (rolling rows: deltas and compacted sums); without it, each part already has one row per
 * codes and period (person counters), and a GROUP BY over them would only cost time. `ordered`: sorted by part,
 * codes and period; off where an enclosing statement sorts or filters the rows anyway (on DuckDB an inner ORDER BY
 * is a sort and a pipeline of its own: 0.3–0.8 ms of a 5 ms catalogue read at 200,000 records).
 */
export function rollingOuterSql(
  codes: readonly string[],
  parts: readonly string[],
  keySums: boolean,
  summed = true,
  ordered = true,
): string {
  const groups = ['part', ...codes, 'period'];
  const [v, ks] = summed ? ['coalesce(sum(v), 0)', 'coalesce(sum(ks), 0)'] : ['v', 'ks'];
  const outputs = [
    'part',
    ...codes.map((code, i) => `${code} AS k${i}`),
    'period AS period_label',
    `${v} AS n`,
    // Rows of deltas and compacted sums may add up to a negative sum that is right modulo 2^32.
    ...(keySums ? [`((${ks} % ${KEY_SPACE}) + ${KEY_SPACE}) % ${KEY_SPACE} AS key_sum`] : []),
  ];
  const groupBy = summed ? ` GROUP BY ${groups.join(', ')}` : '';
  const orderBy = ordered ? ` ORDER BY ${groups.join(', ')}` : '';
  return `SELECT ${outputs.join(', ')} FROM (${parts.join(' UNION ALL ')})${groupBy}${orderBy}`;
}

/** The result of a query from the rows of `buildRollingReadSql`. */
export function rollingResultFromRows(
  query: StoreQuery,
  rows: readonly Readonly<Record<string, unknown>>[],
): StoreResult {
  const cells = rows.filter((row) => row.part === 'c');
  const total = rows.find((row) => row.part === 't');
  return {
    cells: cellsFromRows(query, cells),
    total: toCount(total?.n ?? 0),
    ...(query.keySums === true ? { totalKeySum: toCount(total?.key_sum ?? 0) } : {}),
  };
}
