// The intake ledger's own file: a store file from before it (ledger tables inside) has them moved out on open, once,
// with nothing counted twice when the move was stopped between its copy and its drop; a store file whose ledger file
// is lost does not open.
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMigrations, text } from '@mosy/sql';
import { DuckDbDatabase, ledgerPathOf } from './database.js';
import { createDuckDbStores } from './duckdb-stores.js';
import { LEDGER_MIGRATIONS, LEDGER_TABLES, copyLedgerTables } from './ledger-migrations.js';
import { applyMigrations, migrate } from './migrations.js';

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
    connection.disconnectSync();
    instance.closeSync();
  }

  /** The ledger's tables the store file still has. */
  async function ledgerTablesInStoreFile(): Promise<string[]> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    try {
      const rows = (
        await connection.runAndReadAll(
          `SELECT table_name FROM duckdb_tables() WHERE database_name = 'mosy' AND table_name IN (${LEDGER_TABLES.map((t) => `'${t}'`).join(', ')}) ORDER BY ALL`,
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
    await database.writeLedger((connection) => copyLedgerTables(connection, database.storeCatalog));
    await database.close();
    expect(await ledgerTablesInStoreFile()).toEqual([...LEDGER_TABLES].sort());
    await expectLedgerMovedOnce();
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
