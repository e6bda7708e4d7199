/**
 * The intake ledger's database file: its own append-only list of migrations (recorded in that file's
 * `schema_migrations`), and the one-time move of the ledger's tables out of the store file, where databases made
 * before the ledger had a file of its own keep them (store migrations 003 and 007 create them there, and being
 * append-only, still do). The move cannot be one transaction (DuckDB writes one database per transaction), so it
 * is two, each safe to repeat: the copy into the ledger file commits together with a mark that it was made, and
 * only then are the store file's tables dropped. A process killed between the two finds the mark on its next start
 * and only drops; nothing is copied, so nothing (quality counts are sums) is counted twice.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Migration, readMigrations } from '@mosy/sql';
import { LEDGER_CATALOG, inTransaction, type DuckDbDatabase } from './database.js';
import { applyMigrations } from './migrations.js';

/** Append-only. */
export const LEDGER_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'intake-ledger', file: '001-intake-ledger.sql' },
  { version: 2, name: 'journal-position', file: '002-journal-position.sql' },
  { version: 3, name: 'journal-stop', file: '003-journal-stop.sql' },
];

/** The ledger's tables, as the store file held them before they moved. */
export const LEDGER_TABLES = [
  'accepted_versions',
  'submission_receipts',
  'quality_counts',
  'dead_lettered_versions',
] as const;

const LEDGER_MIGRATIONS_FOLDER = new URL('../migrations/ledger/', import.meta.url);

/**
 * Migrates the attached ledger file, then moves the ledger's tables out of the store file if it still has them.
 * Run after the store's migrations, before the database is used.
 */
export async function migrateLedger(database: DuckDbDatabase): Promise<void> {
  const files = await readMigrations(LEDGER_MIGRATIONS_FOLDER, LEDGER_MIGRATIONS);
  await database.writeLedger((connection) => applyMigrations(connection, files));
  if (!(await storeHasLedgerTables(database))) return;
  await database.writeLedger((connection) => copyLedgerTables(connection, database.storeCatalog));
  await database.write((connection) => dropStoreLedgerTables(connection, database.storeCatalog));
}

async function storeHasLedgerTables(database: DuckDbDatabase): Promise<boolean> {
  return database.read(async (connection) => {
    const rows = (
      await connection.runAndReadAll(
        'SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = $1 AND table_name = $2',
        [database.storeCatalog, LEDGER_TABLES[0]],
      )
    ).getRowObjectsJS();
    return rows[0]?.n === 1;
  });
}

/**
 * Copies the store file's ledger rows into the ledger file, with the mark that they were copied, in one
 * transaction; does nothing if the mark is there (an earlier start copied, and was stopped before the drop).
 * On the ledger's writer connection.
 */
export async function copyLedgerTables(connection: DuckDBConnection, storeCatalog: string): Promise<void> {
  await inTransaction(connection, async () => {
    const marked = (
      await connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = '${LEDGER_CATALOG}' AND table_name = 'moved_from_store'`,
      )
    ).getRowObjectsJS();
    if (marked[0]?.n === 1) return;
    for (const table of LEDGER_TABLES) {
      await connection.run(
        `INSERT INTO ${LEDGER_CATALOG}.${table} SELECT * FROM ${quoted(storeCatalog)}.main.${table}`,
      );
    }
    await connection.run(`CREATE TABLE ${LEDGER_CATALOG}.moved_from_store (moved_at BIGINT NOT NULL)`);
    await connection.run(`INSERT INTO ${LEDGER_CATALOG}.moved_from_store VALUES ($1)`, [Date.now()]);
  });
}

/** Drops the ledger's tables from the store file, once they were copied. On the store's writer connection. */
async function dropStoreLedgerTables(connection: DuckDBConnection, storeCatalog: string): Promise<void> {
  await inTransaction(connection, async () => {
    for (const table of LEDGER_TABLES)
      await connection.run(`DROP TABLE IF EXISTS ${quoted(storeCatalog)}.main.${table}`);
  });
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
