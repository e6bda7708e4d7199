/**
 * Opening the ClickHouse adapters. One database holds the indicator store, the registry and the intake ledger;
 * `createClickHouseStores` connects once (creating the database if missing), runs the migrations unless told not
 * to, and returns the three over the shared connection; `createClickHouseIndicatorStore` does the same for the
 * indicator store alone. Closing either closes the connection.
 */
import type { AuditLog, IntakeLedger, LinkageStore, Registry, ReportArchive, StoreLogger } from '@mosy/core';
import { STDERR_LOGGER } from '@mosy/sql';
import { createAuditLogOn } from './audit-log.js';
import { ClickHouseConnection, type ClickHouseConnectionOptions } from './connection.js';
import { createIndicatorStoreOn, type ClickHouseIndicatorStore } from './indicator-store.js';
import { createIntakeLedgerOn } from './intake-ledger.js';
import { createLinkageStoreOn } from './linkage-store.js';
import { migrate } from './migrations.js';
import { buildRollingOrFallBack } from './rolling.js';
import { createRegistryOn } from './registry.js';
import { createReportArchiveOn } from './report-archive.js';

export interface ClickHouseStoreOptions extends ClickHouseConnectionOptions {
  /** Run the migrations on open (they are idempotent). @defaultValue true */
  readonly migrate?: boolean;
  /** Told when a migrate could not build the rolling counts. @defaultValue `STDERR_LOGGER` */
  readonly logger?: StoreLogger;
  /**
   * Applies of up to this many signed rows certify their periods' person counters themselves (`apply-certification.ts`);
   * 0 leaves every period to the refresher. @defaultValue `CERTIFY_ROWS`
   */
  readonly certifyRows?: number;
}

export interface ClickHouseStores {
  readonly store: ClickHouseIndicatorStore;
  readonly registry: Registry;
  readonly ledger: IntakeLedger;
  /** Reads of unprotected values (the report API's audit trail). */
  readonly audit: AuditLog;
  /** The quarterly report's versions and artefacts. */
  readonly archive: ReportArchive;
  /** Fuzzy linkage's encodings and person links, apart from the indicator tables. */
  readonly linkage: LinkageStore;
  /** Creates or upgrades the schema of all three; versioned and idempotent (the same as `store.migrate()`). */
  migrate(): Promise<void>;
  /** Closes the shared connection; `store.close()` does the same. Idempotent. */
  close(): Promise<void>;
}

async function openMigrated(options: ClickHouseStoreOptions): Promise<ClickHouseConnection> {
  const connection = await ClickHouseConnection.open(options);
  if (options.migrate ?? true) {
    try {
      await migrate(connection);
      await buildRollingOrFallBack(connection, options.logger ?? STDERR_LOGGER);
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
  return connection;
}

/** Connects to ClickHouse (creating the database if needed) and returns the indicator store, registry and ledger. */
export async function createClickHouseStores(options: ClickHouseStoreOptions): Promise<ClickHouseStores> {
  const connection = await openMigrated(options);
  const close = (): Promise<void> => connection.close();
  const store = createIndicatorStoreOn(connection, close, options.logger, options.certifyRows);
  return {
    store,
    registry: createRegistryOn(connection),
    ledger: createIntakeLedgerOn(connection),
    audit: createAuditLogOn(connection),
    archive: createReportArchiveOn(connection),
    linkage: createLinkageStoreOn(connection),
    migrate: () => store.migrate(),
    close,
  };
}

/** Connects to ClickHouse for an indicator store alone; `close` closes the connection. */
export async function createClickHouseIndicatorStore(
  options: ClickHouseStoreOptions,
): Promise<ClickHouseIndicatorStore> {
  const connection = await openMigrated(options);
  return createIndicatorStoreOn(connection, () => connection.close(), options.logger, options.certifyRows);
}
