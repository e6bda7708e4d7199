// The intake ledger's own file: a store file from before it (ledger tables and audit log inside) has them moved out
// on open, once, with nothing counted twice when the move was stopped between its copy and its drop; audit entries
// are written to the ledger file alone; a store file whose ledger file is lost does not open.
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS, readMigrations, text } from '@mosy/sql';
import { DuckDbDatabase, ledgerPathOf } from './database.js';
import { createDuckDbStores } from './duckdb-stores.js';
import {
  AUDIT_MOVE,
  LEDGER_MIGRATIONS,
  LEDGER_MOVE,
  LEDGER_TABLES,
  copyFromStore,
} from './ledger-migrations.js';
import { applyMigrations, migrate } from './migrations.js';

const walBytes = async (file: string): Promise<number> =>
  (await stat(`${file}.wal`).catch(() => undefined))?.size ?? 0;

/** Two audit entries of one millisecond, as a store file from before its audit log moved holds them. */
const OLD_AUDIT_VALUES =
  "(100, 'k1', 'coordinator', 'read-unprotected', '/v1/a', 'protection=none'), " +
  "(100, 'k2', 'coordinator', 'read-unprotected', '/v1/b', 'protection=none')";
const auditEntry = (at: number, keyId: string, resource: string) => ({
  at,
  keyId,
  role: 'coordinator',
  action: 'read-unprotected',
  resource,
  query: 'protection=none',
});

describe('the intake ledger in its own file', () => {
  let folder: string;
  let path: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mosy-ledger-file-'));
    path = join(folder, 'mosy.duckdb');
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** A store file as this code's predecessor left it: the ledger's tables inside, with one submission's rows. */
  async function storeFileFromBefore(): Promise<void> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await migrate(connection);
    await connection.run("INSERT INTO accepted_versions VALUES ('ngo-1', 'r1', 2), ('ngo-1', 'r2', 1)");
    await connection.run(
      `INSERT INTO submission_receipts VALUES ('ngo-1', 's1', 100, '{"submissionId":"s1","providerId":"ngo-1","receivedAt":100,"accepted":2,"duplicates":0,"rejected":0,"records":[]}')`,
    );
    await connection.run("INSERT INTO quality_counts VALUES ('ngo-1', 'unmapped', 'sex', 'X', 3, 100)");
    await connection.run("INSERT INTO dead_lettered_versions VALUES ('ngo-1', 'r2', 1)");
    await connection.run(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${OLD_AUDIT_VALUES}`);
    connection.disconnectSync();
    instance.closeSync();
  }

  /** The ledger's tables, the audit log and its sequence that the store file still has. */
  async function ledgerTablesInStoreFile(): Promise<string[]> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    try {
      const rows = (
        await connection.runAndReadAll(
          `SELECT table_name FROM duckdb_tables() WHERE database_name = 'mosy' AND table_name IN (${[...LEDGER_TABLES, 'audit_log'].map((t) => `'${t}'`).join(', ')})` +
            ` UNION ALL SELECT sequence_name FROM duckdb_sequences() WHERE database_name = 'mosy' AND sequence_name = 'audit_log_seq' ORDER BY ALL`,
        )
      ).getRowsJS();
      return rows.map((row) => text(row[0]));
    } finally {
      connection.disconnectSync();
      instance.closeSync();
    }
  }

  async function expectLedgerMovedOnce(): Promise<void> {
    const stores = await createDuckDbStores({ path });
    try {
      expect(new Map(await stores.ledger.acceptedVersions('ngo-1', ['r1', 'r2']))).toEqual(
        new Map([
          ['r1', 2],
          ['r2', 1],
        ]),
      );
      expect(await stores.ledger.getReceipt('ngo-1', 's1')).toMatchObject({
        submissionId: 's1',
        accepted: 2,
      });
      expect(await stores.ledger.quality('ngo-1')).toEqual([
        { providerId: 'ngo-1', kind: 'unmapped', field: 'sex', value: 'X', count: 3, lastSeen: 100 },
      ]);
      // r1's version 2 is not in the store, r2's version 1 was dead-lettered.
      expect(await stores.ledger.backlog?.(['ngo-1'])).toEqual([{ providerId: 'ngo-1', pending: 1 }]);
      // Newest first; of one millisecond, the last recorded first.
      expect(await stores.audit.list()).toEqual([
        auditEntry(100, 'k2', '/v1/b'),
        auditEntry(100, 'k1', '/v1/a'),
      ]);
    } finally {
      await stores.close();
    }
    expect(existsSync(ledgerPathOf(path))).toBe(true);
    expect(await ledgerTablesInStoreFile()).toEqual([]);
  }

  it('moves the ledger out of a store file made before it had a file of its own, once', async () => {
    await storeFileFromBefore();
    await expectLedgerMovedOnce();
    // Opened again: nothing left to move, nothing moved twice.
    await expectLedgerMovedOnce();
  });

  it('only drops, on the next start, when the move was stopped after its copy', async () => {
    await storeFileFromBefore();
    // The first half of a move, as a start killed before the drop left it: copied and marked, not dropped.
    const database = await DuckDbDatabase.open({ path, ledgerPath: ledgerPathOf(path) });
    const files = await readMigrations(new URL('../migrations/ledger/', import.meta.url), LEDGER_MIGRATIONS);
    await database.writeLedger((connection) => applyMigrations(connection, files));
    await database.writeLedger((connection) => copyFromStore(connection, database.storeCatalog, LEDGER_MOVE));
    await database.writeLedger((connection) => copyFromStore(connection, database.storeCatalog, AUDIT_MOVE));
    await database.close();
    expect(await ledgerTablesInStoreFile()).toEqual([...LEDGER_TABLES, 'audit_log', 'audit_log_seq'].sort());
    await expectLedgerMovedOnce();
  });

  it('moves the audit log out of a store file whose ledger had moved before it, and numbers on after it', async () => {
    // A data folder of the release before: the ledger in its file, the audit log still in the store file.
    await storeFileFromBefore();
    const database = await DuckDbDatabase.open({ path, ledgerPath: ledgerPathOf(path) });
    const files = await readMigrations(
      new URL('../migrations/ledger/', import.meta.url),
      LEDGER_MIGRATIONS.filter((m) => m.version <= 3),
    );
    await database.writeLedger((connection) => applyMigrations(connection, files));
    await database.writeLedger((connection) => copyFromStore(connection, database.storeCatalog, LEDGER_MOVE));
    await database.write(async (connection) => {
      for (const table of LEDGER_TABLES) await connection.run(`DROP TABLE ${table}`);
    });
    await database.close();
    expect(await ledgerTablesInStoreFile()).toEqual(['audit_log', 'audit_log_seq']);
    await expectLedgerMovedOnce();
    const stores = await createDuckDbStores({ path });
    try {
      // In the same millisecond as the moved entries, and listed before them: numbered after them.
      await stores.audit.record(auditEntry(100, 'k3', '/v1/c'));
      expect((await stores.audit.list()).map((entry) => entry.keyId)).toEqual(['k3', 'k2', 'k1']);
    } finally {
      await stores.close();
    }
  });

  it("keeps a new database's ledger in the ledger file alone", async () => {
    const stores = await createDuckDbStores({ path });
    await stores.ledger.recordQuality(
      [{ providerId: 'ngo-1', kind: 'unmapped', field: 'sex', value: 'X', count: 1 }],
      5,
    );
    await stores.close();
    expect(await ledgerTablesInStoreFile()).toEqual([]);
    const reopened = await createDuckDbStores({ path });
    try {
      expect((await reopened.ledger.quality())[0]?.count).toBe(1);
    } finally {
      await reopened.close();
    }
  });

  it("writes audit entries to the ledger's file, none to the store's, whose checkpoints would hold them", async () => {
    const stores = await createDuckDbStores({ path });
    // Closing checkpoints both files: no WAL left.
    await stores.close();
    const reopened = await createDuckDbStores({ path });
    try {
      await reopened.audit.record(auditEntry(7, 'k1', '/v1/a'));
      expect(await walBytes(path)).toBe(0);
      expect(await walBytes(ledgerPathOf(path))).toBeGreaterThan(0);
      expect(await reopened.audit.list()).toEqual([auditEntry(7, 'k1', '/v1/a')]);
    } finally {
      await reopened.close();
    }
  });

  it('refuses to start when the ledger file is lost beside a store file that had one, and starts once it is back', async () => {
    const stores = await createDuckDbStores({ path });
    await stores.ledger.recordQuality(
      [{ providerId: 'ngo-1', kind: 'unmapped', field: 'sex', value: 'X', count: 1 }],
      5,
    );
    await stores.close();
    const ledger = ledgerPathOf(path);
    await rename(ledger, `${ledger}.backup`);
    const refused = createDuckDbStores({ path });
    await expect(refused).rejects.toMatchObject({ code: 'unavailable' });
    await expect(refused).rejects.toThrow(`The intake ledger file ${ledger} is missing`);
    await expect(refused).rejects.toThrow(
      'Restore the ledger file and the ledger-journal/ folder from the backup',
    );
    // Nothing was created in its place: the next start refuses as well.
    expect(existsSync(ledger)).toBe(false);
    await expect(createDuckDbStores({ path })).rejects.toMatchObject({ code: 'unavailable' });
    await rename(`${ledger}.backup`, ledger);
    const restored = await createDuckDbStores({ path });
    try {
      expect((await restored.ledger.quality())[0]?.count).toBe(1);
    } finally {
      await restored.close();
    }
  });
});
