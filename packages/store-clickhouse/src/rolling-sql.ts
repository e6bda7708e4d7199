/**
 * The ClickHouse SQL of rolling counts: the expansion of signed record rows into their finest rolling cells
 * (`rollingCellsOf` of `@mosy/core`, generated from the same `ROLLING_GROUPINGS`), used twice: as the SELECT of
 * the materialized views on `record_changes` (every apply) and by the rebuild over `records_current FINAL`.
 *
 * One SELECT level over the source's own columns, no subquery: a materialized view on 18.16 evaluates its query
 * against the inserted block and does not see aliases a subquery defines ("Unknown identifier"), and it does not
 * convert types either, so every output column is cast to the table's type here. Per row, one array of
 * (grouping, k0, k1) tuples is built from every grouping the row passes (a list dimension gives one tuple per
 * distinct code, two lists their cross product) and `arrayJoin` turns it into rows, summed per cell within the
 * insert's block (the SummingMergeTree sums across blocks).
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

/**
 * The (grouping, k0, k1) tuples one row has in a grouping, none when it does not pass the filters. Written without
 * lambdas that read a column (18.16 refuses those in a view, "Unknown identifier"): a scalar code is repeated to the
 * length of the list it is paired with (`arrayResize`) and both go to `arrayMap` as arguments; a row that fails the
 * filters keeps a slice of length 0.
 */
function groupingTuples(grouping: RollingGrouping): string {
  const index = `toUInt16(${grouping.index})`;
  const [first, second] = grouping.by;
  let tuples: string;
  if (first === undefined) tuples = `[(${index}, '', '')]`;
  else if (second === undefined) tuples = `arrayMap(a -> (${index}, a, ''), ${codes(first)})`;
  else if (!isList(first) && !isList(second))
    tuples = `[(${index}, ${DIMENSION_COLUMNS[first]}, ${DIMENSION_COLUMNS[second]})]`;
  else if (isList(first) && isList(second))
    throw new MosyError('internal', `grouping ${grouping.id} crosses two list fields`);
  else {
    const list = codes(isList(first) ? first : second);
    const scalar = DIMENSION_COLUMNS[isList(first) ? second : first];
    const repeated = `arrayResize([${scalar}], length(${list}), ${scalar})`;
    const [left, right] = isList(first) ? [list, repeated] : [repeated, list];
    tuples = `arrayMap((a, b) -> (${index}, a, b), ${left}, ${right})`;
  }
  return `arraySlice(${tuples}, 1, (${groupingCondition(grouping)}) * length(${tuples}))`;
}

/** The array of every (grouping, k0, k1) tuple of a row. */
export function cellTuples(groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS): string {
  return `arrayConcat(${groupings.map(groupingTuples).join(',\n  ')})`;
}

/** The month label of a row (`rollingMonthOf`): `YYYY-MM`, or `YYYY-unspecified` for a year-dated record. */
const MONTH = clickHouseDialect.periodLabel('month', 'period_start', 'date_precision');

/** True for a row whose person is its own record (`r:`, counted directly rather than referenced). */
const OWN_PERSON = `substring(person_key, 1, 2) = 'r:'`;

/** The cell columns of an expanded row. */
const CELL_SELECT = `tupleElement(arrayJoin(${'$TUPLES'}) AS cell, 1) AS grouping_index, ${MONTH} AS month, provider_id,
  tupleElement(cell, 2) AS k0, tupleElement(cell, 3) AS k1`;

const cellSelect = (groupings: readonly RollingGrouping[]): string =>
  CELL_SELECT.replace('$TUPLES', cellTuples(groupings));

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
  return `SELECT ${cellSelect(groupings)},
  toInt64(sum(${signExpr})) AS records, toInt64(sum(${signExpr} * record_key)) AS record_key_sum,
  ${own(signExpr)} AS persons, ${own(`${signExpr} * ${clickHouseDialect.personKeyNumber('person_key')}`)} AS person_key_sum
FROM ${source} WHERE withdrawn = 0
GROUP BY grouping_index, month, provider_id, k0, k1
HAVING records != 0 OR record_key_sum != 0 OR persons != 0 OR person_key_sum != 0`;
}

/** The rows of the references table (`rolling_refs_<fingerprint>`) from `source`: per finest cell and person with an identity, the references. */
export function refRowsSql(
  source: string,
  signExpr = 'sign',
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): string {
  return `SELECT ${cellSelect(groupings)}, person_key, toInt64(sum(${signExpr})) AS refs
FROM ${source} WHERE withdrawn = 0 AND NOT ${OWN_PERSON}
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
