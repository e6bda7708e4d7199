/**
 * Rolling counts in DuckDB (the finest cells of `rolling/` in `@mosy/core`), kept up to date by `apply` inside its
 * transaction, so they always agree with `records_current` whatever replays or crashes happen. Set-based over the
 * staging table: the stored versions being replaced (sign -1) and the new current versions (+1) are expanded once
 * into finest rows by the SQL of `@mosy/sql` (generated from the same groupings as the core), summed per cell and per
 * (cell, person with an identity), and merged into the tables: the touched rows are replaced by their sums with the
 * stored ones, and rows that reach 0 are left out. `rebuildRolling` recomputes both tables from `records_current`
 * when the groupings changed (or on the first migration of a database that predates rolling counts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { KEY_SPACE, ROLLING_FINGERPRINT } from '@mosy/core';
import {
  ROLLING_CELLS_TABLE as CELLS,
  ROLLING_CELL_KEY,
  ROLLING_REFS_TABLE as REFS,
  duckDbDialect,
  rollingCellDeltaSql,
  rollingExpandSql,
  rollingRefDeltaSql,
  rollingSourceColumns,
  sqlLiteral,
} from '@mosy/sql';

const K = String(KEY_SPACE);
const modK = (expr: string): string => `((${expr}) % ${K} + ${K}) % ${K}`;
const KEY = ROLLING_CELL_KEY.join(', ');
const sameKey = (left: string, right: string, extra: readonly string[] = []): string =>
  [...ROLLING_CELL_KEY, ...extra].map((column) => `${left}.${column} = ${right}.${column}`).join(' AND ');

// The stored versions that lose (the same condition as apply's update), and the staged versions that win.
const SOURCE_SQL =
  'CREATE OR REPLACE TEMP TABLE rolling_source AS ' +
  `SELECT -1 AS sign, ${rollingSourceColumns(duckDbDialect, 'c.')} FROM staging s JOIN records_current c ` +
  'ON c.provider_id = s.provider_id AND c.record_id = s.record_id ' +
  'WHERE s.version > s.stored_version AND NOT c.withdrawn UNION ALL ' +
  `SELECT 1 AS sign, ${rollingSourceColumns(duckDbDialect, 's.')} FROM staging s ` +
  'WHERE (s.stored_version IS NULL OR s.version > s.stored_version) AND NOT s.withdrawn';

const FOLD_STATEMENTS = [
  `CREATE OR REPLACE TEMP TABLE rolling_rows AS ${rollingExpandSql(duckDbDialect, 'rolling_source')}`,
  `CREATE OR REPLACE TEMP TABLE rolling_cell_delta AS ${rollingCellDeltaSql('rolling_rows')}`,
  `CREATE OR REPLACE TEMP TABLE rolling_ref_delta AS ${rollingRefDeltaSql('rolling_rows')}`,
  // Each touched cell's new values: its stored ones (if any) plus the delta.
  'CREATE OR REPLACE TEMP TABLE rolling_cell_merge AS SELECT ' +
    `${ROLLING_CELL_KEY.map((column) => `d.${column}`).join(', ')}, ` +
    'coalesce(c.records, 0) + d.records AS records, ' +
    `${modK('coalesce(c.record_key_sum, 0) + d.record_key_sum')} AS record_key_sum, ` +
    'coalesce(c.persons, 0) + d.persons AS persons, ' +
    `${modK('coalesce(c.person_key_sum, 0) + d.person_key_sum')} AS person_key_sum ` +
    `FROM rolling_cell_delta d LEFT JOIN ${CELLS} c ON ${sameKey('c', 'd')}`,
  `DELETE FROM ${CELLS} USING rolling_cell_delta d WHERE ${sameKey(CELLS, 'd')}`,
  `INSERT INTO ${CELLS} SELECT * FROM rolling_cell_merge WHERE records <> 0`,
  'CREATE OR REPLACE TEMP TABLE rolling_ref_merge AS SELECT ' +
    `${ROLLING_CELL_KEY.map((column) => `d.${column}`).join(', ')}, d.person_key, coalesce(r.refs, 0) + d.refs AS refs ` +
    `FROM rolling_ref_delta d LEFT JOIN ${REFS} r ON ${sameKey('r', 'd', ['person_key'])}`,
  `DELETE FROM ${REFS} USING rolling_ref_delta d WHERE ${sameKey(REFS, 'd', ['person_key'])}`,
  `INSERT INTO ${REFS} SELECT * FROM rolling_ref_merge WHERE refs <> 0`,
  'DROP TABLE rolling_ref_merge',
  'DROP TABLE rolling_cell_merge',
  'DROP TABLE rolling_ref_delta',
  'DROP TABLE rolling_cell_delta',
  'DROP TABLE rolling_rows',
  'DROP TABLE rolling_source',
];

/**
 * Maintains the rolling counts for a staged batch: call inside apply's transaction after the staging table is
 * built and before records_current changes.
 */
export async function applyRolling(connection: DuckDBConnection): Promise<void> {
  await connection.run(SOURCE_SQL);
  for (const statement of FOLD_STATEMENTS) await connection.run(statement);
}

/** Whether the rolling tables were built for the current groupings. */
export async function rollingInSync(connection: DuckDBConnection): Promise<boolean> {
  const rows = (await connection.runAndReadAll('SELECT fingerprint FROM rolling_state')).getRowObjectsJS();
  return rows.length === 1 && rows[0]?.fingerprint === ROLLING_FINGERPRINT;
}

/**
 * Recomputes the rolling tables from records_current and records the fingerprint, in the caller's transaction: for
 * a database migrated from before rolling counts, or built for other groupings. The tables start empty, so the sums
 * of the current records are the tables.
 */
export async function rebuildRolling(connection: DuckDBConnection): Promise<void> {
  const statements = [
    `DELETE FROM ${CELLS}`,
    `DELETE FROM ${REFS}`,
    'CREATE OR REPLACE TEMP TABLE rolling_source AS ' +
      `SELECT 1 AS sign, ${rollingSourceColumns(duckDbDialect)} FROM records_current WHERE NOT withdrawn`,
    `CREATE OR REPLACE TEMP TABLE rolling_rows AS ${rollingExpandSql(duckDbDialect, 'rolling_source')}`,
    `INSERT INTO ${CELLS} SELECT ${KEY}, records, ${modK('record_key_sum')}, persons, ${modK('person_key_sum')} ` +
      `FROM (${rollingCellDeltaSql('rolling_rows')})`,
    `INSERT INTO ${REFS} ${rollingRefDeltaSql('rolling_rows')}`,
    'DROP TABLE rolling_rows',
    'DROP TABLE rolling_source',
    'DELETE FROM rolling_state',
    `INSERT INTO rolling_state VALUES (${sqlLiteral(ROLLING_FINGERPRINT)})`,
  ];
  for (const statement of statements) await connection.run(statement);
}
