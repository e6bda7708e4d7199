/**
 * What apply writes: ONE insert per batch into `record_changes` (migration 008, engine Null), one signed row per
 * record version: +1 for each new version, -1 for the stored version it replaces when that one still counts (not
 * withdrawn). The table's materialized views do the rest on the server: the +1 rows go to `records_current`, and
 * the rolling views expand every signed row into its rolling cells and person references (`rolling.ts`). Nothing
 * is expanded here: the client sends at most two rows per record. The exactness argument is in the README
 * ("Rolling counts").
 */
import { randomUUID } from 'node:crypto';
import { MosyError } from '@mosy/core';
import { RECORD_COLUMNS, integer, sqlLiteral } from '@mosy/sql';
import type { ClickHouseConnection, Row } from './connection.js';

/** The Null table apply inserts into. */
export const RECORD_CHANGES = 'record_changes';

/**
 * Query id prefix of the apply inserts into one database (database names hold no `-`), so that a failed insert, or
 * any insert running while the rolling tables are rebuilt, can be found on the server.
 */
export const applyPrefix = (database: string): string => `mosy-apply-${database}-`;

/** The columns of `records_current` as a SELECT list (what a stored version's -1 row repeats). */
export const STORED_COLUMNS = RECORD_COLUMNS.map((column) => column.name).join(', ');

const INT_COLUMNS = RECORD_COLUMNS.filter((column) => column.type === 'int' || column.type === 'bool').map(
  (column) => column.name,
);

/** A signed row for a row as `records_current` stores it (64-bit integers come back as strings). */
export function signedStoredRow(row: Row): Row {
  const signed: Record<string, unknown> = { sign: -1 };
  for (const { name } of RECORD_COLUMNS) signed[name] = row[name];
  for (const name of INT_COLUMNS) {
    const value = Number(row[name]);
    if (!Number.isSafeInteger(value)) throw new MosyError('internal', `stored ${name} is not an integer`);
    signed[name] = value;
  }
  return signed;
}

/** Whether a stored row (`records_current`) is a withdrawal, which counts nowhere and needs no -1 row. */
export const isWithdrawnRow = (row: Row): boolean => integer(row.withdrawn) === 1;

/** Longest wait for an earlier, failed insert to finish on the server before apply gives up (retriable). */
const SETTLE_LIMIT_MS = 300_000;

/**
 * Names the inserts of one store instance and waits out the failed ones: an insert whose request failed on the
 * client side (a timeout, a reset connection) may still be writing on the server, and reading the stored versions
 * before it finished would write its changes a second time. `system.processes` lists a query until its parts are
 * committed (those of its materialized views included).
 */
export class InsertTracker {
  readonly #prefix: string;
  #count = 0;
  #unsettled = false;
  #invalidate = false;
  /** Set until the first apply, and again by `takeOver`: wait for the apply inserts of other processes. */
  #foreign = true;

  /**
   * `onFailedInsert` runs before the next apply reads, after an insert failed: the views of `record_changes` are not
   * one transaction, so the failed insert may have written some of their tables and not others.
   */
  constructor(
    private readonly connection: ClickHouseConnection,
    private readonly onFailedInsert: () => Promise<void>,
  ) {
    this.#prefix = `${applyPrefix(connection.database)}${randomUUID().replaceAll('-', '')}-`;
  }

  /** Inserts `rows` into `record_changes` as one block under a fresh query id. */
  async insert(rows: readonly Row[]): Promise<void> {
    try {
      await this.connection.insert(RECORD_CHANGES, rows, {
        oneBlock: true,
        // Its views (records_current and the rolling tables) are independent of each other, and the apply's
        // duration is mostly theirs: computed side by side, the records are counted sooner.
        parallelViews: true,
        queryId: `${this.#prefix}${this.#count++}`,
      });
    } catch (error) {
      this.#unsettled = true;
      this.#invalidate = true;
      // At once, so readers fall back now; if the server cannot take it either, `settle` insists before the next apply.
      await this.onFailedInsert().then(
        () => (this.#invalidate = false),
        () => undefined,
      );
      throw error;
    }
  }

  /**
   * The instance was given keys another process may have been writing (the aggregator's partitions after a
   * rebalance): the next `settle` waits for the apply inserts running then, as the first one does.
   */
  takeOver(): void {
    this.#foreign = true;
  }

  /**
   * Returns once no insert of this instance that failed on the client side still runs on the server, and, the first
   * time and the first time after `takeOver`, once every apply insert into the database that was running then has
   * finished: one left by a process that died or gave its keys up (the one this instance replaces) may still be
   * writing versions this instance is about to read. Waiting for all of them is exact without knowing whose they
   * are, and costs one wait per rebalance.
   */
  async settle(): Promise<void> {
    if (this.#foreign) {
      // Cleared before the wait: a takeOver during it asks for another.
      this.#foreign = false;
      await waitForQueries(
        this.connection,
        await runningQueries(this.connection, applyPrefix(this.connection.database)),
      ).catch((error: unknown) => {
        this.#foreign = true;
        throw error;
      });
    }
    if (this.#invalidate) {
      // Until this succeeds no apply proceeds: a later apply would find the failed insert's versions stored.
      await this.onFailedInsert();
      this.#invalidate = false;
    }
    if (!this.#unsettled) return;
    await waitForInserts(this.connection, this.#prefix, SETTLE_LIMIT_MS);
    this.#unsettled = false;
  }
}

/** The number of queries whose id starts with `prefix` running on the server now. */
export async function runningInserts(connection: ClickHouseConnection, prefix: string): Promise<number> {
  const rows = await connection.select(
    `SELECT count() AS n FROM system.processes
     WHERE substring(query_id, 1, ${prefix.length}) = ${sqlLiteral(prefix)}`,
  );
  return integer(rows[0]?.n ?? 0);
}

/** The ids of the queries whose id starts with `prefix` running on the server now. */
async function runningQueries(connection: ClickHouseConnection, prefix: string): Promise<string[]> {
  const rows = await connection.select(
    `SELECT query_id FROM system.processes WHERE substring(query_id, 1, ${prefix.length}) = ${sqlLiteral(prefix)}`,
  );
  return rows.map((row) => String(row.query_id));
}

/** Waits until none of the queries `ids` runs any more; `unavailable` after SETTLE_LIMIT_MS. */
async function waitForQueries(connection: ClickHouseConnection, ids: readonly string[]): Promise<void> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let waiting = ids;
  while (waiting.length > 0) {
    if (Date.now() > deadline)
      throw new MosyError('unavailable', 'an earlier apply insert is still running on ClickHouse');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const running = new Set(await runningQueries(connection, applyPrefix(connection.database)));
    waiting = waiting.filter((id) => running.has(id));
  }
}

/** Waits until no query whose id starts with `prefix` runs; false when some still run after `limitMs`. */
export async function quietWithin(
  connection: ClickHouseConnection,
  prefix: string,
  limitMs: number,
): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while ((await runningInserts(connection, prefix)) > 0) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Waits until no query whose id starts with `prefix` runs; `unavailable` after `limitMs`. */
export async function waitForInserts(
  connection: ClickHouseConnection,
  prefix: string,
  limitMs: number,
): Promise<void> {
  if (!(await quietWithin(connection, prefix, limitMs)))
    throw new MosyError('unavailable', 'an earlier insert of this store is still running on ClickHouse');
}
