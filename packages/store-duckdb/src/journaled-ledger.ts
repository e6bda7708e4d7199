/**
 * The write-behind intake ledger of the embedded runtime. A submission's 202 waits for its ledger entry to be
 * durable; a DuckDB transaction costs about 10 ms of CPU plus its fsyncs, while an append to a journal file costs one
 * group-committed fdatasync (a fraction of a millisecond). So `recordSubmission` appends the entry to the journal
 * and answers; an in-memory overlay (ledger-overlay.ts) makes what it acknowledged visible at once to the reads a
 * submission depends on (`acceptedVersions`, `getReceipt`), and the entries are applied to the DuckDB ledger in the
 * background, in batches, each batch in one transaction that also records the journal position it reached. A crash
 * at any point replays the journal from that position on the next start, before the ledger is used: every entry is
 * applied exactly once (quality counts are sums and never double; versions only rise; receipts replace).
 *
 * A filter of every key with an accepted version (key-filter.ts) spares `acceptedVersions` the database read for
 * records never accepted, most of those submitted.
 *
 * The other reads (quality, activity, backlog) and `markDeadLettered` (which reads accepted versions) first wait
 * until everything acknowledged before them is applied. `recordQuality` goes straight to DuckDB: sums commute, and
 * it is its own commit.
 */
import type { IntakeLedger, StoreLogger, SubmissionEntry } from '@mosy/core';
import { MosyError } from '@mosy/core';
import type { DuckDbDatabase } from './database.js';
import {
  acceptedKeyCount,
  createIntakeLedgerOn,
  forEachAcceptedKey,
  journalPositionOf,
  recordJournalStop,
  takeJournalStop,
  writeSubmissions,
} from './intake-ledger.js';
import { KeyFilter } from './key-filter.js';
import { LedgerOverlay } from './ledger-overlay.js';

/** The journal the entries go to first (`openFileJournal` of @mosy/bus-memory is one). */
export interface SubmissionJournal {
  /** The position of the first entry still held. */
  readonly start: number;
  /** The position the next entry will get. */
  readonly end: number;
  /** Resolves once the entries are durable, with the position of the first. */
  append(entries: readonly SubmissionEntry[]): Promise<number>;
  /** Up to `max` entries from `position`. */
  read(position: number, max: number): Promise<readonly SubmissionEntry[]>;
  /** The entries before `position` are durably applied and may be deleted. */
  release(position: number): Promise<void>;
}

export interface JournaledLedgerOptions {
  readonly journal: SubmissionJournal;
  /**
   * How long acknowledged entries wait for more before a background apply, unless a read needs them: one DuckDB
   * transaction then applies many small submissions, instead of costing ~10 ms of CPU each beside the requests.
   * @defaultValue 100
   */
  readonly applyDelayMs?: number;
  /** Entries applied in one transaction, at most. @defaultValue 1000 */
  readonly maxBatch?: number;
  /** Told when a background apply failed (it is retried). */
  readonly logger: StoreLogger;
}

export interface JournaledLedger extends IntakeLedger {
  /** Applies everything acknowledged and stops applying; later submissions are refused. */
  stop(): Promise<void>;
}

const RETRY_MAX_MS = 5000;
/**
 * Back-pressure: once this many background applies in a row have failed, or this many acknowledged entries wait
 * to be applied, submissions are refused (`unavailable`, a 503 the sender retries) until an apply succeeds, rather
 * than acknowledged into an overlay and a journal that would grow without bound.
 */
const REFUSE_AFTER_FAILURES = 3;
const MAX_UNAPPLIED = 100_000;
/** The key filter's first capacity: its least, and its headroom over the keys stored at start (it grows past it). */
const MIN_FILTER_KEYS = 1_000_000;
const FILTER_HEADROOM = 2;

/**
 * The write-behind ledger over an open, migrated database. Applies what the journal holds past the ledger's
 * recorded position before it resolves, so the ledger is complete before anything is served.
 */
export async function createJournaledLedgerOn(
  database: DuckDbDatabase,
  { journal, applyDelayMs = 100, maxBatch = 1000, logger }: JournaledLedgerOptions,
): Promise<JournaledLedger> {
  const ledger = createIntakeLedgerOn(database);
  const overlay = new LedgerOverlay();
  let applied = await journalPositionOf(database);
  // A journal found empty at another position than the ledger's (its folder lost, or made anew) is taken only when
  // the ledger was stopped cleanly at that position: then nothing acknowledged can have been left unapplied.
  const emptyElsewhere = journal.start === journal.end && applied !== journal.end;
  const stoppedAt = await takeJournalStop(database, (at) =>
    emptyElsewhere && at === applied ? journal.end : undefined,
  );
  if (emptyElsewhere && stoppedAt === applied) applied = journal.end;
  if (applied < journal.start || applied > journal.end)
    throw new MosyError(
      'unavailable',
      `The intake ledger was saved up to its journal's entry ${applied}, but the journal (the data folder's ` +
        `ledger-journal/) holds entries ${journal.start} to ${journal.end}: the journal folder was lost, replaced or ` +
        'restored apart from the ledger file, and submissions it held may not be in the ledger, so MoSy does not ' +
        'start. Restore the data folder (both database files and ledger-journal/) from one backup taken with MoSy ' +
        'stopped; to start afresh instead, move all three out of the data folder.',
    );
  /** Entries acknowledged (durable and in the overlay) end here; the applier goes no further. */
  let acknowledged = journal.end;
  let timer: NodeJS.Timeout | undefined;
  let applying: Promise<void> | undefined;
  let failures = 0;
  /** Journal appends under way: a clean stop is recorded only when none is (see `recordJournalStop`). */
  let appending = 0;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  /** Callers waiting for the entries before a position to be applied. */
  const waiting: {
    readonly position: number;
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
  }[] = [];

  /** Applies batches until everything acknowledged is applied; one at a time. */
  async function applyAll(): Promise<void> {
    // A failed apply may have committed before it failed (its commit's answer lost): the ledger's own record of
    // its position says what it holds, so nothing is applied twice.
    if (failures > 0) advanceTo(await journalPositionOf(database));
    while (applied < acknowledged) {
      const entries = await journal.read(applied, Math.min(maxBatch, acknowledged - applied));
      if (entries.length === 0)
        throw new MosyError('internal', `the ledger journal has no entry at position ${applied}`);
      const next = applied + entries.length;
      await database.writeLedger((connection) => writeSubmissions(connection, entries, next));
      // Before the waiters are told: what they do next (a submission) must find the ledger taking them again.
      failures = 0;
      advanceTo(next);
      await journal.release(next);
    }
  }

  /** The entries before `position` are applied to the ledger's tables. */
  function advanceTo(position: number): void {
    if (position <= applied) return;
    applied = position;
    overlay.appliedUpTo(position);
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i]!.position <= applied) waiting.splice(i, 1)[0]!.resolve();
    }
  }

  /** Starts applying now (or after `delayMs`) unless an apply is running or scheduled; retries after failures. */
  function schedule(delayMs: number): void {
    // After `stop`, its own last apply is the only one: two at once would apply the same entries twice.
    if (stopped) return;
    if (applying !== undefined || (timer !== undefined && delayMs > 0)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      applying = applyAll().then(
        () => {
          failures = 0;
        },
        (error: unknown) => {
          failures++;
          logger.warn(
            { err: String(error), failures },
            'the intake ledger could not apply its journal; retrying',
          );
          // A read waiting for the apply fails as a read of the database would; the entries stay in the journal.
          for (const w of waiting.splice(0)) w.reject(error);
        },
      );
      void applying.finally(() => {
        applying = undefined;
        if (applied >= acknowledged || stopped) return;
        if (failures > 0) schedule(Math.min(RETRY_MAX_MS, 100 * 2 ** (failures - 1)));
        else schedule(waiting.length > 0 ? 0 : applyDelayMs);
      });
    }, delayMs);
    // A pending apply must not keep a process alive that has nothing else to do (`stop` applies what is left), but
    // one that somebody waits for must (`flushed`).
    if (waiting.length === 0) timer.unref();
  }

  /** Resolves once everything acknowledged now is applied. */
  function flushed(): Promise<void> {
    if (applied >= acknowledged) return Promise.resolve();
    // After `stop` nothing applies any more: a waiter would wait for ever.
    if (stopped) return Promise.reject(new MosyError('unavailable', 'the intake ledger is closed'));
    const position = acknowledged;
    return new Promise((resolve, reject) => {
      waiting.push({ position, resolve, reject });
      if (failures === 0) schedule(0);
      else timer?.ref();
    });
  }

  // What a crash left in the journal, before anything reads the ledger.
  await applyAll();
  // Every key with an accepted version, so that records never accepted are known to be new without a read: those
  // stored now, then each one acknowledged (with the overlay, before anyone can ask).
  const filter = new KeyFilter(
    Math.max(MIN_FILTER_KEYS, FILTER_HEADROOM * (await acceptedKeyCount(database))),
  );
  await forEachAcceptedKey(database, (providerId, recordId) => filter.add(providerId, recordId));

  return {
    async acceptedVersions(providerId, recordIds) {
      // Taken before the read: an entry gone from the overlay by then was committed before the read began.
      const held = overlay.versions(providerId, recordIds);
      const known = recordIds.filter((recordId) => filter.mightHave(providerId, recordId));
      const stored = await ledger.acceptedVersions(providerId, known);
      if (held.size === 0) return stored;
      const merged = new Map(stored);
      for (const [recordId, version] of held)
        merged.set(recordId, Math.max(version, stored.get(recordId) ?? 0));
      return merged;
    },

    async recordSubmission(entry) {
      if (stopped) throw new MosyError('unavailable', 'the intake ledger is closed');
      if (failures >= REFUSE_AFTER_FAILURES || acknowledged - applied >= MAX_UNAPPLIED)
        throw new MosyError(
          'unavailable',
          failures >= REFUSE_AFTER_FAILURES
            ? `The intake ledger could not save submissions to its database (${failures} attempts in a row failed; see the server log), so this submission was not recorded: send it again later.`
            : `The intake ledger has ${acknowledged - applied} submissions still to save to its database, so this submission was not recorded: send it again in a moment.`,
        );
      appending++;
      let position: number;
      try {
        position = await journal.append([entry]);
      } finally {
        appending--;
      }
      overlay.add(position, entry);
      for (const { recordId } of entry.accepted) filter.add(entry.receipt.providerId, recordId);
      acknowledged = Math.max(acknowledged, position + 1);
      schedule(applyDelayMs);
    },

    async getReceipt(providerId, submissionId) {
      return overlay.receipt(providerId, submissionId) ?? ledger.getReceipt(providerId, submissionId);
    },

    recordQuality: (events, at) => ledger.recordQuality(events, at),

    async quality(providerId) {
      await flushed();
      return ledger.quality(providerId);
    },

    async activity() {
      await flushed();
      return ledger.activity();
    },

    async markDeadLettered(records) {
      await flushed();
      return ledger.markDeadLettered(records);
    },

    async backlog(providerIds) {
      await flushed();
      return ledger.backlog!(providerIds);
    },

    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        timer = undefined;
        await applying;
        try {
          await applyAll();
          // Nothing acknowledged is left unapplied, and nothing more will be: a journal folder lost from now on
          // loses nothing (an append still under way would make that untrue, so then nothing is recorded).
          if (appending === 0 && journal.end === applied) await recordJournalStop(database, applied);
        } catch (error) {
          // Nothing will apply the rest in this process: whoever waits for it is told (it stays in the journal).
          for (const w of waiting.splice(0)) w.reject(error);
          throw error;
        }
      })();
      return stopping;
    },
  };
}
