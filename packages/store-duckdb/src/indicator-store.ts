/**
 * The DuckDB `IndicatorStore`: the current state of every record in `records_current`, one row per (provider,
 * recordId). `apply` reduces the batch to the highest version per key, bulk-loads it into a staging table, then in
 * one transaction updates the rows whose stored version is lower and inserts the keys not stored yet, so replays,
 * late versions and withdrawals follow the counting rules and the two statements' change counts are exactly the
 * records applied. (`INSERT … ON CONFLICT DO UPDATE` does the same in one statement but needs a PRIMARY KEY index
 * and measured three to five times slower; see the README.) All writes go through the database's single writer
 * connection, which is also what keeps keys unique. Queries run the SQL of `@mosy/sql` on a reader connection,
 * cells and total in one read transaction so they agree.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApplyOutcome, IndicatorStore, NormalizedRecord, StoreQuery, StoreResult } from '@mosy/core';
import { RECORD_COLUMNS, buildIndicatorSql, cellsFromRows, duckDbDialect, toCount } from '@mosy/sql';
import { inTransaction, type DuckDbDatabase } from './database.js';
import { CSV_SELECT, recordsToCsv } from './bulk-load.js';
import { migrate } from './migrations.js';

/** The DuckDB indicator store. */
export type DuckDbIndicatorStore = IndicatorStore;

const TABLE = 'records_current';
const SAME_KEY = `${TABLE}.provider_id = s.provider_id AND ${TABLE}.record_id = s.record_id`;

const STAGE_SQL = `CREATE OR REPLACE TEMP TABLE staging AS ${CSV_SELECT}`;
const UPDATE_SQL =
  `UPDATE ${TABLE} SET ` +
  RECORD_COLUMNS.filter((column) => !column.key)
    .map((column) => `${column.name} = s.${column.name}`)
    .join(', ') +
  ` FROM staging s WHERE ${SAME_KEY} AND s.version > ${TABLE}.version`;
const INSERT_SQL = `INSERT INTO ${TABLE} SELECT * FROM staging s WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} WHERE ${SAME_KEY})`;

/** Per (provider, recordId) the highest version; of equal versions the first. */
export function latestPerKey(records: readonly NormalizedRecord[]): NormalizedRecord[] {
  // Nested by provider, so no separator inside an id can make two keys collide.
  const best = new Map<string, Map<string, NormalizedRecord>>();
  const kept: NormalizedRecord[] = [];
  for (const record of records) {
    let ofProvider = best.get(record.providerId);
    if (ofProvider === undefined)
      best.set(record.providerId, (ofProvider = new Map<string, NormalizedRecord>()));
    const current = ofProvider.get(record.recordId);
    if (current === undefined || record.version > current.version) ofProvider.set(record.recordId, record);
  }
  // A loop, not push(...values): spreading a large batch would overflow the call stack.
  for (const ofProvider of best.values()) for (const record of ofProvider.values()) kept.push(record);
  return kept;
}

/** An indicator store over an open database. The database's owner decides what `close` closes. */
export function createIndicatorStoreOn(
  database: DuckDbDatabase,
  close: () => Promise<void>,
): DuckDbIndicatorStore {
  return {
    async migrate(): Promise<void> {
      await database.write((connection) => migrate(connection));
    },

    async apply(records: readonly NormalizedRecord[]): Promise<ApplyOutcome> {
      if (records.length === 0) return { applied: 0, ignored: 0 };
      const csv = recordsToCsv(latestPerKey(records));
      return database.write(async (connection) => {
        const file = join(database.scratch, `batch-${randomUUID()}.csv`);
        await writeFile(file, csv);
        try {
          // The transaction commits durably (WAL, fsync) before apply resolves.
          const applied = await inTransaction(connection, async () => {
            await connection.run(STAGE_SQL, [file]);
            const updated = (await connection.run(UPDATE_SQL)).rowsChanged;
            const inserted = (await connection.run(INSERT_SQL)).rowsChanged;
            await connection.run('DROP TABLE staging');
            return updated + inserted;
          });
          return { applied, ignored: records.length - applied };
        } finally {
          await rm(file, { force: true });
        }
      });
    },

    async query(query: StoreQuery): Promise<StoreResult> {
      const { cellsSql, totalSql } = buildIndicatorSql(query, duckDbDialect, TABLE);
      return database.read((connection) =>
        inTransaction(connection, async () => {
          const cellRows = (await connection.runAndReadAll(cellsSql)).getRowObjectsJS();
          const totalRows = (await connection.runAndReadAll(totalSql)).getRowObjectsJS();
          return { cells: cellsFromRows(query, cellRows), total: toCount(totalRows[0]?.n ?? 0) };
        }),
      );
    },

    async countRecords(): Promise<number> {
      return database.read(async (connection) => {
        const reader = await connection.runAndReadAll(
          `SELECT count(*) AS n FROM ${TABLE} WHERE NOT withdrawn`,
        );
        return toCount(reader.getRowObjectsJS()[0]?.n);
      });
    },

    close,
  };
}
