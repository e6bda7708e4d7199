/**
 * A query answered from the current records in ONE statement (one snapshot, one round trip, no read transaction to
 * open and close): the cells, the total (a lookup of the rolling counts when the total alone is a catalogue read,
 * else counted here), and on every row the facts the choice of SQL rested on (`READ_STATE_SQL`: whether a person
 * link exists, whether the rolling counts are in sync). The statement is built on what the store last saw of them
 * (`Assumed`); the store checks its answer against the facts read in the same snapshot (`currentAnswerOf`) and builds
 * it again when they said otherwise. `SAFE` holds whatever the facts: links joined, no rolling counts.
 */
import type { StoreQuery, StoreResult } from '@mosy/core';
import {
  PERSON_LINKS_TABLE,
  buildIndicatorSql,
  duckDbDialect,
  resultOfSingle,
  type TotalFrom,
} from '@mosy/sql';

/** What a statement over the current records was built on. */
export interface Assumed {
  /** Persons counted through the links table (exact with or without links; without, only while none exists). */
  readonly linked: boolean;
  /** The total read from the rolling counts (only while they are in sync, and for persons without links). */
  readonly rollingTotal: boolean;
}

/** Exact whatever the state: the links joined, nothing read from the rolling counts. */
export const SAFE: Assumed = { linked: true, rollingTotal: false };

/** The state facts of one snapshot: `linked` (a person link exists) and `synced` (rolling counts usable). */
export type ReadState = Readonly<Record<string, unknown>>;

/** Whether rolling counts may answer `query` in a snapshot with `state`. */
export const usesRolling = (query: StoreQuery, state: ReadState): boolean =>
  state.synced === true && (query.unit !== 'persons' || state.linked === false);

export interface CurrentRead {
  readonly sql: string;
  /** How the answer's total is read from its rows. */
  readonly total: TotalFrom;
  /** Whether the total comes from the rolling counts. */
  readonly rollingTotal: boolean;
}

/**
 * The statement answering `query` from `table` on `assumed`, with `stateSql`'s one row of facts on every row (a row
 * of facts alone, `n` NULL, when the answer has no row). `rollingTotalSql` is the statement of the rolling counts
 * answering the total alone (rows `part`, `period_label`, `n`, `key_sum`), used when `assumed.rollingTotal` and the
 * plan has no one-statement form of its own (list breakdowns: there the total counts records and persons before the
 * unnest, so no grouping of the unnested rows gives it).
 */
export function currentReadSql(
  query: StoreQuery,
  table: string,
  stateSql: string,
  assumed: Assumed,
  rollingTotalSql: string | undefined,
): CurrentRead {
  const links = query.unit === 'persons' && assumed.linked ? PERSON_LINKS_TABLE : null;
  const sql = buildIndicatorSql(query, duckDbDialect, table, links);
  let answer: string;
  let total: TotalFrom;
  let rollingTotal = false;
  if (sql.single !== undefined) {
    answer = sql.single.sql;
    total = sql.single.total;
  } else {
    rollingTotal = assumed.rollingTotal && rollingTotalSql !== undefined;
    const totalSql = rollingTotal
      ? `SELECT * EXCLUDE (part, period_label) FROM (${rollingTotalSql}) WHERE part = 't'`
      : sql.totalSql;
    // By name: the total's row has no breakdown columns (NULL there).
    answer =
      `SELECT *, 0 AS is_total FROM (${sql.cellsSql}) ` +
      `UNION ALL BY NAME SELECT *, 1 AS is_total FROM (${totalSql})`;
    total = 'row';
  }
  // The order of the answer's own statements: the total's row last, cells by their codes, then period.
  const order = [
    ...(total === 'row' ? ['is_total'] : []),
    ...query.by.map((_, index) => `k${index}`),
    ...(query.interval === undefined ? [] : ['period_label']),
  ];
  return {
    sql:
      `SELECT a.*, s.* FROM (${stateSql}) s LEFT JOIN (${answer}) a ON true` +
      (order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''),
    total,
    rollingTotal,
  };
}

/**
 * The answer of `query` from the rows of `currentReadSql` built on `assumed`, or undefined when the facts read with
 * them (`state`) say the assumption did not hold.
 */
export function currentAnswerOf(
  query: StoreQuery,
  read: CurrentRead,
  assumed: Assumed,
  rows: readonly Readonly<Record<string, unknown>>[],
): { readonly state: ReadState | undefined; readonly result: StoreResult | undefined } {
  const state = rows[0];
  const held =
    state !== undefined &&
    (query.unit !== 'persons' || assumed.linked || state.linked === false) &&
    (!read.rollingTotal || usesRolling(query, state));
  if (!held) return { state, result: undefined };
  // The row of facts alone (no answer row) has no count.
  const answer = rows.filter((row) => row.n !== null);
  return { state, result: resultOfSingle(query, read.total, answer) };
}
