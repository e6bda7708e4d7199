/**
 * Opening the DuckDB adapters. One database file holds the indicator store and the registry, and a second one
 * beside it the intake ledger and the audit log (attached to the same instance, see `ledgerPath`); `createDuckDbStores`
 * opens them once and returns the adapters over the shared instance (the embedded runtime's choice),
 * `createDuckDbIndicatorStore` opens a database for the indicator store alone. Closing either closes the
 * database: drain the queued work, checkpoint, release the files.
 */
import type { AuditLog, IntakeLedger, LinkageStore, Registry, ReportArchive, StoreLogger } from '@mosy/core';
import { STDERR_LOGGER } from '@mosy/sql';
import { createAuditLogOn } from './audit-log.js';
import { DuckDbDatabase, ledgerPathOf, type DuckDbDatabaseOptions } from './database.js';
import { createIndicatorStoreOn, type DuckDbIndicatorStore } from './indicator-store.js';
import { createIntakeLedgerOn } from './intake-ledger.js';
import { createJournaledLedgerOn, type JournaledLedgerOptions } from './journaled-ledger.js';
import { migrateLedger } from './ledger-migrations.js';
import { createLinkageStoreOn } from './linkage-store.js';
import { migrate } from './migrations.js';
import { createRegistryOn } from './registry.js';
import { createReportArchiveOn } from './report-archive.js';

export interface DuckDbStoreOptions extends DuckDbDatabaseOptions {
  /** Run the migrations on open (they are idempotent). @defaultValue true */
  readonly migrate?: boolean;
  /** Told when a migrate could not build the rolling counts. @defaultValue `STDERR_LOGGER` */
  readonly logger?: StoreLogger;
}

export interface DuckDbStoresOptions extends DuckDbStoreOptions {
  /**
   * Makes the intake ledger write-behind (journaled-ledger.ts): a submission's entry is durable once in this journal,
   * and applied to the ledger's tables in the background. Opening applies what the journal holds past the ledger's
   * recorded position. @defaultValue none: each submission commits to the ledger's tables before it is answered
   */
  readonly ledgerJournal?: Omit<JournaledLedgerOptions, 'logger'>;
}

export interface DuckDbStores {
  readonly store: DuckDbIndicatorStore;
  readonly registry: Registry;
  readonly ledger: IntakeLedger;
  /** Reads of unprotected values (the report API's audit trail). */
  readonly audit: AuditLog;
  /** The quarterly report's versions and artefacts. */
  readonly archive: ReportArchive;
  /** Fuzzy linkage's encodings and person links, apart from the indicator tables. */
  readonly linkage: LinkageStore;
  /**
   * The memory limit the instance runs with, as DuckDB reports it (`1.4 GiB`): `config.memory_limit`, or DuckDB's
   * default of 80 % of the machine's memory. The embedded runtime logs it, since the process grows to about it.
   */
  memoryLimit(): Promise<string>;
  /** Closes the shared database; `store.close()` does the same. Idempotent. */
  close(): Promise<void>;
}

async function openMigrated(options: DuckDbStoreOptions): Promise<DuckDbDatabase> {
  const database = await DuckDbDatabase.open(options);
  if (options.migrate ?? true) {
    try {
      await database.write((connection) => migrate(connection, options.logger ?? STDERR_LOGGER));
      if (database.hasLedger) await migrateLedger(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

/**
 * Opens (creating if needed) a DuckDB database with its ledger file (`ledgerPath`, by default beside `path`:
 * `ledgerPathOf`) and returns the indicator store, registry, ledger and audit log.
 */
export async function createDuckDbStores(options: DuckDbStoresOptions): Promise<DuckDbStores> {
  const database = await openMigrated({
    ...options,
    ledgerPath: options.ledgerPath ?? ledgerPathOf(options.path),
  });
  const logger = options.logger ?? STDERR_LOGGER;
  let journaled;
  try {
    journaled =
      options.ledgerJournal === undefined
        ? undefined
        : await createJournaledLedgerOn(database, { ...options.ledgerJournal, logger });
  } catch (error) {
    await database.close();
    throw error;
  }
  // The journal's last entries are applied before the database closes, so a clean stop leaves nothing to replay.
  const close = async (): Promise<void> => {
    try {
      await journaled?.stop();
    } finally {
      // An entry that could not be applied stays in the journal, for the next start.
      await database.close();
    }
  };
  return {
    store: createIndicatorStoreOn(
      database,
      close,
      options.logger === undefined ? {} : { logger: options.logger },
    ),
    registry: createRegistryOn(database),
    ledger: journaled ?? createIntakeLedgerOn(database),
    audit: createAuditLogOn(database),
    archive: createReportArchiveOn(database),
    linkage: createLinkageStoreOn(database),
    // Asked for by the one caller that logs it, rather than read by every open.
    memoryLimit: () =>
      database.read(async (connection) => {
        const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit') AS m");
        return (reader.getRowObjectsJS() as { m: string }[])[0]!.m;
      }),
    close,
  };
}

/** Opens (creating if needed) a DuckDB database for an indicator store alone; `close` releases the database. */
export async function createDuckDbIndicatorStore(options: DuckDbStoreOptions): Promise<DuckDbIndicatorStore> {
  const database = await openMigrated(options);
  return createIndicatorStoreOn(
    database,
    () => database.close(),
    options.logger === undefined ? {} : { logger: options.logger },
  );
}
