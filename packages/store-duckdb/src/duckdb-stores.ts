/**
 * Opening the DuckDB adapters. One database file holds the indicator store, the registry and the audit log, and a
 * second one beside it the intake ledger (attached to the same instance, see `ledgerPath`); `createDuckDbStores`
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
export async function createDuckDbStores(options: DuckDbStoreOptions): Promise<DuckDbStores> {
  const database = await openMigrated({
    ...options,
    ledgerPath: options.ledgerPath ?? ledgerPathOf(options.path),
  });
  const close = (): Promise<void> => database.close();
  return {
    store: createIndicatorStoreOn(
      database,
      close,
      options.logger === undefined ? {} : { logger: options.logger },
    ),
    registry: createRegistryOn(database),
    ledger: createIntakeLedgerOn(database),
    audit: createAuditLogOn(database),
    archive: createReportArchiveOn(database),
    linkage: createLinkageStoreOn(database),
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
