// Durability of the write-behind ledger: a process killed with SIGKILL among journal appends and background applies,
// or inside the applies of a long backlog, leaves after restart exactly the acknowledged submissions (and perhaps
// some written but not yet acknowledged), each once: versions at least the acknowledged ones, a receipt for each, and
// quality counts (sums) equal to the receipts, never doubled by the replay. A second restart changes nothing.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileJournal } from '@mosy/bus-memory';
import type { SubmissionEntry } from '@mosy/core';
import { createDuckDbStores } from './duckdb-stores.js';
import { ledgerPathOf } from './database.js';

const CHILD = fileURLToPath(new URL('./durability-journal.child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the child until `kill(out)` says so, then SIGKILLs it; resolves with all it printed. */
function runUntil(args: readonly string[], kill: (out: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@mosy/source', '--import', 'tsx', CHILD, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killed && kill(out)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve(out);
      else reject(new Error(`child ended before the kill (${String(signal)}): ${out}\n${err}`));
    });
  });
}

const numbersAfter = (out: string, word: string): number[] =>
  [...out.matchAll(new RegExp(`^${word} (\\d+)$`, 'gm'))].map((m) => Number(m[1]));

/** The journal position recorded in the ledger file, read without replaying anything. */
async function recordedPosition(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(ledgerPathOf(path));
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll('SELECT position FROM journal_position')).getRowObjectsJS();
    return Number(rows[0]?.position ?? 0);
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}

/** Reopens the ledger (replaying the journal) and checks it against the acknowledged submissions. */
async function expectExactlyOnce(folder: string, acknowledged: readonly number[]): Promise<number> {
  const path = join(folder, 'mosy.duckdb');
  const journal = await openFileJournal<SubmissionEntry>({ dir: join(folder, 'journal') });
  const stores = await createDuckDbStores({ path, ledgerJournal: { journal } });
  try {
    const { ledger } = stores;
    const [activity] = await ledger.activity();
    const receipts = activity?.submissions ?? 0;
    // Written but not acknowledged may be there too (the kill came before its answer), but nothing acknowledged is
    // missing.
    expect(receipts).toBeGreaterThanOrEqual(acknowledged.length);
    // One quality count per submission: a replayed entry applied twice would count twice.
    expect(await ledger.quality('prov-a')).toMatchObject([{ count: receipts }]);
    for (const n of acknowledged) {
      expect(await ledger.getReceipt('prov-a', `s${n}`)).toMatchObject({
        submissionId: `s${n}`,
        receivedAt: n,
      });
    }
    const highest = new Map<string, number>();
    for (const n of acknowledged) highest.set(`r${n % 50}`, Math.max(highest.get(`r${n % 50}`) ?? 0, n + 1));
    const versions = await ledger.acceptedVersions('prov-a', [...highest.keys()]);
    for (const [recordId, version] of highest) expect(versions.get(recordId)).toBeGreaterThanOrEqual(version);
    return receipts;
  } finally {
    await stores.close();
    await journal.close();
  }
}

describe('write-behind ledger durability', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mosy-journal-durability-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps each acknowledged submission once when killed among journal appends and applies', async () => {
    // Killed once 100 submissions were acknowledged and a background apply had committed (the restart then replays
    // only what came after it). Both are waited for: on a loaded machine the first apply can take longer than 100
    // acknowledgements, and a kill at the 100th alone then found nothing applied (seen in CI).
    const out = await runUntil(
      [join(folder, 'mosy.duckdb'), join(folder, 'journal'), 'writes'],
      (o) => /^kept (\d{3,})$/m.test(o) && /^released \d+$/m.test(o),
    );
    const acknowledged = numbersAfter(out, 'kept');
    expect(acknowledged.length).toBeGreaterThanOrEqual(100);
    const receipts = await expectExactlyOnce(folder, acknowledged);
    expect(await expectExactlyOnce(folder, acknowledged)).toBe(receipts);
  }, 120_000);

  it('keeps each acknowledged submission once when killed inside the applies of a backlog', async () => {
    const path = join(folder, 'mosy.duckdb');
    const out = await runUntil([path, join(folder, 'journal'), 'apply'], (o) => /^released \d+$/m.test(o));
    expect(out).toContain('acknowledged 3000');
    // Killed while the child waited after the first batch of 20 was committed: 20 applied, the rest to replay.
    expect(numbersAfter(out, 'released')).toEqual([20]);
    expect(await recordedPosition(path)).toBe(20);
    const all = Array.from({ length: 3000 }, (_, n) => n);
    expect(await expectExactlyOnce(folder, all)).toBe(3000);
    expect(await expectExactlyOnce(folder, all)).toBe(3000);
  }, 120_000);
});
