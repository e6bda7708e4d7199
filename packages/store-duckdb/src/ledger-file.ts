/**
 * The intake ledger's file must not silently start empty beside a store file that had one: the ledger holds the
 * accepted version of every record, so an empty ledger would take resent records for new ones and count them twice.
 * A store file had a ledger file once it has been migrated (every open migrates) and no longer holds the ledger's
 * tables itself (the one-time move of `ledger-migrations.ts` took them out): a store file from before the ledger
 * had a file of its own still holds them and may attach a new file, which the move then fills. The ledger file also
 * holds the audit log (ledger migration 004), another record that must not silently start empty.
 */
import { access } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MosyError } from '@mosy/core';

/** Whether the store file `connection` has open (its default database) had its ledger moved out. */
const LEDGER_MOVED_SQL =
  "SELECT count(*) FILTER (WHERE table_name = 'schema_migrations') > 0 " +
  "AND count(*) FILTER (WHERE table_name = 'accepted_versions') = 0 AS moved " +
  "FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'";

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Refuses, before the ledger file is attached (attaching a missing file creates it), a store file whose ledger
 * file is missing although it had one.
 * @throws MosyError `unavailable`, saying which file is missing and what to do.
 */
export async function assertLedgerFileKept(
  connection: DuckDBConnection,
  storePath: string,
  ledgerPath: string,
): Promise<void> {
  if (ledgerPath === ':memory:' || (await exists(ledgerPath))) return;
  const rows = (await connection.runAndReadAll(LEDGER_MOVED_SQL)).getRowObjectsJS();
  if (rows[0]?.moved !== true) return;
  throw new MosyError(
    'unavailable',
    `The intake ledger file ${ledgerPath} is missing, but the store file ${storePath} was used with one. ` +
      'Without it, records sent again would be accepted as new and counted twice, so MoSy does not start. ' +
      'Restore the ledger file and the ledger-journal/ folder from the backup taken with the store file (stop ' +
      'MoSy, copy them back beside the store file, start again); to start afresh instead, move both files and ' +
      'ledger-journal/ out of the data folder.',
  );
}
