/**
 * Rolling counts in DuckDB (the finest cells of `rolling/` in `@mosy/core`), kept up to date by `apply` inside its
 * transaction, so they always agree with `records_current` whatever replays or crashes happen. Set-based over the
 * staging table, in one source of signed records: the stored versions being replaced (sign -1), the new current
 * versions (+1) and the other current records of the persons with an identity these touch (0, kept). The source is
 * expanded once into finest rows (`rollingExpandSql`, generated from the same groupings as the core), which are
 * summed per cell, per (cell, person with an identity) and into the person counters (`person_counters`: distinct
 * persons per grouping, grain period and codes over all providers; for persons with an identity, each one's occupied
 * counters before and after the batch, as distinct sets, give the change exactly: `personCounterDeltaSql`; for
 * persons without identity the cells' change does: `ownPersonCounterDeltaSql`). The sums are appended: no join with,
 * update of or delete from the tables on the way (reads sum a key's rows anyway). When a table has grown to twice its
 * size at the last compaction (plus a margin), it is compacted in a transaction of its own, beside the applies (the
 * references only when enough of their rows are removals): one row per key, rows summing to 0 left out.
 * `rebuildRolling` recomputes the tables from `records_current` when the groupings changed (or on the first migration
 * of a database that predates rolling counts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { KEY_SPACE, ROLLING_FINGERPRINT } from '@mosy/core';
import {
  PERSON_COUNTERS_TABLE as COUNTERS,
  PERSON_COUNTER_KEY,
  ownPersonCounterDeltaSql,
  personCounterDeltaSql,
  ROLLING_CELLS_TABLE as CELLS,
  ROLLING_CELL_KEY,
  ROLLING_REFS_TABLE as REFS,
  duckDbDialect,
  rollingCellDeltaSql,
  rollingExpandSql,
  rollingRefDeltaSql,
  rollingSourceColumns,
  sqlLiteral,
  toCount,
} from '@mosy/sql';

const K = String(KEY_SPACE);
const modK = (expr: string): string => `((${expr}) % ${K} + ${K}) % ${K}`;
const KEY = ROLLING_CELL_KEY.join(', ');

/** The cells as one row per key with its summed values (key sums reduced), empty cells left out. */
export const COMPACT_CELLS_SQL =
  `SELECT ${KEY}, sum(records) AS records, ${modK('sum(record_key_sum)')} AS record_key_sum, ` +
  `sum(persons) AS persons, ${modK('sum(person_key_sum)')} AS person_key_sum FROM ${CELLS} ` +
  `GROUP BY ${KEY} HAVING sum(records) <> 0`;
/** The references as one row per (cell, person) with its summed count, those at 0 left out. */
export const COMPACT_REFS_SQL =
  `SELECT ${KEY}, person_key, sum(refs) AS refs FROM ${REFS} ` +
  `GROUP BY ${KEY}, person_key HAVING sum(refs) <> 0`;

const COUNTER_KEY = PERSON_COUNTER_KEY.join(', ');
/** The person counters as one row per key with its summed values (key sums reduced), those at 0 left out. */
export const COMPACT_COUNTERS_SQL =
  `SELECT ${COUNTER_KEY}, sum(persons) AS persons, ${modK('sum(person_key_sum)')} AS person_key_sum ` +
  `FROM ${COUNTERS} GROUP BY ${COUNTER_KEY} HAVING sum(persons) <> 0`;

// One signed source for every table (`rolling_source`): the stored versions that lose (the same condition as
// apply's update) with sign -1, the staged versions that win with +1, and, once the persons with an identity these
// touch are known, every other current record of those persons with sign 0 (kept: it counts for their person
// counters, and changes no cell or reference). Each row carries its person key number, the identified ones' too.
// Stored rows are fetched by rowid (apply's staging keeps it; the kept ones are found by the key number first, an
// integer column that scan alone reads, and checked against the key): DuckDB then reads only the row groups holding
// them, where a join on the key, or a filter on other columns, reads every row's columns (30 ms at 200k records, for
// a batch of one).
const SOURCE_SQL =
  'CREATE OR REPLACE TEMP TABLE rolling_source AS ' +
  `SELECT -1 AS sign, ${rollingSourceColumns(duckDbDialect, 'c.')} ` +
  'FROM staging s JOIN records_current c ' +
  'ON c.rowid = s.stored_rowid WHERE s.version > s.stored_version AND NOT c.withdrawn UNION ALL ' +
  `SELECT 1 AS sign, ${rollingSourceColumns(duckDbDialect, 's.')} ` +
  'FROM staging s WHERE (s.stored_version IS NULL OR s.version > s.stored_version) AND NOT s.withdrawn';
const TOUCHED_SQL =
  'CREATE OR REPLACE TEMP TABLE counter_persons AS SELECT DISTINCT person AS person_key, person_key_number ' +
  'FROM rolling_source WHERE own = 0';
const KEPT_SQL = [
  'CREATE OR REPLACE TEMP TABLE counter_rowids AS SELECT rowid AS stored_rowid FROM records_current ' +
    'WHERE person_key_number IN (SELECT person_key_number FROM counter_persons)',
  `INSERT INTO rolling_source SELECT 0 AS sign, ${rollingSourceColumns(duckDbDialect, 'c.')} ` +
    'FROM counter_rowids i JOIN records_current c ON c.rowid = i.stored_rowid ' +
    'LEFT JOIN (SELECT stored_rowid FROM staging WHERE version > stored_version) s ON s.stored_rowid = c.rowid ' +
    'WHERE s.stored_rowid IS NULL AND NOT c.withdrawn AND c.person_key IN (SELECT person_key FROM counter_persons)',
].join('; ');

// The source's rows as the cells and references sum them: changes only, and the key number of persons counted
// directly (`own`) alone.
const changed = (rows: string): string =>
  `(SELECT grouping_index, month, provider_id, k0, k1, sign, person, record_key, own, ` +
  `CASE WHEN own = 1 THEN person_key_number ELSE 0 END AS person_key_number FROM ${rows} WHERE sign <> 0) changed`;
// The rows of persons with an identity as personCounterDeltaSql marks them: 1 in a replaced version (before only),
// 2 in a new one (after only), 3 in a kept one (both).
const counted = (rows: string): string =>
  '(SELECT grouping_index, month, k0, k1, person, person_key_number, ' +
  `CASE sign WHEN -1 THEN 1 WHEN 1 THEN 2 ELSE 3 END AS sign FROM ${rows} WHERE own = 0) counted`;

/**
 * The statements that append a source's changes, from its expansion `rows` (a table, or a subquery streamed into each
 * sum) and that of its persons with an identity, `identified` (`rows` will do). The cells' change (a row per cell,
 * not per expanded row) is kept to fold it into the counters of persons without identity too
 * (`ownPersonCounterDeltaSql`).
 */
const appendStatements = (rows: string, identified = rows): string[] => [
  `CREATE OR REPLACE TEMP TABLE rolling_cell_delta AS ${rollingCellDeltaSql(changed(rows))}`,
  `INSERT INTO ${CELLS} SELECT * FROM rolling_cell_delta`,
  `INSERT INTO ${COUNTERS} ${ownPersonCounterDeltaSql('rolling_cell_delta')}`,
  `INSERT INTO ${REFS} ${rollingRefDeltaSql(changed(rows))}`,
  `INSERT INTO ${COUNTERS} ${personCounterDeltaSql(counted(identified))}`,
];

// A batch's source is expanded once into a table (one pass, `rollingExpandSql`, about 40 rows per record)
// that every sum reads; a rebuild's, the whole current records, is streamed into the cells' and references' sums,
// and only its persons with an identity are expanded into a table, which the counters' sum reads four times.
const APPLY_STATEMENTS = [
  `CREATE OR REPLACE TEMP TABLE rolling_rows AS ${rollingExpandSql('rolling_source')}`,
  ...appendStatements('rolling_rows'),
];
const DROP_SQL =
  'DROP TABLE IF EXISTS rolling_rows; DROP TABLE IF EXISTS rolling_cell_delta; DROP TABLE IF EXISTS rolling_source; ' +
  'DROP TABLE IF EXISTS counter_persons; DROP TABLE IF EXISTS counter_rowids';

/** Rows a table may grow by beyond twice its compacted size before it is compacted. */
export const COMPACTION_MARGIN = 100_000;

const SIZES_SQL =
  `SELECT (SELECT count(*) FROM ${CELLS}) AS cells, (SELECT count(*) FROM ${REFS}) AS refs, ` +
  `(SELECT count(*) FROM ${COUNTERS}) AS counters, ` +
  'cells_compacted, refs_compacted, counters_compacted FROM rolling_state';

/** Rewrites a table as its compact form; returns its rows. */
async function compact(connection: DuckDBConnection, table: string, compactSql: string): Promise<number> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE rolling_compact AS ${compactSql}`);
  await connection.run(`DELETE FROM ${table}`);
  const rows = (await connection.run(`INSERT INTO ${table} SELECT * FROM rolling_compact`)).rowsChanged;
  await connection.run('DROP TABLE rolling_compact');
  return rows;
}

// A compacted reference is above 0, so the rows below 0 are removals (of a replaced or withdrawn version) appended
// since the last compaction.
const REFS_REMOVALS_SQL = `SELECT count(*) AS n FROM ${REFS} WHERE refs < 0`;

/**
 * Whether compacting the references would pay: a reference's key is one person in one cell, which later batches
 * rarely repeat unless they replace or withdraw a version, so while records are mostly added a compaction rewrites
 * the whole table to merge next to nothing (it was 13 % of the apply time of the embedded bench, all identified).
 * Compacted only when at least a quarter of the rows appended since are removals: each removal and the row it
 * cancels go, and the rows that stay are at most about twice the current references, whatever the history.
 */
async function refsWorthCompacting(connection: DuckDBConnection, rows: number, compacted: number) {
  const removals = toCount((await connection.runAndReadAll(REFS_REMOVALS_SQL)).getRowObjectsJS()[0]?.n);
  return 4 * removals >= rows - compacted;
}

/**
 * Compacts the tables that grew past their bound (references: see `refsWorthCompacting`), or all with `always`.
 * Only rewrites rows into their per-key sums, so it may run in a transaction of its own beside applies, which only
 * append to the tables: the rows an apply commits meanwhile are not in its snapshot, and are neither deleted nor
 * summed.
 */
export async function compactRolling(
  connection: DuckDBConnection,
  always = false,
  margin = COMPACTION_MARGIN,
): Promise<void> {
  const sizes = (await connection.runAndReadAll(SIZES_SQL)).getRowObjectsJS()[0];
  // No row: never built (the first build failed); reads do not use the tables, the next build starts afresh.
  if (sizes === undefined) return;
  const grown = (rows: unknown, compacted: unknown) =>
    always || toCount(rows) > 2 * toCount(compacted) + margin;
  if (grown(sizes.cells, sizes.cells_compacted)) {
    const rows = await compact(connection, CELLS, COMPACT_CELLS_SQL);
    await connection.run(`UPDATE rolling_state SET cells_compacted = ${rows}`);
  }
  if (
    grown(sizes.refs, sizes.refs_compacted) &&
    (always || (await refsWorthCompacting(connection, toCount(sizes.refs), toCount(sizes.refs_compacted))))
  ) {
    const rows = await compact(connection, REFS, COMPACT_REFS_SQL);
    await connection.run(`UPDATE rolling_state SET refs_compacted = ${rows}`);
  }
  if (grown(sizes.counters, sizes.counters_compacted)) {
    const rows = await compact(connection, COUNTERS, COMPACT_COUNTERS_SQL);
    await connection.run(`UPDATE rolling_state SET counters_compacted = ${rows}`);
  }
}

/**
 * Rows appended between two checks of the tables' sizes (`compactRolling`): checking counts every table's rows (and
 * the references' removals), a few milliseconds that a small batch need not cause each time when a table is
 * compacted only after growing by `COMPACTION_MARGIN` rows.
 */
export const SIZE_CHECK_ROWS = 10_000;

/**
 * Maintains the rolling counts for a staged batch: call inside apply's transaction after the staging table is
 * built and before records_current changes. Returns the rows appended to the tables; compacting them is left to
 * the caller (`compactRolling`), outside the apply: a compaction rewrites a whole table, and inside the apply's
 * transaction it held that apply, and the reports waiting for it, for a second and more.
 */
export async function applyRolling(connection: DuckDBConnection): Promise<number> {
  await connection.run(SOURCE_SQL);
  await connection.run(TOUCHED_SQL);
  const touched = (
    await connection.runAndReadAll('SELECT count(*) AS n FROM counter_persons')
  ).getRowObjectsJS();
  if (toCount(touched[0]?.n) > 0) await connection.run(KEPT_SQL);
  let appended = 0;
  for (const statement of APPLY_STATEMENTS) appended += Number((await connection.run(statement)).rowsChanged);
  await connection.run(DROP_SQL);
  return appended;
}

/** A scalar subquery: whether the rolling tables were built for the current groupings (one state, this fingerprint). */
export const ROLLING_IN_SYNC_SQL =
  '(SELECT count(*) = 1 AND count(*) FILTER (WHERE fingerprint = ' +
  `${sqlLiteral(ROLLING_FINGERPRINT)}) = 1 FROM rolling_state)`;

/** Whether the rolling tables were built for the current groupings. */
export async function rollingInSync(connection: DuckDBConnection): Promise<boolean> {
  const rows = (await connection.runAndReadAll(`SELECT ${ROLLING_IN_SYNC_SQL} AS synced`)).getRowObjectsJS();
  return rows[0]?.synced === true;
}

/**
 * Marks the rolling tables as built for no groupings, in apply's transaction, when a store that does not keep them
 * (the bench's `rolling: false`) writes records_current: from then on reads come from the current records, and the
 * next migrate rebuilds.
 */
export async function disownRolling(connection: DuckDBConnection): Promise<void> {
  await connection.run("UPDATE rolling_state SET fingerprint = '' WHERE fingerprint <> ''");
}

/**
 * Recomputes the rolling tables from records_current and records the fingerprint, in the caller's transaction: for
 * a database migrated from before rolling counts, or built for other groupings.
 */
export async function rebuildRolling(connection: DuckDBConnection): Promise<void> {
  for (const statement of [
    `DELETE FROM ${CELLS}`,
    `DELETE FROM ${REFS}`,
    `DELETE FROM ${COUNTERS}`,
    'CREATE OR REPLACE TEMP TABLE rolling_source AS ' +
      `SELECT 1 AS sign, ${rollingSourceColumns(duckDbDialect)} ` +
      'FROM records_current WHERE NOT withdrawn',
    'CREATE OR REPLACE TEMP TABLE rolling_rows AS ' +
      rollingExpandSql('(SELECT * FROM rolling_source WHERE own = 0) identified'),
    ...appendStatements(`(${rollingExpandSql('rolling_source')})`, 'rolling_rows'),
    DROP_SQL,
  ])
    await connection.run(statement);
  const cells = await compact(connection, CELLS, COMPACT_CELLS_SQL);
  const refs = await compact(connection, REFS, COMPACT_REFS_SQL);
  const counters = await compact(connection, COUNTERS, COMPACT_COUNTERS_SQL);
  await connection.run('DELETE FROM rolling_state');
  await connection.run(
    `INSERT INTO rolling_state VALUES (${sqlLiteral(ROLLING_FINGERPRINT)}, ${cells}, ${refs}, ${counters})`,
  );
}
