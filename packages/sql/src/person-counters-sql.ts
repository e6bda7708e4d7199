/**
 * Person counters in SQL (`rolling/person-counters.ts` of `@mosy/core`): per (grouping, grain, period, k0, k1) over
 * all providers, the distinct persons and their key sum.
 *
 * - Maintenance, persons with an identity: a store expands (`rollingExpandSql`) the current records of the persons a
 *   batch touches, each marked by `sign` with the states it is in: 1 before the batch only (a stored version being
 *   replaced), 2 after it only (a new version), 3 both (a stored version that stays). `personCounterDeltaSql` turns
 *   those rows into the change of each counter: a person enters a counter when it occupies it after and not before,
 *   and leaves it in the opposite case, whatever number of records it has there (so the change is exact without
 *   per-person references).
 * - Maintenance, persons without identity (one record each): `ownPersonCounterDeltaSql` folds the batch's change of
 *   the finest cells (`rollingCellDeltaSql`) into the periods of each grain; the cells' sums are exact under every
 *   history, and such a person lies in one month and provider, so the sums over them are distinct counts.
 * - Reading: `buildPersonCountersReadSql` answers a read `personCountersReadOf` routes to counters, in one statement
 *   with the rows of `buildRollingReadSql`, from the counters selected alone.
 */
import {
  COUNTER_GRAINS,
  type CounterGrain,
  type CounterSelection,
  type PersonCountersRead,
  type RollingRead,
  type StoreQuery,
} from '@mosy/core';
import type { Dialect } from './dialect.js';
import { sqlLiteral } from './literal.js';
import { periodExpression, rollingOuterSql } from './rolling-sql.js';

/** The table of person counters: key columns, then `persons` and `person_key_sum` (modulo 2^32 when read). */
export const PERSON_COUNTERS_TABLE = 'person_counters';
/** The columns that name a counter, in table order. */
export const PERSON_COUNTER_KEY = ['grouping_index', 'grain', 'period', 'k0', 'k1'] as const;

const KEY = PERSON_COUNTER_KEY.join(', ');

/** The period label of a finest row's `month` in a grain (`counterPeriodOf`). */
const grainPeriod = (grain: CounterGrain): string =>
  grain === 'all' ? sqlLiteral('') : periodExpression(grain);

/**
 * Per counter, from the rows of `rollingExpandSql` (a table `rows`) over a source of persons with an identity marked
 * by `sign` (1 before only, 2 after only, 3 both) and carrying their key number (`rollingSourceColumns`): the counter's key columns and the signed changes `persons` and `person_key_sum`; counters no
 * person enters or leaves are left out.
 */
export function personCounterDeltaSql(rows: string): string {
  const grains = COUNTER_GRAINS.map(
    (grain) =>
      `SELECT grouping_index, ${sqlLiteral(grain)} AS grain, ${grainPeriod(grain)} AS period, k0, k1, person, ` +
      'person_key_number, sign ' +
      `FROM ${rows}`,
  ).join(' UNION ALL ');
  // The key number is grouped along with the person, which determines it.
  const occupied =
    `SELECT ${KEY}, person, person_key_number, max(CASE WHEN sign = 2 THEN 0 ELSE 1 END) AS was, ` +
    `max(CASE WHEN sign = 1 THEN 0 ELSE 1 END) AS now FROM (${grains}) GROUP BY ${KEY}, person, person_key_number`;
  return (
    `SELECT ${KEY}, sum(now - was) AS persons, sum((now - was) * person_key_number) AS person_key_sum ` +
    `FROM (${occupied}) WHERE now <> was GROUP BY ${KEY}`
  );
}

/**
 * Per counter, from a batch's change of the finest cells (`rollingCellDeltaSql`, a table `cellDelta`): the counter's
 * key columns and the signed change of its persons without identity (`persons`, `person_key_sum`); counters whose
 * change is nil are left out.
 */
export function ownPersonCounterDeltaSql(cellDelta: string): string {
  const grains = COUNTER_GRAINS.map(
    (grain) =>
      `SELECT grouping_index, ${sqlLiteral(grain)} AS grain, ${grainPeriod(grain)} AS period, k0, k1, persons, ` +
      `person_key_sum FROM ${cellDelta} WHERE persons <> 0 OR person_key_sum <> 0`,
  ).join(' UNION ALL ');
  return (
    `SELECT ${KEY}, sum(persons) AS persons, sum(person_key_sum) AS person_key_sum FROM (${grains}) ` +
    `GROUP BY ${KEY} HAVING sum(persons) <> 0 OR sum(person_key_sum) <> 0`
  );
}

const UNSPECIFIED = `substring(period, 6, 11) = ${sqlLiteral('unspecified')}`;

/** The condition selecting a selection's counters (`inSelection`). */
function counterCondition(counters: CounterSelection): string {
  const conditions = [`grain = ${sqlLiteral(counters.grain)}`];
  const { periods } = counters;
  if (periods !== undefined) {
    const dated = [`NOT ${UNSPECIFIED}`];
    if (periods.from !== undefined) dated.push(`period >= ${sqlLiteral(periods.from)}`);
    if (periods.to !== undefined) dated.push(`period <= ${sqlLiteral(periods.to)}`);
    conditions.push(
      `((${UNSPECIFIED} AND period >= ${sqlLiteral(periods.unspecifiedFrom)} AND ` +
        `period <= ${sqlLiteral(periods.unspecifiedTo)}) OR (${dated.join(' AND ')}))`,
    );
  }
  return conditions.join(' AND ');
}

/**
 * One statement answering a read routed to counters, with the rows of `buildRollingReadSql` (`part`, `k0`…`kN`,
 * `period_label`, `n`, and `key_sum` with `keySums`), so `rollingResultFromRows` reads them. `ordered`: as
 * `rollingOuterSql`.
 */
export function buildPersonCountersReadSql(
  query: StoreQuery,
  read: RollingRead,
  counted: PersonCountersRead,
  dialect: Dialect,
  counters: string = PERSON_COUNTERS_TABLE,
  ordered = true,
): string {
  const keySums = query.keySums === true;
  const codes = read.columns.map((_, index) => `c${index}`);
  const int = dialect.columnType('int');
  const part = (name: 'c' | 't'): string => {
    const cell = name === 'c';
    // Routed reads break down by code columns only (no provider, no NUTS level): a code is its column.
    const columns = read.columns.map((column) => (cell ? column : sqlLiteral('')));
    const period = cell && read.interval !== undefined ? 'period' : sqlLiteral('');
    const heads = [
      `${sqlLiteral(name)} AS part`,
      ...columns.map((column, i) => `${column} AS c${i}`),
      `${period} AS period`,
    ];
    const grouped = [...columns, period].filter((expression) => expression !== sqlLiteral(''));
    const groupBy = grouped.length > 0 ? ` GROUP BY ${grouped.join(', ')}` : '';
    // Coalesced here, not in a roll-up: a part without GROUP BY is one row even when no counter is selected.
    const measures = [
      `CAST(coalesce(sum(persons), 0) AS ${int}) AS v`,
      ...(keySums ? [`CAST(coalesce(sum(person_key_sum), 0) AS ${int}) AS ks`] : []),
    ];
    const filters = (cell ? read.cellFilters : read.totalFilters).map(
      ({ column, values }) => `${column} IN (${values.map(sqlLiteral).join(', ')})`,
    );
    const where = [
      `grouping_index = ${(cell ? read.grouping : read.total).index}`,
      counterCondition(cell ? counted.cells : counted.total),
      ...filters,
    ].join(' AND ');
    return `SELECT ${[...heads, ...measures].join(', ')} FROM ${counters} WHERE ${where}${groupBy}`;
  };
  // Each part is already one row per its codes and period (grouped by those that vary, or one row when none does),
  // so unlike rolling rows they are not summed again: that GROUP BY was about a third of the statement's time at
  // 200,000 records, where reading the table twice (once per part) costs less than a shared scan.
  return rollingOuterSql(codes, [part('c'), part('t')], keySums, false, ordered);
}
