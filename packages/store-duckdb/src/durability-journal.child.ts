// Child process of durability-journal.test.ts: the write-behind ledger on a file journal, until the parent kills it
// with SIGKILL. `writes`: submissions eight at a time, applied as they come (no apply delay), saying `kept N` once
// submission N is acknowledged, so the kill lands among journal appends and background applies. `apply`: N
// submissions acknowledged with the apply held back, then applied in batches of 20, saying `released P` once the
// first batch is committed and then waiting for the kill, so it lands inside the applies of the rest.
import type { SubmissionEntry } from '@mosy/core';
import { openFileJournal } from '@mosy/bus-memory';
import { submissionEntry } from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';

const [path, journalDir, mode] = process.argv.slice(2);
if (path === undefined || journalDir === undefined || (mode !== 'writes' && mode !== 'apply'))
  throw new Error('usage: durability-journal.child.ts <database path> <journal folder> writes|apply');

/** Submission n accepts record r(n mod 50) at version n + 1, so versions of a record rise with n. */
const entryOf = (n: number): SubmissionEntry =>
  submissionEntry({
    providerId: 'prov-a',
    submissionId: `s${n}`,
    receivedAt: n,
    records: [{ recordId: `r${n % 50}`, version: n + 1 }],
    quality: [{ providerId: 'prov-a', kind: 'unmapped', field: 'sex', value: 'X', count: 1 }],
  });

const file = await openFileJournal<SubmissionEntry>({ dir: journalDir });
const journal = {
  get start() {
    return file.start;
  },
  get end() {
    return file.end;
  },
  append: (entries: readonly SubmissionEntry[]) => file.append(entries),
  read: (position: number, max: number) => file.read(position, max),
  async release(position: number) {
    process.stdout.write(`released ${position}\n`);
    await file.release(position);
    // `apply` (whose only applies are the backlog's): the first batch is committed and released; the rest waits
    // here for the kill, which so always lands with part of the backlog applied and part not (the interval keeps
    // the process alive meanwhile).
    if (mode === 'apply') {
      setInterval(() => undefined, 60_000);
      await new Promise<never>(() => undefined);
    }
  },
};
const { ledger } = await createDuckDbStores(
  mode === 'writes'
    ? { path, ledgerJournal: { journal, applyDelayMs: 0 } }
    : { path, ledgerJournal: { journal, applyDelayMs: 3_600_000, maxBatch: 20 } },
);
if (mode === 'writes') {
  for (let n = 0; ; n += 8) {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ledger.recordSubmission(entryOf(n + i)).then(() => process.stdout.write(`kept ${n + i}\n`)),
      ),
    );
  }
} else {
  const total = 3000;
  for (let n = 0; n < total; n += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, i) => ledger.recordSubmission(entryOf(n + i))));
  }
  process.stdout.write(`acknowledged ${total}\n`);
  // Waits for every acknowledged entry to be applied: the applies start now.
  await ledger.quality();
  process.stdout.write('all applied\n');
}
