/**
 * Schema migrations: SQL files in `migrations/` applied in order and recorded in `schema_migrations` with a
 * checksum. The list below is append-only: a new change is a new file with the next number, never an edit, and a
 * changed file of an applied migration stops the store from opening rather than leaving two schemas that claim
 * the same version. ClickHouse has no transactions and takes one statement per request, so a file is split into
 * statements and every statement must be idempotent on its own (`IF NOT EXISTS`): a migration interrupted halfway
 * runs again from its first statement, and is recorded only once all of them succeeded. Two processes migrating at
 * once both run the same idempotent statements and record the same row.
 */
import { appliedMigrations, pendingMigrations, readMigrations, type Migration } from '@mosy/sql';
import { serverCodeOf, type ClickHouseConnection } from './connection.js';

/** Append-only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'records-current', file: '001-records-current.sql' },
  { version: 2, name: 'registry', file: '002-registry.sql' },
  { version: 3, name: 'intake-ledger', file: '003-intake-ledger.sql' },
  { version: 4, name: 'audit-log', file: '004-audit-log.sql' },
  { version: 5, name: 'report-archive', file: '005-report-archive.sql' },
  { version: 6, name: 'linkage', file: '006-linkage.sql' },
  { version: 7, name: 'dead-lettered-versions', file: '007-dead-lettered-versions.sql' },
  { version: 8, name: 'record-changes', file: '008-record-changes.sql' },
  { version: 9, name: 'person-key-number', file: '009-person-key-number.sql' },
  { version: 10, name: 'rolling-periods', file: '010-rolling-periods.sql' },
  { version: 11, name: 'counted-period-marks', file: '011-counted-period-marks.sql' },
  { version: 12, name: 'person-key-number-default', file: '012-person-key-number-default.sql' },
];

const MIGRATIONS_FOLDER = new URL('../migrations/', import.meta.url);

/** The statements of a migration file: `--` comment lines dropped, split at `;` (no file puts one in a string). */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

/**
 * Runs one statement of a migration file. 18.16 has no `ADD COLUMN IF NOT EXISTS`: an `ALTER TABLE … ADD COLUMN` that
 * finds its column there (ILLEGAL_COLUMN, "already exists") was applied by an earlier, interrupted run.
 */
export async function runIdempotent(connection: ClickHouseConnection, statement: string): Promise<void> {
  try {
    await connection.command(statement);
  } catch (error) {
    const added = /^ALTER TABLE \w+ ADD COLUMN /.test(statement);
    // By its code, not its words: current servers' messages carry no "Code: 44" once the client has parsed them.
    if (!(
      added &&
      serverCodeOf(error) === '44' &&
      error instanceof Error &&
      /already exists/.test(error.message)
    ))
      throw error;
  }
}

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrate(connection: ClickHouseConnection): Promise<number[]> {
  await connection.command(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version UInt32, name String, checksum String, applied_at Int64
     ) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
  );
  const rows = await connection.select('SELECT version, checksum FROM schema_migrations FINAL');
  const applied = appliedMigrations(rows);
  const done: number[] = [];
  for (const migration of pendingMigrations(await readMigrations(MIGRATIONS_FOLDER, MIGRATIONS), applied)) {
    for (const statement of splitStatements(migration.sql)) await runIdempotent(connection, statement);
    await connection.insert('schema_migrations', [
      {
        version: migration.version,
        name: migration.name,
        checksum: migration.checksum,
        applied_at: Date.now(),
      },
    ]);
    done.push(migration.version);
  }
  return done;
}
