/**
 * The DuckDB `IntakeLedger`: accepted versions per record (only ever raised), submission receipts as JSON text, and
 * data-quality counts summed per (provider, kind, field, value). Values are bound parameters; many records go in
 * one statement as bound lists, reduced first to one row per key because an upsert may touch a row only once.
 */
import { LIST, BIGINT, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { IntakeLedger, QualityEvent, SubmissionReceipt } from '@mosy/core';
import { integer, text, toQualityCount, toReceipt } from '@mosy/sql';
import { inTransaction, type DuckDbDatabase } from './database.js';

/** A ledger over an open database (the caller runs the migrations). */
export function createIntakeLedgerOn(database: DuckDbDatabase): IntakeLedger {
  return {
    acceptedVersions(providerId, recordIds) {
      if (recordIds.length === 0) return Promise.resolve(new Map<string, number>());
      return database.read(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT record_id, version FROM accepted_versions
             WHERE provider_id = $1 AND record_id IN (SELECT unnest($2))`,
            [providerId, listValue([...new Set(recordIds)])],
            [VARCHAR, LIST(VARCHAR)],
          )
        ).getRowObjectsJS();
        return new Map(rows.map((row) => [text(row.record_id), integer(row.version)]));
      });
    },

    recordSubmission({ accepted, quality, receipt }) {
      const highest = highestVersions(accepted);
      const sums = qualitySums(quality);
      return database.writeLedger((connection) =>
        inTransaction(connection, async () => {
          if (highest.size > 0) await raiseVersions(connection, receipt.providerId, highest);
          if (sums.length > 0) await addQuality(connection, sums, receipt.receivedAt);
          await insertReceipt(connection, receipt);
        }),
      );
    },

    getReceipt(providerId, submissionId) {
      return database.read(async (connection) => {
        const [row] = (
          await connection.runAndReadAll(
            'SELECT receipt FROM submission_receipts WHERE provider_id = $1 AND submission_id = $2',
            [providerId, submissionId],
          )
        ).getRowObjectsJS();
        return row === undefined ? undefined : toReceipt(row);
      });
    },

    recordQuality(events, at) {
      const sums = qualitySums(events);
      if (sums.length === 0) return Promise.resolve();
      return database.writeLedger((connection) => addQuality(connection, sums, at));
    },

    quality(providerId) {
      return database.read(async (connection) => {
        const reader =
          providerId === undefined
            ? await connection.runAndReadAll('SELECT * FROM quality_counts ORDER BY ALL')
            : await connection.runAndReadAll(
                'SELECT * FROM quality_counts WHERE provider_id = $1 ORDER BY ALL',
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
             FROM submission_receipts GROUP BY provider_id ORDER BY provider_id`,
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
          `INSERT INTO dead_lettered_versions
           SELECT provider_id, record_id, version FROM (
             SELECT k.provider_id, k.record_id,
                    max(CASE WHEN k.version = 0 THEN coalesce(a.version, 0) ELSE k.version END) AS version
             FROM (SELECT unnest($1) AS provider_id, unnest($2) AS record_id, unnest($3) AS version) k
             LEFT JOIN accepted_versions a USING (provider_id, record_id)
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
             FROM accepted_versions a
             LEFT JOIN records_current c USING (provider_id, record_id)
             LEFT JOIN dead_lettered_versions d USING (provider_id, record_id)
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

/** The highest version per record id: an upsert may touch a row only once per statement. */
function highestVersions(records: readonly { recordId: string; version: number }[]): Map<string, number> {
  const highest = new Map<string, number>();
  for (const { recordId, version } of records) {
    highest.set(recordId, Math.max(version, highest.get(recordId) ?? version));
  }
  return highest;
}

async function raiseVersions(
  connection: DuckDBConnection,
  providerId: string,
  highest: ReadonlyMap<string, number>,
): Promise<void> {
  await connection.run(
    `INSERT INTO accepted_versions SELECT $1, unnest($2), unnest($3)
     ON CONFLICT (provider_id, record_id) DO UPDATE SET version = excluded.version
     WHERE excluded.version > accepted_versions.version`,
    [providerId, listValue([...highest.keys()]), listValue([...highest.values()].map(BigInt))],
    [VARCHAR, LIST(VARCHAR), LIST(BIGINT)],
  );
}

async function insertReceipt(connection: DuckDBConnection, receipt: SubmissionReceipt): Promise<void> {
  await connection.run('INSERT OR REPLACE INTO submission_receipts VALUES ($1, $2, $3, $4)', [
    receipt.providerId,
    receipt.submissionId,
    receipt.receivedAt,
    JSON.stringify(receipt),
  ]);
}

type QualitySum = Omit<QualityEvent, 'count'> & { count: number };

/** The events summed per (provider, kind, field, value): an upsert may touch a row only once per statement. */
function qualitySums(events: readonly QualityEvent[]): QualitySum[] {
  const sums = new Map<string, QualitySum>();
  for (const event of events) {
    const key = JSON.stringify([event.providerId, event.kind, event.field, event.value]);
    const sum = sums.get(key);
    if (sum === undefined) sums.set(key, { ...event });
    else sum.count += event.count;
  }
  return [...sums.values()];
}

async function addQuality(
  connection: DuckDBConnection,
  list: readonly QualitySum[],
  at: number,
): Promise<void> {
  await connection.run(
    `INSERT INTO quality_counts SELECT unnest($1), unnest($2), unnest($3), unnest($4), unnest($5), $6
     ON CONFLICT (provider_id, kind, field, value) DO UPDATE
     SET total = quality_counts.total + excluded.total,
         last_seen = greatest(quality_counts.last_seen, excluded.last_seen)`,
    [
      listValue(list.map((sum) => sum.providerId)),
      listValue(list.map((sum) => sum.kind)),
      listValue(list.map((sum) => sum.field)),
      listValue(list.map((sum) => sum.value)),
      listValue(list.map((sum) => BigInt(sum.count))),
      BigInt(at),
    ],
    [LIST(VARCHAR), LIST(VARCHAR), LIST(VARCHAR), LIST(VARCHAR), LIST(BIGINT), BIGINT],
  );
}
