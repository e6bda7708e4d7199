/**
 * The DuckDB `LinkageStore`: `linkage_encodings`, `person_links` and `linkage_regroupings` (migration 006), written
 * through the single writer in one transaction per write, so a write is all there or not at all. Linking order is
 * `seq`, given here from the largest stored one; `link_version` likewise grows with every person-link row written.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LinkageStore } from '@mosy/core';
import { encodingToHex, integer, toCount, toStoredLinkage } from '@mosy/sql';
import { inTransaction, type DuckDbDatabase } from './database.js';

/** Rows per multi-row statement (DuckDB binds at most 65 535 parameters). */
const CHUNK = 1000;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

const placeholders = (rows: number, columns: number): string =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`,
  ).join(', ');

/** The (provider, record) keys of a chunk as the temporary table `linkage_keys`, to delete their rows by a join. */
const keysTable = (
  connection: DuckDBConnection,
  chunk: readonly { providerId: string; recordId: string }[],
): Promise<unknown> =>
  connection.run(
    `CREATE OR REPLACE TEMP TABLE linkage_keys AS SELECT * FROM (VALUES ${placeholders(chunk.length, 2)}) k(provider_id, record_id)`,
    chunk.flatMap((c) => [c.providerId, c.recordId]),
  );

/** The largest linking order and link version: every write raises one of them, so together they are a position. */
const POSITION_SQL = `SELECT (SELECT coalesce(max(seq), 0) FROM linkage_encodings) AS seq,
                             (SELECT coalesce(max(link_version), 0) FROM person_links) AS link_version`;

/** A linkage store over an open database (the caller runs the migrations). */
export function createLinkageStoreOn(database: DuckDbDatabase): LinkageStore {
  return {
    load() {
      return database.read(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT e.provider_id, e.record_id, e.version, e.encoding, l.person_key
             FROM linkage_encodings e LEFT JOIN person_links l
               ON l.provider_id = e.provider_id AND l.record_id = e.record_id
             ORDER BY e.seq`,
          )
        ).getRowObjectsJS();
        return rows.map(toStoredLinkage);
      });
    },

    write(write) {
      return database.write((connection) =>
        inTransaction(connection, async () => {
          const max = (await connection.runAndReadAll(POSITION_SQL)).getRowObjectsJS()[0]!;
          let seq = integer(max.seq);
          let linkVersion = integer(max.link_version);
          const touched = [...write.changes, ...write.relinks];
          for (const chunk of chunks(touched)) {
            await keysTable(connection, chunk);
            await connection.run(
              `DELETE FROM person_links USING linkage_keys k
               WHERE person_links.provider_id = k.provider_id AND person_links.record_id = k.record_id`,
            );
          }
          for (const chunk of chunks(write.changes)) {
            await keysTable(connection, chunk);
            await connection.run(
              `DELETE FROM linkage_encodings USING linkage_keys k
               WHERE linkage_encodings.provider_id = k.provider_id AND linkage_encodings.record_id = k.record_id`,
            );
            await connection.run(
              `INSERT INTO linkage_encodings VALUES ${placeholders(chunk.length, 5)}`,
              chunk.flatMap((c) => [
                c.providerId,
                c.recordId,
                c.version,
                ++seq,
                c.encoding === undefined ? null : encodingToHex(c.encoding),
              ]),
            );
          }
          const links = touched.flatMap((c) =>
            c.personKey === undefined ? [] : [[c.providerId, c.recordId, c.personKey] as const],
          );
          for (const chunk of chunks(links))
            await connection.run(
              `INSERT INTO person_links VALUES ${placeholders(chunk.length, 4)}`,
              chunk.flatMap((link) => [...link, ++linkVersion]),
            );
          if (write.merges > 0)
            await connection.run('INSERT INTO linkage_regroupings VALUES ($1, $2, $3)', [
              Date.now(),
              write.merges,
              write.revisedRecords,
            ]);
          await connection.run('DROP TABLE IF EXISTS linkage_keys');
        }),
      );
    },

    position() {
      return database.read(async (connection) => {
        const row = (await connection.runAndReadAll(POSITION_SQL)).getRowObjectsJS()[0]!;
        return `${integer(row.seq)}:${integer(row.link_version)}`;
      });
    },

    clear() {
      return database.write((connection) =>
        inTransaction(connection, async () => {
          const row = (
            await connection.runAndReadAll('SELECT count(*) AS n FROM linkage_encodings')
          ).getRowObjectsJS()[0];
          for (const table of ['linkage_encodings', 'person_links', 'linkage_regroupings'])
            await connection.run(`DELETE FROM ${table}`);
          return toCount(row?.n ?? 0);
        }),
      );
    },

    totals() {
      return database.read(async (connection) => {
        const row = (
          await connection.runAndReadAll(
            `SELECT coalesce(sum(merges), 0) AS merges, coalesce(sum(revised_records), 0) AS revised
             FROM linkage_regroupings`,
          )
        ).getRowObjectsJS()[0];
        return { merges: toCount(row?.merges ?? 0), revisedRecords: toCount(row?.revised ?? 0) };
      });
    },
  };
}
