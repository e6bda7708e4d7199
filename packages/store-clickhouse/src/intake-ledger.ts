/**
 * The ClickHouse `IntakeLedger`. Accepted versions are rows (ReplacingMergeTree by version) read with `max`, so
 * marking is an insert that can never lower a version and repeats are harmless. Receipts are JSON rows with a
 * rising `revision`, the highest read back, so saving again replaces. Quality events are rows summed per
 * (provider, kind, field, value) at read time: exact whatever the merges have done. Opaque ids reach SQL only as
 * `opaqueText`, batches of record ids as external data (a table sent with the query), receipts and events through JSONEachRow inserts.
 */
import type { IntakeLedger, SubmissionReceipt } from '@mosy/core';
import { integer, text, toQualityCount, toReceipt } from '@mosy/sql';
import type { ClickHouseConnection } from './connection.js';
import { opaqueText } from './opaque-text.js';

/** A ledger over an open connection (the caller runs the migrations). */
export function createIntakeLedgerOn(connection: ClickHouseConnection): IntakeLedger {
  // Receipt revisions rise within the process even when the clock does not (two saves in one millisecond).
  let lastRevision = 0;
  const nextRevision = (): number => {
    lastRevision = Math.max(lastRevision + 1, Date.now() * 1000);
    return lastRevision;
  };

  const raiseVersions = async (
    providerId: string,
    records: readonly { recordId: string; version: number }[],
  ): Promise<void> => {
    const highest = new Map<string, number>();
    for (const { recordId, version } of records) {
      highest.set(recordId, Math.max(version, highest.get(recordId) ?? version));
    }
    await connection.insert(
      'accepted_versions',
      [...highest].map(([recordId, version]) => ({ provider_id: providerId, record_id: recordId, version })),
    );
  };

  const insertReceipt = async (receipt: SubmissionReceipt): Promise<void> => {
    await connection.insert('submission_receipts', [
      {
        provider_id: receipt.providerId,
        submission_id: receipt.submissionId,
        received_at: receipt.receivedAt,
        revision: nextRevision(),
        receipt: JSON.stringify(receipt),
      },
    ]);
  };

  const ledger: IntakeLedger = {
    async acceptedVersions(providerId, recordIds) {
      if (recordIds.length === 0) return new Map<string, number>();
      const rows = await connection.selectWith(
        {
          name: 'batch_ids',
          columns: 'record_id String',
          rows: [...new Set(recordIds)].map((recordId) => ({ record_id: recordId })),
        },
        `SELECT record_id, max(version) AS latest FROM accepted_versions
         WHERE provider_id = ${opaqueText(providerId)} AND record_id IN batch_ids
         GROUP BY record_id`,
      );
      return new Map(rows.map((row) => [text(row.record_id), integer(row.latest)]));
    },

    // ClickHouse has no transactions: the three inserts go at once, so a submission waits for the slowest, not the
    // sum. A failure may leave any of them written, as a crash between separate calls would: a version not marked
    // is accepted again when re-sent (a no-op for the counts), a receipt not saved is one the client never got.
    async recordSubmission({ accepted, quality, receipt }) {
      await Promise.all([
        accepted.length > 0 ? raiseVersions(receipt.providerId, accepted) : undefined,
        quality.length > 0 ? ledger.recordQuality(quality, receipt.receivedAt) : undefined,
        insertReceipt(receipt),
      ]);
    },

    async getReceipt(providerId, submissionId) {
      const [row] = await connection.select(
        `SELECT receipt FROM submission_receipts
         WHERE provider_id = ${opaqueText(providerId)} AND submission_id = ${opaqueText(submissionId)}
         ORDER BY revision DESC LIMIT 1`,
      );
      return row === undefined ? undefined : toReceipt(row);
    },

    async recordQuality(events, at) {
      await connection.insert(
        'quality_events',
        events.map((event) => ({
          provider_id: event.providerId,
          kind: event.kind,
          field: event.field,
          value: event.value,
          count: event.count,
          seen_at: at,
        })),
      );
    },

    async quality(providerId) {
      const rows = await connection.select(
        `SELECT provider_id, kind, field, value, sum(count) AS total, max(seen_at) AS last_seen
         FROM quality_events
         ${providerId === undefined ? '' : `WHERE provider_id = ${opaqueText(providerId)}`}
         GROUP BY provider_id, kind, field, value
         ORDER BY provider_id, kind, field, value`,
      );
      return rows.map(toQualityCount);
    },

    async activity() {
      // A receipt saved again is a second row until merges replace it: counted once by its id.
      const rows = await connection.select(
        `SELECT provider_id, uniqExact(submission_id) AS submissions, max(received_at) AS last_at
         FROM submission_receipts GROUP BY provider_id ORDER BY provider_id`,
      );
      return rows.map((row) => ({
        providerId: text(row.provider_id),
        submissions: integer(row.submissions),
        lastSubmittedAt: integer(row.last_at),
      }));
    },

    async markDeadLettered(records) {
      const known = records.filter((record) => record.version > 0);
      const undecoded = records.filter((record) => record.version === 0);
      if (known.length > 0) {
        await connection.insert(
          'dead_lettered_versions',
          known.map(({ providerId, recordId, version }) => ({
            provider_id: providerId,
            record_id: recordId,
            version,
          })),
        );
      }
      // Rare (bytes that could not be decoded): the version is the accepted one, the ids compared one by one (a
      // tuple IN of one element would read as a set of scalars).
      if (undecoded.length > 0) {
        const keys = undecoded.map(
          (r) => `(provider_id = ${opaqueText(r.providerId)} AND record_id = ${opaqueText(r.recordId)})`,
        );
        await connection.command(
          `INSERT INTO dead_lettered_versions (provider_id, record_id, version)
           SELECT provider_id, record_id, max(version) FROM accepted_versions
           WHERE ${keys.join(' OR ')}
           GROUP BY provider_id, record_id`,
        );
      }
    },

    async backlog(providerIds) {
      const ids = [...new Set(providerIds)].sort();
      if (ids.length === 0) return [];
      // Each side reduced to one row per record with max(version) (exact before merges, no FINAL needed), then
      // joined two at a time (18.16 takes one JOIN per SELECT); an unmatched side reads 0.
      const where = `WHERE provider_id IN (${ids.map(opaqueText).join(', ')})`;
      const highest = (table: string, as: string): string =>
        `SELECT provider_id, record_id, max(version) AS ${as} FROM ${table} ${where} GROUP BY provider_id, record_id`;
      const rows = await connection.select(
        `SELECT provider_id, count() AS pending
         FROM (
           SELECT provider_id, record_id, accepted_version, current_version
           FROM (${highest('accepted_versions', 'accepted_version')})
           ANY LEFT JOIN (${highest('records_current', 'current_version')}) USING (provider_id, record_id)
         )
         ANY LEFT JOIN (${highest('dead_lettered_versions', 'dead_version')}) USING (provider_id, record_id)
         WHERE accepted_version > current_version AND accepted_version > dead_version
         GROUP BY provider_id`,
      );
      const pending = new Map(rows.map((row) => [text(row.provider_id), integer(row.pending)]));
      return ids.map((providerId) => ({ providerId, pending: pending.get(providerId) ?? 0 }));
    },
  };
  return ledger;
}
