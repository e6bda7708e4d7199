/**
 * The ClickHouse SQL of rolling counts: the expansion of signed record rows into their finest rolling cells
 * (`rollingCellsOf` of `@mosy/core`, generated from the same `ROLLING_GROUPINGS`), used twice: as the SELECT of
 * the materialized views on `record_changes` (every apply) and by the rebuild over `records_current FINAL`.
 *
 * One SELECT level over the source's own columns, no subquery: a materialized view on 18.16 evaluates its query
 * against the inserted block and does not see aliases a subquery defines ("Unknown identifier"), and it does not
 * convert types either, so every output column is cast to the table's type here. Per row, three parallel arrays
 * hold the grouping, k0 and k1 of every cell of every grouping the row passes (a list dimension gives one cell per
 * distinct code) and ARRAY JOIN turns them into rows, summed per cell within the insert's block (the
 * SummingMergeTree sums across blocks).
 */
import { MosyError, ROLLING_GROUPINGS, type Dimension, type RollingGrouping } from '@mosy/core';
import {
  DIMENSION_COLUMNS,
  clickHouseDialect,
  filterCondition,
  isListDimension as isList,
  sqlIdentifier,
  sqlLiteral,
} from '@mosy/sql';

/** The codes of a dimension as an array expression: a list's distinct codes, or a scalar's one code. */
function codes(dimension: Dimension): string {
  const column = DIMENSION_COLUMNS[dimension];
  return isList(dimension) ? `arrayDistinct(${column})` : `[${column}]`;
}

/** The grouping's filters as a condition (query semantics: AND across dimensions, OR within one). */
function groupingCondition(grouping: RollingGrouping): string {
  const conditions = [`kind = ${sqlLiteral(grouping.kind)}`];
  for (const [dimension, values] of Object.entries(grouping.filters) as [
    Dimension,
    readonly string[] | undefined,
  ][]) {
    if (values !== undefined) conditions.push(filterCondition(clickHouseDialect, dimension, values));
  }
  return conditions.join(' AND ');
}

/** An array of `count` copies of `value` (none for a count of 0). */
const repeat = (value: string, count: string): string => `arrayResize([${value}], ${count}, ${value})`;

/**
 * The codes of one side of a grouping's cells, as many as the grouping has cells for the row (`count`): its list's
 * distinct codes, a scalar's code repeated, or '' for a side the grouping does not have.
 */
function side(dimension: Dimension | undefined, count: string): string {
  if (dimension === undefined) return repeat("''", count);
  return isList(dimension)
    ? `arraySlice(${codes(dimension)}, 1, ${count})`
    : repeat(DIMENSION_COLUMNS[dimension], count);
}

/**
 * The ARRAY JOIN that expands a row into its cells: `grouping_index`, `k0` and `k1` of each (grouping, k0, k1) it
 * has (a list dimension gives one cell per distinct code, paired with the other side's one code; a row that fails a
 * grouping's filters none of its cells), as three parallel arrays joined element by element. No lambda, no tuple:
 * a materialized view's query is analysed again for every inserted block on 18.16, and the `arrayMap` of
 * (grouping, k0, k1) tuples per grouping, each written twice (the array and its length), made most of a small
 * apply's cost: ~100 ms of CPU per view for a one-row block, a third of that in this form, which also takes less
 * per row (measured on 18.16; the rows are the same). A grouping's count of cells is computed once, under an alias.
 */
export function cellJoin(groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS): string {
  const indexes: string[] = [];
  const firsts: string[] = [];
  const seconds: string[] = [];
  for (const grouping of groupings) {
    const [first, second] = grouping.by;
    if (first !== undefined && second !== undefined && isList(first) && isList(second))
      throw new MosyError('internal', `grouping ${grouping.id} crosses two list fields`);
    const list = [first, second].find((dimension) => dimension !== undefined && isList(dimension));
    const alias = `cell_count_${grouping.index}`;
    const condition = `(${groupingCondition(grouping)})`;
    const count = list === undefined ? condition : `(${condition} * length(${codes(list)}))`;
    indexes.push(repeat(`toUInt16(${grouping.index})`, `${count} AS ${alias}`));
    firsts.push(side(first, alias));
    seconds.push(side(second, alias));
  }
  return `ARRAY JOIN arrayConcat(${indexes.join(',\n  ')}) AS grouping_index,
  arrayConcat(${firsts.join(', ')}) AS k0,
  arrayConcat(${seconds.join(', ')}) AS k1`;
}

/** The month label of a row (`rollingMonthOf`): `YYYY-MM`, or `YYYY-unspecified` for a year-dated record. */
const MONTH = clickHouseDialect.periodLabel('month', 'period_start', 'date_precision');

/** True for a row whose person is its own record (`r:`, counted directly rather than referenced). */
const OWN_PERSON = `substring(person_key, 1, 2) = 'r:'`;

/** The cell columns of an expanded row. */
const CELL_SELECT = `grouping_index, ${MONTH} AS month, provider_id, k0, k1`;

/**
 * The rows of `rolling_cells` from `source` (a table or `records_current FINAL`, with a signed `sign` column or
 * `signExpr` standing for it): records, the record key sum, persons keyed by their record and their key sum, per
 * finest cell, summed over the source's rows.
 */
export function cellRowsSql(
  source: string,
  signExpr = 'sign',
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): string {
  const own = (value: string) => `toInt64(sum(if(${OWN_PERSON}, ${value}, 0)))`;
  return `SELECT ${CELL_SELECT},
  toInt64(sum(${signExpr})) AS records, toInt64(sum(${signExpr} * record_key)) AS record_key_sum,
  ${own(signExpr)} AS persons, ${own(`${signExpr} * ${clickHouseDialect.personKeyNumber('person_key')}`)} AS person_key_sum
FROM ${source} ${cellJoin(groupings)}
WHERE withdrawn = 0
GROUP BY grouping_index, month, provider_id, k0, k1
HAVING records != 0 OR record_key_sum != 0 OR persons != 0 OR person_key_sum != 0`;
}

/** The rows of the references table (`rolling_refs_<fingerprint>`) from `source`: per finest cell and person with an identity, the references. */
export function refRowsSql(
  source: string,
  signExpr = 'sign',
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): string {
  return `SELECT ${CELL_SELECT}, person_key, toInt64(sum(${signExpr})) AS refs
FROM ${source} ${cellJoin(groupings)}
WHERE withdrawn = 0 AND NOT ${OWN_PERSON}
GROUP BY grouping_index, month, provider_id, k0, k1, person_key
HAVING refs != 0`;
}

/** The DDL of a fingerprint's two rolling tables (SummingMergeTree: every value a sum of signed changes). */
export function rollingTablesDdl(cells: string, refs: string): string[] {
  const key = 'grouping_index UInt16, month String, provider_id String, k0 String, k1 String';
  return [
    `CREATE TABLE IF NOT EXISTS ${sqlIdentifier(cells)} (${key},
       records Int64, record_key_sum Int64, persons Int64, person_key_sum Int64)
     ENGINE = SummingMergeTree((records, record_key_sum, persons, person_key_sum))
     ORDER BY (grouping_index, month, provider_id, k0, k1)`,
    `CREATE TABLE IF NOT EXISTS ${sqlIdentifier(refs)} (${key}, person_key String, refs Int64)
     ENGINE = SummingMergeTree(refs)
     ORDER BY (grouping_index, month, provider_id, k0, k1, person_key)`,
  ];
}
