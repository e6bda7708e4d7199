/**
 * The ClickHouse `LinkageStore` (migration 006): rows inserted through JSONEachRow, so no id or key becomes SQL
 * text. Tables are ReplacingMergeTrees read FINAL: a record's row with the highest `seq` (`link_version`) is its
 * state, an empty encoding (person key) meaning unlinked. ClickHouse has no transactions, so a write inserts the
 * encodings first, then the links, then the re-grouping count; a write cut short is redone by the linker, which
 * rebuilds from the encodings and rewrites links that differ. The encoding rows a write replaced are then deleted
 * by a mutation naming their `seq` numbers, so an encoding does not outlive its record's withdrawal in the parts.
 */
import type { LinkageStore } from '@mosy/core';
import { encodingToHex, integer, toCount, toStoredLinkage } from '@mosy/sql';
import type { ClickHouseConnection } from './connection.js';

/** The largest linking order and link version: every write raises one of them, so together they are a position. */
const POSITION_SQL = `SELECT (SELECT max(seq) FROM linkage_encodings) AS seq,
                             (SELECT max(link_version) FROM person_links) AS link_version`;

/** A linkage store over an open connection (the caller runs the migrations). */
export function createLinkageStoreOn(connection: ClickHouseConnection): LinkageStore {
  return {
    async load() {
      const rows = await connection.select(
        `SELECT provider_id, record_id, version, seq, encoding, person_key
         FROM (SELECT provider_id, record_id, version, seq, encoding FROM linkage_encodings FINAL)
         ANY LEFT JOIN (SELECT provider_id, record_id, person_key FROM person_links FINAL)
         USING (provider_id, record_id)
         ORDER BY seq`,
      );
      return rows.map(toStoredLinkage);
    },

    async write(write) {
      const [max] = await connection.select(POSITION_SQL);
      let seq = integer(max?.seq ?? 0);
      let linkVersion = integer(max?.link_version ?? 0);
      const replaced =
        write.changes.length === 0
          ? []
          : (
              await connection.selectWith(
                {
                  name: 'linkage_keys',
                  columns: 'provider_id String, record_id String',
                  rows: write.changes.map((c) => ({ provider_id: c.providerId, record_id: c.recordId })),
                },
                `SELECT seq FROM linkage_encodings
                 WHERE (provider_id, record_id) IN (SELECT provider_id, record_id FROM linkage_keys)`,
              )
            ).map((row) => integer(row.seq));
      await connection.insert(
        'linkage_encodings',
        write.changes.map((c) => ({
          provider_id: c.providerId,
          record_id: c.recordId,
          version: c.version,
          seq: ++seq,
          encoding: c.encoding === undefined ? '' : encodingToHex(c.encoding),
        })),
      );
      await connection.insert(
        'person_links',
        [...write.changes, ...write.relinks].map((c) => ({
          provider_id: c.providerId,
          record_id: c.recordId,
          person_key: c.personKey ?? '',
          link_version: ++linkVersion,
        })),
      );
      if (write.merges > 0)
        await connection.insert('linkage_regroupings', [
          { recorded_at: Date.now(), merges: write.merges, revised_records: write.revisedRecords },
        ]);
      if (replaced.length > 0)
        await connection.command(
          `ALTER TABLE linkage_encodings DELETE WHERE seq IN (${replaced.join(', ')})`,
        );
    },

    async position() {
      const [row] = await connection.select(POSITION_SQL);
      return `${integer(row?.seq ?? 0)}:${integer(row?.link_version ?? 0)}`;
    },

    async clear() {
      const [row] = await connection.select(
        'SELECT uniqExact(provider_id, record_id) AS n FROM linkage_encodings',
      );
      for (const table of ['linkage_encodings', 'person_links', 'linkage_regroupings'])
        await connection.command(`TRUNCATE TABLE ${table}`);
      return toCount(row?.n ?? 0);
    },

    async totals() {
      const [row] = await connection.select(
        'SELECT sum(merges) AS merges, sum(revised_records) AS revised FROM linkage_regroupings',
      );
      return { merges: toCount(row?.merges ?? 0), revisedRecords: toCount(row?.revised ?? 0) };
    },
  };
}
