/**
 * The DuckDB `IntakeLedger`: accepted versions per record (only ever raised), submission receipts as JSON text, and
 * data-quality counts summed per (provider, kind, field, value). Values are bound parameters; many records go in
 * one statement as bound lists, reduced first to one row per key because an upsert may touch a row only once.
 *
 * Group commit: a submission's ledger write is what its 202 waits for, and each DuckDB commit costs a WAL fsync, so
 * the submissions whose writes arrive while the ledger's connection is busy are written together, in one
 * transaction with one statement per table, and all answered by its one commit. Nothing is answered before the
 * commit that holds it, so a 202 still means durably kept. Should a group's transaction fail, each of its
 * submissions is written again alone, so one submission's failure is never another's.
 *
 * The tables are in the ledger's own database file, attached as `intake_ledger` (`LEDGER_CATALOG`): a commit there
 * fsyncs the ledger's small WAL alone and never waits for a checkpoint of the store file.
 *
 * The embedded runtime (services/standalone) uses the write-behind ledger over these tables (journaled-ledger.ts),
 * whose `recordSubmission` appends to a file journal instead. This group-commit `recordSubmission` stays as the
 * ledger a `createDuckDbStores` without `ledgerJournal` hands out: a complete `IntakeLedger` on its own, with no
 * journal folder to manage, which the report API's tests, the durability children and the benches open over an
 * in-memory or scratch database, and which the contract suite holds to the same rules as the write-behind one.
 */
import { LIST, BIGINT, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import {
  MosyError,
  type IntakeLedger,
  type QualityEvent,
  type SubmissionEntry,
  type SubmissionReceipt,
} from '@mosy/core';
import { integer, text, toQualityCount, toReceipt } from '@mosy/sql';
import { inTransaction, toStoreError, type DuckDbDatabase } from './database.js';

/** A ledger over an open database (the caller runs the migrations). */
export function createIntakeLedgerOn(database: DuckDbDatabase): IntakeLedger {
  if (!database.hasLedger)
    throw new MosyError('internal', 'the DuckDB database was opened without a ledger file');
  const waiting: Waiting[] = [];

  /** Writes every submission waiting now, in one transaction: a task of the ledger's connection. */
  async function writeWaiting(connection: DuckDBConnection): Promise<void> {
    const group = waiting.splice(0);
    // An earlier task took this call's submission into its group.
    if (group.length === 0) return;
    try {
      await writeSubmissions(
        connection,
        group.map((w) => w.submission),
      );
      for (const w of group) w.resolve();
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(toStoreError(error));
      for (const w of group) {
        await writeSubmissions(connection, [w.submission]).then(w.resolve, (alone: unknown) =>
          w.reject(toStoreError(alone)),
        );
      }
    }
  }

  return {
    acceptedVersions(providerId, recordIds) {
      if (recordIds.length === 0) return Promise.resolve(new Map<string, number>());
      return database.read(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT record_id, version FROM intake_ledger.accepted_versions
             WHERE provider_id = $1 AND record_id IN (SELECT unnest($2))`,
            [providerId, listValue([...new Set(recordIds)])],
            [VARCHAR, LIST(VARCHAR)],
          )
        ).getRowObjectsJS();
        return new Map(rows.map((row) => [text(row.record_id), integer(row.version)]));
      });
    },

    recordSubmission(submission) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ submission, resolve, reject });
        // The connection refused the task (closed): nothing of what waits will be written.
        database.writeLedger(writeWaiting).catch((error: unknown) => {
          for (const w of waiting.splice(0)) w.reject(toStoreError(error));
        });
      });
    },

    getReceipt(providerId, submissionId) {
      return database.read(async (connection) => {
        const [row] = (
          await connection.runAndReadAll(
            'SELECT receipt FROM intake_ledger.submission_receipts WHERE provider_id = $1 AND submission_id = $2',
            [providerId, submissionId],
          )
        ).getRowObjectsJS();
        return row === undefined ? undefined : toReceipt(row);
      });
    },

    recordQuality(events, at) {
      const sums = qualitySums(events.map((event) => ({ event, at })));
      if (sums.length === 0) return Promise.resolve();
      return database.writeLedger((connection) => addQuality(connection, sums));
    },

    quality(providerId) {
      return database.read(async (connection) => {
        const reader =
          providerId === undefined
            ? await connection.runAndReadAll('SELECT * FROM intake_ledger.quality_counts ORDER BY ALL')
            : await connection.runAndReadAll(
                'SELECT * FROM intake_ledger.quality_counts WHERE provider_id = $1 ORDER BY ALL',
                [providerId],
              );
        return reader.getRowObjectsJS().map(toQualityCount);
      });
    },

    activity() {
      return database.read(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT provider_id, count(*) AS submissions, max(received_at) AS last_at
             FROM intake_ledger.submission_receipts GROUP BY provider_id ORDER BY provider_id`,
          )
        ).getRowObjectsJS();
        return rows.map((row) => ({
          providerId: text(row.provider_id),
          submissions: integer(row.submissions),
          lastSubmittedAt: integer(row.last_at),
        }));
      });
    },

    markDeadLettered(records) {
      if (records.length === 0) return Promise.resolve();
      // One row per record (an upsert may touch a row only once), a version of 0 read from the accepted versions.
      return database.writeLedger(async (connection) => {
        await connection.run(
          `INSERT INTO intake_ledger.dead_lettered_versions
           SELECT provider_id, record_id, version FROM (
             SELECT k.provider_id, k.record_id,
                    max(CASE WHEN k.version = 0 THEN coalesce(a.version, 0) ELSE k.version END) AS version
             FROM (SELECT unnest($1) AS provider_id, unnest($2) AS record_id, unnest($3) AS version) k
             LEFT JOIN intake_ledger.accepted_versions a USING (provider_id, record_id)
             GROUP BY k.provider_id, k.record_id
           ) WHERE version > 0
           ON CONFLICT (provider_id, record_id) DO UPDATE SET version = excluded.version
           WHERE excluded.version > dead_lettered_versions.version`,
          [
            listValue(records.map((r) => r.providerId)),
            listValue(records.map((r) => r.recordId)),
            listValue(records.map((r) => BigInt(r.version))),
          ],
          [LIST(VARCHAR), LIST(VARCHAR), LIST(BIGINT)],
        );
      });
    },

    backlog(providerIds) {
      const ids = [...new Set(providerIds)].sort();
      if (ids.length === 0) return Promise.resolve([]);
      return database.read(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT a.provider_id, count(*) AS pending
             FROM intake_ledger.accepted_versions a
             LEFT JOIN records_current c USING (provider_id, record_id)
             LEFT JOIN intake_ledger.dead_lettered_versions d USING (provider_id, record_id)
             WHERE a.provider_id IN (SELECT unnest($1))
               AND a.version > coalesce(c.version, 0) AND a.version > coalesce(d.version, 0)
             GROUP BY a.provider_id`,
            [listValue(ids)],
            [LIST(VARCHAR)],
          )
        ).getRowObjectsJS();
        const pending = new Map(rows.map((row) => [text(row.provider_id), integer(row.pending)]));
        return ids.map((providerId) => ({ providerId, pending: pending.get(providerId) ?? 0 }));
      });
    },
  };
}

/** A submission waiting for the ledger's connection, and its caller. */
interface Waiting {
  readonly submission: SubmissionEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The submissions' versions, quality counts and receipts, in one transaction (one commit) and one statement each;
 * with `journalPosition`, the position of the journal they were applied up to, in the same transaction (see
 * journaled-ledger.ts). On the ledger's writer connection.
 */
export async function writeSubmissions(
  connection: DuckDBConnection,
  submissions: readonly SubmissionEntry[],
  journalPosition?: number,
): Promise<void> {
  const highest = highestVersions(submissions);
  const sums = qualitySums(
    submissions.flatMap((s) => s.quality.map((event) => ({ event, at: s.receipt.receivedAt }))),
  );
  // Saved again under the same key, a receipt replaces the earlier one: the last of the group stands.
  const receipts = new Map(
    submissions.map(({ receipt }) => [JSON.stringify([receipt.providerId, receipt.submissionId]), receipt]),
  );
  await inTransaction(connection, async () => {
    if (highest.length > 0) await raiseVersions(connection, highest);
    if (sums.length > 0) await addQuality(connection, sums);
    await insertReceipts(connection, [...receipts.values()]);
    if (journalPosition !== undefined) {
      await connection.run('INSERT OR REPLACE INTO intake_ledger.journal_position VALUES (1, $1)', [
        BigInt(journalPosition),
      ]);
    }
  });
}

/**
 * Calls `visit` with the provider and record id of every accepted version, a chunk at a time (never all rows in
 * memory at once).
 */
export async function forEachAcceptedKey(
  database: DuckDbDatabase,
  visit: (providerId: string, recordId: string) => void,
): Promise<void> {
  await database.read(async (connection) => {
    const result = await connection.stream(
      'SELECT provider_id, record_id FROM intake_ledger.accepted_versions',
    );
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0;) {
      const [providers = [], records = []] = chunk.getColumns();
      for (let i = 0; i < chunk.rowCount; i++) visit(text(providers[i]), text(records[i]));
      chunk = await result.fetchChunk();
    }
  });
}

/** The number of records with an accepted version. */
export async function acceptedKeyCount(database: DuckDbDatabase): Promise<number> {
  return database.read(async (connection) => {
    const [row] = (
      await connection.runAndReadAll('SELECT count(*) AS n FROM intake_ledger.accepted_versions')
    ).getRowObjectsJS();
    return integer(row?.n);
  });
}

/**
 * The position of the first journal entry not yet applied to the ledger's tables (0 before any). Read through the
 * ledger's writer rather than a reader: queued behind every ledger write, it sees the last apply's commit, also
 * that of an apply whose commit landed but which reported a failure (the write-behind ledger's retry reads it).
 */
export async function journalPositionOf(database: DuckDbDatabase): Promise<number> {
  return database.writeLedger(async (connection) => {
    const [row] = (
      await connection.runAndReadAll('SELECT position FROM intake_ledger.journal_position')
    ).getRowObjectsJS();
    return row === undefined ? 0 : integer(row.position);
  });
}

/**
 * Where the journal ended at the last clean stop (every entry applied), if the ledger was stopped cleanly and not
 * started since; then forgets it, before anything can be appended, and, when `restartAt` is given (the journal was
 * found empty at another position: a lost or new folder), records that the journal now starts there.
 */
export async function takeJournalStop(
  database: DuckDbDatabase,
  restartAt?: (stoppedAt: number) => number | undefined,
): Promise<number | undefined> {
  return database.writeLedger((connection) =>
    inTransaction(connection, async () => {
      const [row] = (
        await connection.runAndReadAll('SELECT position FROM intake_ledger.journal_stop')
      ).getRowObjectsJS();
      const stoppedAt = row === undefined ? undefined : integer(row.position);
      await connection.run('DELETE FROM intake_ledger.journal_stop');
      const next = stoppedAt === undefined ? undefined : restartAt?.(stoppedAt);
      if (next !== undefined)
        await connection.run('INSERT OR REPLACE INTO intake_ledger.journal_position VALUES (1, $1)', [
          BigInt(next),
        ]);
      return stoppedAt;
    }),
  );
}

/** Records a clean stop: every journal entry before `position` is applied and none comes after it. */
export async function recordJournalStop(database: DuckDbDatabase, position: number): Promise<void> {
  await database.writeLedger((connection) =>
    connection.run('INSERT OR REPLACE INTO intake_ledger.journal_stop VALUES (1, $1)', [BigInt(position)]),
  );
}

interface Version {
  readonly providerId: string;
  readonly recordId: string;
  version: number;
}

/** The highest version per (provider, record id): an upsert may touch a row only once per statement. */
function highestVersions(submissions: readonly SubmissionEntry[]): Version[] {
  // Nested by provider, so no separator inside an id can make two keys collide.
  const highest = new Map<string, Map<string, Version>>();
  for (const { accepted, receipt } of submissions) {
    const { providerId } = receipt;
    let ofProvider = highest.get(providerId);
    if (ofProvider === undefined) highest.set(providerId, (ofProvider = new Map<string, Version>()));
    for (const { recordId, version } of accepted) {
      const known = ofProvider.get(recordId);
      if (known === undefined) ofProvider.set(recordId, { providerId, recordId, version });
      else known.version = Math.max(known.version, version);
    }
  }
  return [...highest.values()].flatMap((ofProvider) => [...ofProvider.values()]);
}

async function raiseVersions(connection: DuckDBConnection, highest: readonly Version[]): Promise<void> {
  await connection.run(
    `INSERT INTO intake_ledger.accepted_versions SELECT unnest($1), unnest($2), unnest($3)
     ON CONFLICT (provider_id, record_id) DO UPDATE SET version = excluded.version
     WHERE excluded.version > accepted_versions.version`,
    [
      listValue(highest.map((v) => v.providerId)),
      listValue(highest.map((v) => v.recordId)),
      listValue(highest.map((v) => BigInt(v.version))),
    ],
    [LIST(VARCHAR), LIST(VARCHAR), LIST(BIGINT)],
  );
}

async function insertReceipts(
  connection: DuckDBConnection,
  receipts: readonly SubmissionReceipt[],
): Promise<void> {
  await connection.run(
    'INSERT OR REPLACE INTO intake_ledger.submission_receipts SELECT unnest($1), unnest($2), unnest($3), unnest($4)',
    [
      listValue(receipts.map((r) => r.providerId)),
      listValue(receipts.map((r) => r.submissionId)),
      listValue(receipts.map((r) => BigInt(r.receivedAt))),
      listValue(receipts.map((r) => JSON.stringify(r))),
    ],
    [LIST(VARCHAR), LIST(VARCHAR), LIST(BIGINT), LIST(VARCHAR)],
  );
}

type QualitySum = Omit<QualityEvent, 'count'> & { count: number; at: number };

/**
 * The events summed per (provider, kind, field, value), each sum seen last at its latest event: an upsert may touch
 * a row only once per statement.
 */
function qualitySums(events: readonly { event: QualityEvent; at: number }[]): QualitySum[] {
  const sums = new Map<string, QualitySum>();
  for (const { event, at } of events) {
    const key = JSON.stringify([event.providerId, event.kind, event.field, event.value]);
    const sum = sums.get(key);
    if (sum === undefined) sums.set(key, { ...event, at });
    else {
      sum.count += event.count;
      sum.at = Math.max(sum.at, at);
    }
  }
  return [...sums.values()];
}

async function addQuality(connection: DuckDBConnection, list: readonly QualitySum[]): Promise<void> {
  await connection.run(
    `INSERT INTO intake_ledger.quality_counts SELECT unnest($1), unnest($2), unnest($3), unnest($4), unnest($5), unnest($6)
     ON CONFLICT (provider_id, kind, field, value) DO UPDATE
     SET total = quality_counts.total + excluded.total,
         last_seen = greatest(quality_counts.last_seen, excluded.last_seen)`,
    [
      listValue(list.map((sum) => sum.providerId)),
      listValue(list.map((sum) => sum.kind)),
      listValue(list.map((sum) => sum.field)),
      listValue(list.map((sum) => sum.value)),
      listValue(list.map((sum) => BigInt(sum.count))),
      listValue(list.map((sum) => BigInt(sum.at))),
    ],
    [LIST(VARCHAR), LIST(VARCHAR), LIST(VARCHAR), LIST(VARCHAR), LIST(BIGINT), LIST(BIGINT)],
  );
}
