/**
 * Schema migrations: SQL files in `migrations/` applied in order and recorded in `schema_migrations` with a
 * checksum. The list below is append-only: a new change is a new file with the next number, never an edit, and a
 * changed file of an applied migration stops the store from opening rather than leaving two schemas that claim the
 * same version. Each migration runs in its own transaction together with its record, so running migrate twice, or
 * from two processes one after the other, is a no-op.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoreLogger } from '@mosy/core';
import {
  STDERR_LOGGER,
  appliedMigrations,
  pendingMigrations,
  readMigrations,
  type Migration,
  type MigrationFile,
} from '@mosy/sql';
import { inTransaction } from './database.js';
import { rebuildRolling, rollingInSync } from './rolling.js';

/** Append-only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'records-current', file: '001-records-current.sql' },
  { version: 2, name: 'registry', file: '002-registry.sql' },
  { version: 3, name: 'intake-ledger', file: '003-intake-ledger.sql' },
  { version: 4, name: 'audit-log', file: '004-audit-log.sql' },
  { version: 5, name: 'report-archive', file: '005-report-archive.sql' },
  { version: 6, name: 'linkage', file: '006-linkage.sql' },
  { version: 7, name: 'dead-lettered-versions', file: '007-dead-lettered-versions.sql' },
  { version: 8, name: 'record-key-hash', file: '008-record-key-hash.sql' },
  { version: 9, name: 'rolling-counts', file: '009-rolling-counts.sql' },
  { version: 10, name: 'person-counters', file: '010-person-counters.sql' },
  { version: 11, name: 'person-counters-own', file: '011-person-counters-own.sql' },
];

const MIGRATIONS_FOLDER = new URL('../migrations/', import.meta.url);

/**
 * Applies the migrations not yet applied, then rebuilds the rolling counts if they were built for other groupings
 * (or never, in a database that predates them); returns the versions it applied. A rebuild that fails is rolled
 * back and reported to `logger`, and the store starts anyway: without this code's fingerprint in `rolling_state`,
 * reads come from the current records until a later migrate builds.
 */
export async function migrate(
  connection: DuckDBConnection,
  logger: StoreLogger = STDERR_LOGGER,
): Promise<number[]> {
  const done = await applyMigrations(connection, await readMigrations(MIGRATIONS_FOLDER, MIGRATIONS));
  if (!(await rollingInSync(connection))) {
    try {
      await inTransaction(connection, () => rebuildRolling(connection));
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'rolling counts could not be built: catalogue reads use the current records until the next migrate',
      );
    }
  }
  return done;
}

/**
 * Applies the files not yet recorded in the connection's default database's `schema_migrations` (made if missing),
 * each in a transaction with its record; returns the versions applied.
 */
export async function applyMigrations(
  connection: DuckDBConnection,
  files: readonly MigrationFile[],
): Promise<number[]> {
  await connection.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at BIGINT NOT NULL)`,
  );
  const rows = (
    await connection.runAndReadAll('SELECT version, checksum FROM schema_migrations')
  ).getRowObjectsJS();
  const done: number[] = [];
  for (const migration of pendingMigrations(files, appliedMigrations(rows))) {
    await inTransaction(connection, async () => {
      await connection.run(migration.sql);
      await connection.run('INSERT INTO schema_migrations VALUES ($1, $2, $3, $4)', [
        migration.version,
        migration.name,
        migration.checksum,
        Date.now(),
      ]);
    });
    done.push(migration.version);
  }
  return done;
}
