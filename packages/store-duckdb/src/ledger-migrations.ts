/**
 * The intake ledger's database file: its own append-only list of migrations (recorded in that file's
 * `schema_migrations`), and the one-time moves of tables out of the store file, where databases made before keep
 * them (store migrations 003, 004 and 007 create them there, and being append-only, still do): the ledger's tables,
 * and the audit log, which a request waits for as it waits for the ledger (see ledger migration 004). A move cannot
 * be one transaction (DuckDB writes one database per transaction), so it is two, each safe to repeat: the copy into
 * the ledger file commits together with a mark that it was made, and only then are the store file's tables dropped.
 * A process killed between the two finds the mark on its next start and only drops; nothing is copied twice (quality
 * counts are sums, audit entries would be listed twice).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { MosyError } from '@mosy/core';
import { type Migration, readMigrations } from '@mosy/sql';
import { LEDGER_CATALOG, inTransaction, type DuckDbDatabase } from './database.js';
import { applyMigrations } from './migrations.js';

/** Append-only. */
export const LEDGER_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'intake-ledger', file: '001-intake-ledger.sql' },
  { version: 2, name: 'journal-position', file: '002-journal-position.sql' },
  { version: 3, name: 'journal-stop', file: '003-journal-stop.sql' },
  { version: 4, name: 'audit-log', file: '004-audit-log.sql' },
];

/** The ledger's tables, as the store file held them before they moved. */
export const LEDGER_TABLES = [
  'accepted_versions',
  'submission_receipts',
  'quality_counts',
  'dead_lettered_versions',
] as const;

/** Tables moved out of the store file once, and the table of the ledger file that marks them copied. */
export interface StoreMove {
  readonly tables: readonly [string, ...string[]];
  readonly mark: string;
  /**
   * The sequence numbering the first table's `column`: the store file's is dropped with the table, the ledger file's
   * advanced past the copied numbers.
   */
  readonly sequence?: { readonly name: string; readonly column: string };
}

export const LEDGER_MOVE: StoreMove = { tables: LEDGER_TABLES, mark: 'moved_from_store' };
export const AUDIT_MOVE: StoreMove = {
  tables: ['audit_log'],
  mark: 'audit_moved_from_store',
  sequence: { name: 'audit_log_seq', column: 'seq' },
};

const LEDGER_MIGRATIONS_FOLDER = new URL('../migrations/ledger/', import.meta.url);

/**
 * Migrates the attached ledger file, then moves out of the store file the tables it still has. Run after the
 * store's migrations, before the database is used.
 */
export async function migrateLedger(database: DuckDbDatabase): Promise<void> {
  const files = await readMigrations(LEDGER_MIGRATIONS_FOLDER, LEDGER_MIGRATIONS);
  await database.writeLedger((connection) => applyMigrations(connection, files));
  for (const move of [LEDGER_MOVE, AUDIT_MOVE]) {
    if (!(await storeHas(database, move.tables[0]))) continue;
    await database.writeLedger((connection) => copyFromStore(connection, database.storeCatalog, move));
    await database.write((connection) => dropFromStore(connection, database.storeCatalog, move));
  }
}

async function storeHas(database: DuckDbDatabase, table: string): Promise<boolean> {
  return database.read(async (connection) => {
    const rows = (
      await connection.runAndReadAll(
        'SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = $1 AND table_name = $2',
        [database.storeCatalog, table],
      )
    ).getRowObjectsJS();
    return rows[0]?.n === 1;
  });
}

/**
 * Copies the rows of a move's tables from the store file into the ledger file, with the mark that they were
 * copied, in one transaction; does nothing if the mark is there (an earlier start copied, and was stopped before
 * the drop). On the ledger's writer connection.
 */
export async function copyFromStore(
  connection: DuckDBConnection,
  storeCatalog: string,
  move: StoreMove,
): Promise<void> {
  await inTransaction(connection, async () => {
    const marked = (
      await connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = '${LEDGER_CATALOG}' AND table_name = $1`,
        [move.mark],
      )
    ).getRowObjectsJS();
    if (marked[0]?.n === 1) return;
    for (const table of move.tables) {
      // By name: the two files' tables come from different migrations, so only their column names must agree (a
      // column the store's table lacks fails the copy instead of shifting values into the wrong column).
      const columns = (
        await connection.runAndReadAll(
          `SELECT string_agg('"' || column_name || '"', ', ' ORDER BY column_index) AS names FROM duckdb_columns() WHERE database_name = '${LEDGER_CATALOG}' AND table_name = $1`,
          [table],
        )
      ).getRowObjectsJS()[0]?.names;
      // The ledger's migrations, run just before, create every moved table.
      if (typeof columns !== 'string')
        throw new MosyError('internal', `The ledger file has no table ${table}.`);
      await connection.run(
        `INSERT INTO ${LEDGER_CATALOG}.${table} (${columns}) SELECT ${columns} FROM ${quoted(storeCatalog)}.main.${table}`,
      );
    }
    const sequence = move.sequence;
    // The copied rows keep their numbers; the ledger's sequence goes on after them, so numbers still follow the order.
    if (sequence !== undefined)
      await connection.run(
        `SELECT count(nextval('${LEDGER_CATALOG}.main.${sequence.name}')) FROM range(` +
          `(SELECT coalesce(max(${sequence.column}), 0) FROM ${LEDGER_CATALOG}.${move.tables[0]}))`,
      );
    await connection.run(`CREATE TABLE ${LEDGER_CATALOG}.${move.mark} (moved_at BIGINT NOT NULL)`);
    await connection.run(`INSERT INTO ${LEDGER_CATALOG}.${move.mark} VALUES ($1)`, [Date.now()]);
  });
}

/** Drops a move's tables (and sequence) from the store file, once they were copied. On the store's writer connection. */
async function dropFromStore(
  connection: DuckDBConnection,
  storeCatalog: string,
  move: StoreMove,
): Promise<void> {
  await inTransaction(connection, async () => {
    for (const table of move.tables)
      await connection.run(`DROP TABLE IF EXISTS ${quoted(storeCatalog)}.main.${table}`);
    if (move.sequence !== undefined)
      await connection.run(`DROP SEQUENCE IF EXISTS ${quoted(storeCatalog)}.main.${move.sequence.name}`);
  });
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
