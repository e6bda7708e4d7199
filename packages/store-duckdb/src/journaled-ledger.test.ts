// The write-behind ledger against the IntakeLedger contract, on a real file journal and an in-memory database; with
// the default apply delay, so the contract's reads right after a submission are answered by the overlay. Then what
// the port does not say: the applied position is recorded with each batch, so reopening replays nothing twice.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { openFileJournal, type FileJournal } from '@mosy/bus-memory';
import { MosyError, type StoreLogger, type SubmissionEntry } from '@mosy/core';
import { runIntakeLedgerContract, runProviderBacklogContract, submissionEntry } from '@mosy/testkit';
import { DuckDbDatabase, ledgerPathOf } from './database.js';
import { createDuckDbStores } from './duckdb-stores.js';

const folders: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
});

async function open(path = ':memory:', folder?: string, applyDelayMs?: number, logger?: StoreLogger) {
  const dir = folder ?? (await mkdtemp(join(tmpdir(), 'mosy-journal-')));
  if (folder === undefined) folders.push(dir);
  const journal = await openFileJournal<SubmissionEntry>({ dir: join(dir, 'journal') });
  const stores = await createDuckDbStores({
    path,
    readers: 1,
    config: { threads: '1' },
    ...(logger === undefined ? {} : { logger }),
    ledgerJournal: { journal, ...(applyDelayMs === undefined ? {} : { applyDelayMs }) },
  });
  return {
    ...stores,
    journal,
    close: async () => {
      await stores.close();
      await journal.close();
    },
  };
}

runIntakeLedgerContract({ create: () => open() });
runProviderBacklogContract({ create: () => open() });

const entry = (n: number, version = 1): SubmissionEntry =>
  submissionEntry({
    providerId: 'ngo-1',
    submissionId: `s${n}`,
    receivedAt: 1_767_225_600_000 + n,
    records: [{ recordId: `r${n}`, version }],
    quality: [{ providerId: 'ngo-1', kind: 'unmapped', field: 'sex', value: 'X', count: 1 }],
  });

describe('write-behind ledger', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mosy-journal-'));
    folders.push(folder);
  });

  it('records the applied position with each batch, so a reopened ledger applies nothing twice', async () => {
    const path = join(folder, 'mosy.duckdb');
    const first = await open(path, folder);
    await Promise.all(Array.from({ length: 30 }, (_, n) => first.ledger.recordSubmission(entry(n))));
    // Applied in the background, with the position: quality waits for that.
    expect(await first.ledger.quality('ngo-1')).toMatchObject([{ count: 30 }]);
    const journal: FileJournal<SubmissionEntry> = first.journal;
    expect(journal.end).toBe(30);
    await first.close();

    const second = await open(path, folder);
    try {
      expect(await second.ledger.quality('ngo-1')).toMatchObject([{ count: 30 }]);
      expect((await second.ledger.activity())[0]).toMatchObject({ submissions: 30 });
      // Known from the stored keys read at start (the key filter), not only from what this process acknowledged.
      expect(await second.ledger.acceptedVersions('ngo-1', ['r0', 'r29', 'r30'])).toEqual(
        new Map([
          ['r0', 1],
          ['r29', 1],
        ]),
      );
    } finally {
      await second.close();
    }
  });

  it('starts on a lost journal folder only after a clean stop, when nothing acknowledged can be missing', async () => {
    const path = join(folder, 'mosy.duckdb');
    const first = await open(path, folder);
    await Promise.all(Array.from({ length: 5 }, (_, n) => first.ledger.recordSubmission(entry(n))));
    await first.close();
    await rm(join(folder, 'journal'), { recursive: true });

    const second = await open(path, folder);
    try {
      expect(second.journal.end).toBe(0);
      expect(await second.ledger.quality('ngo-1')).toMatchObject([{ count: 5 }]);
      await second.ledger.recordSubmission(entry(5));
      expect(await second.ledger.quality('ngo-1')).toMatchObject([{ count: 6 }]);
    } finally {
      await second.close();
    }
    // The new journal's positions are the ledger's from then on: a restart replays nothing twice.
    const third = await open(path, folder);
    try {
      expect(await third.ledger.quality('ngo-1')).toMatchObject([{ count: 6 }]);
    } finally {
      await third.close();
    }
  });

  it('refuses, saying what to restore, a lost journal folder after a stop that was not clean', async () => {
    const path = join(folder, 'mosy.duckdb');
    const first = await open(path, folder);
    await Promise.all(Array.from({ length: 5 }, (_, n) => first.ledger.recordSubmission(entry(n))));
    await first.close();
    // As a kill leaves it: the last start took the clean-stop mark and nothing wrote it again.
    const instance = await DuckDBInstance.create(ledgerPathOf(path));
    const connection = await instance.connect();
    await connection.run('DELETE FROM journal_stop');
    connection.disconnectSync();
    instance.closeSync();
    await rm(join(folder, 'journal'), { recursive: true });

    await expect(open(path, folder)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(
        /entry 5.*holds entries 0 to 0.*ledger-journal\/.*from one backup/,
      ) as unknown,
    });
  });

  it('answers versions acknowledged in this process once they are applied and gone from the overlay', async () => {
    const stores = await open(':memory:', folder, 0);
    try {
      await stores.ledger.recordSubmission(entry(1, 2));
      // Waits for the apply, after which only the tables (behind the key filter) can answer.
      await stores.ledger.quality();
      expect(await stores.ledger.acceptedVersions('ngo-1', ['r1'])).toEqual(new Map([['r1', 2]]));
    } finally {
      await stores.close();
    }
  });

  /** A logger that keeps the warnings (one per failed background apply). */
  const warnings = () => {
    const warned: unknown[] = [];
    const logger: StoreLogger = { warn: (fields) => warned.push(fields) };
    return { warned, logger };
  };

  it('applies again after an apply whose commit landed but was reported failed, counting nothing twice', async () => {
    const { warned, logger } = warnings();
    const stores = await open(':memory:', folder, 0, logger);
    try {
      // The next ledger write (the background apply) commits (this inner call is the original's: the once-only
      // implementation is used up), then fails as if its commit's answer were lost.
      vi.spyOn(DuckDbDatabase.prototype, 'writeLedger').mockImplementationOnce(async function (
        this: DuckDbDatabase,
        task,
      ) {
        await this.writeLedger(task);
        throw new MosyError('unavailable', 'DuckDB: IO Error: lost answer');
      });
      await stores.ledger.recordSubmission(entry(1));
      await stores.ledger.recordSubmission(entry(2));
      await vi.waitFor(() => expect(warned).toHaveLength(1), { timeout: 30_000 });
      // Waits for the retry, which finds the batch already recorded and applies only what came after it.
      await stores.ledger.quality();
      expect(warned).toHaveLength(1);
      expect(await stores.ledger.quality('ngo-1')).toMatchObject([{ count: 2 }]);
      expect((await stores.ledger.activity())[0]).toMatchObject({ submissions: 2 });
      await stores.ledger.recordSubmission(entry(3));
      expect(await stores.ledger.quality('ngo-1')).toMatchObject([{ count: 3 }]);
    } finally {
      await stores.close();
    }
  });

  it('refuses submissions as unavailable while applies keep failing, and takes them again once one succeeds', async () => {
    const { warned, logger } = warnings();
    const stores = await open(':memory:', folder, 0, logger);
    try {
      const failing = vi
        .spyOn(DuckDbDatabase.prototype, 'writeLedger')
        .mockRejectedValue(new MosyError('unavailable', 'DuckDB: IO Error: disk gone'));
      await stores.ledger.recordSubmission(entry(1));
      // Three failed applies in a row (retried after 100, then 200 ms).
      await vi.waitFor(() => expect(warned.length).toBeGreaterThanOrEqual(3), { timeout: 30_000 });
      await expect(stores.ledger.recordSubmission(entry(2))).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/could not save submissions.*send it again later/) as unknown,
      });
      failing.mockRestore();
      // The next retry succeeds: entry 1 is applied once, and submissions are taken again.
      await vi.waitFor(() => expect(stores.ledger.quality('ngo-1')).resolves.toMatchObject([{ count: 1 }]), {
        timeout: 30_000,
      });
      await stores.ledger.recordSubmission(entry(3));
      expect(await stores.ledger.quality('ngo-1')).toMatchObject([{ count: 2 }]);
      expect(await stores.ledger.getReceipt('ngo-1', 's2')).toBeUndefined();
    } finally {
      await stores.close();
    }
  });

  it('refuses a read that would wait for applies once stopped, instead of waiting for ever', async () => {
    const stores = await open(':memory:', folder, 60_000);
    await stores.ledger.recordSubmission(entry(1));
    // The stop's last apply fails: the entry stays in the journal, and nothing in this process will apply it.
    vi.spyOn(DuckDbDatabase.prototype, 'writeLedger').mockRejectedValue(
      new MosyError('unavailable', 'DuckDB: IO Error: disk gone'),
    );
    await expect(stores.store.close()).rejects.toMatchObject({ code: 'unavailable' });
    await stores.journal.close();
    await expect(stores.ledger.quality('ngo-1')).rejects.toMatchObject({
      code: 'unavailable',
      message: 'the intake ledger is closed',
    });
    await expect(stores.ledger.recordSubmission(entry(2))).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('answers acknowledged versions and receipts before they are applied', async () => {
    // An apply delay longer than the test: only the overlay can answer.
    const stores = await open(':memory:', folder, 60_000);
    try {
      await stores.ledger.recordSubmission(entry(1, 3));
      expect(await stores.ledger.acceptedVersions('ngo-1', ['r1', 'r2'])).toEqual(new Map([['r1', 3]]));
      expect(await stores.ledger.getReceipt('ngo-1', 's1')).toEqual(entry(1, 3).receipt);
    } finally {
      await stores.close();
    }
  });
});
