/**
 * The ClickHouse `IndicatorStore`. `records_current` is a ReplacingMergeTree(version) keyed by (provider, recordId):
 * a record's versions are rows, merges keep the highest, and ad-hoc reads go through `FINAL`, so rows that merges
 * have not reached yet never count twice. `apply` reduces the batch to the highest version per key, reads the stored
 * rows of those keys in one query (the keys travel as external data with the query, never as SQL text), and sends ONE insert
 * into `record_changes` (`record-changes.ts`): +1 for each newer record, -1 for the stored version it replaces; the
 * table's views write records_current and the rolling tables on the server (`rolling.ts`). The applied count is the
 * number of newer records. Idempotent without transactions: a batch replayed after a crash finds its versions
 * stored and writes nothing; a failed insert is waited out before the next apply reads (README, "Rolling counts").
 * Applies of one store instance run one at a time, so its outcome counts are exact; the aggregator partitions work
 * by record key, so two instances never write the same key. Catalogue reads (core `rollingReadOf`) are answered from
 * the rolling tables once they are complete for this code's groupings, persons only while fuzzy linkage links no
 * record; every other query runs the SQL of `@mosy/sql` on `records_current FINAL`: one statement where it answers
 * cells and total together (`WITH TOTALS`, or the cells' sum), else the cells, and beside them the total from the
 * rolling counts where they hold it or from a statement of its own (ClickHouse has no snapshot across statements).
 */
import {
  MosyError,
  latestPerRecord,
  rollingReadOf,
  type ApplyOutcome,
  type IndicatorStore,
  type NormalizedRecord,
  type StoreLogger,
  type StoreQuery,
  type StoreResult,
} from '@mosy/core';
import {
  PERSON_LINKS_TABLE,
  RECORD_COLUMNS,
  buildIndicatorSql,
  buildPartsSql,
  partsFromRows,
  buildTimelinessSql,
  cellsFromRows,
  clickHouseDialect,
  integer,
  resultOfSingle,
  resultOfTwo,
  text,
  timelinessFromRows,
  toCount,
  toRow,
  STDERR_LOGGER,
  partQuery,
} from '@mosy/sql';
import type { ClickHouseConnection, Row } from './connection.js';
import { migrate } from './migrations.js';
import { NOTHING_CERTIFIED, certifiedBefore, certifyApplied } from './apply-certification.js';
import {
  completeCertified,
  openPeriods,
  pruneCounters,
  refreshCounters,
  touchedPeriods,
  type CountersRefresh,
} from './person-counters.js';
import { InsertTracker, STORED_COLUMNS, isWithdrawnRow, signedStoredRow } from './record-changes.js';
import { ResultCache, readState } from './result-cache.js';
import {
  ANY_LINK_SQL,
  buildRollingOrFallBack,
  invalidateRolling,
  CounterVersionsCache,
  readCatalogue,
  rollingTables,
} from './rolling.js';

/** The ClickHouse indicator store. */
export type ClickHouseIndicatorStore = IndicatorStore &
  Required<Pick<IndicatorStore, 'timeliness' | 'queryParts' | 'takeOver'>> & {
    /**
     * Recomputes the person counters of the periods written since their last refresh (`person-counters.ts`);
     * returns how many periods it certified, and when the lease of an apply that kept some from it runs out. Safe
     * beside applies and other refreshes. Now and then it also deletes the counters versions no read can use any
     * more (`pruneCounters`).
     */
    refreshCounters(): Promise<CountersRefresh>;
  };

const TABLE = 'records_current';

/** How often a store's refreshes also prune old counters versions. */
const PRUNE_EVERY_MS = 600_000;

/**
 * The dates ClickHouse's `Date` holds on every version (18.16 wraps days before 1970 and prints day 0 as
 * `0000-00-00`; a week bucket needs the Monday before the first day). MoSy accepts 1900–2100; a record outside this
 * range is refused as `invalid-field` rather than stored wrong. Current ClickHouse has `Date32` (see the README).
 */
export const DATE_RANGE = { first: '1971-01-01', last: '2105-12-31' } as const;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const INT_COLUMNS = RECORD_COLUMNS.filter((column) => column.type === 'int').map((column) => column.name);

const keyOf = (providerId: string, recordId: string): string => JSON.stringify([providerId, recordId]);

/** The weight of a kept result (`ResultCache`): its cells, and one for its total. */
const cellsOf = (result: StoreResult): number => result.cells.length + 1;

/** A record as a JSONEachRow row of `records_current`; throws `invalid-field` for what the table cannot hold. */
export function toInsertRow(record: NormalizedRecord): Row {
  const row = toRow(record);
  const bad = (problem: string): MosyError =>
    new MosyError('invalid-field', `record ${record.providerId}/${record.recordId}: ${problem}`);
  for (const column of INT_COLUMNS) {
    const value = row[column];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw bad(`${column} is not an integer`);
  }
  for (const column of ['period_start', 'period_end'] as const) {
    const value = row[column];
    if (typeof value !== 'string' || !DATE_PATTERN.test(value))
      throw bad(`${column} is not a date YYYY-MM-DD`);
    if (value < DATE_RANGE.first || value > DATE_RANGE.last) {
      throw bad(
        `${column} ${value} lies outside ${DATE_RANGE.first}..${DATE_RANGE.last}, which this store holds`,
      );
    }
  }
  // UInt8: JSONEachRow on 18.16 takes no JSON booleans.
  return { ...row, withdrawn: row.withdrawn === true ? 1 : 0 };
}

/**
 * The stored (highest) version of each of the records' keys, keyed by `keyOf`, as its whole stored row (a -1 row
 * repeats it). The keys go to the server as external data with the query; the PREWHERE on record_id alone (a one-column set)
 * discards most rows before the key tuple is compared, about twice as fast on 18.16 as the tuple test alone (see
 * the README). No FINAL: every stored version of the keys comes back and the highest wins here, the same before
 * and after any merge.
 */
async function storedVersions(
  connection: ClickHouseConnection,
  records: readonly NormalizedRecord[],
): Promise<Map<string, Row>> {
  const rows = await connection.selectWith(
    {
      name: 'batch_keys',
      columns: 'provider_id String, record_id String',
      rows: records.map((record) => ({ provider_id: record.providerId, record_id: record.recordId })),
    },
    `SELECT ${STORED_COLUMNS} FROM ${TABLE}
     PREWHERE record_id IN (SELECT record_id FROM batch_keys)
     WHERE (provider_id, record_id) IN batch_keys`,
  );
  const stored = new Map<string, Row>();
  for (const row of rows) {
    const key = keyOf(text(row.provider_id), text(row.record_id));
    const held = stored.get(key);
    if (held === undefined || integer(row.version) > integer(held.version)) stored.set(key, row);
  }
  return stored;
}

/**
 * The person links table for a persons query, or null while it holds no link (`ANY_LINK_SQL`): then persons are counted by
 * their own keys without the join (most deployments link exactly, so it stays empty). Like cells and total, the
 * check and the query are two reads without a snapshot between them: a first link written in between is counted
 * from the next query on, as if it had been written just after this one.
 */
async function linksOf(connection: ClickHouseConnection, query: StoreQuery): Promise<string | null> {
  if (query.unit !== 'persons') return null;
  return (await connection.select(ANY_LINK_SQL)).length > 0 ? PERSON_LINKS_TABLE : null;
}

/**
 * Most rows one insert into `record_changes` carries: a larger batch goes as several inserts, each holding whole
 * records (a new version and the -1 row of the version it replaces are never split), each written whole or not at
 * all.
 */
const MAX_ROWS_PER_INSERT = 100_000;

/**
 * Most signed rows an apply certifies the counters of its periods for itself (`apply-certification.ts`): a one-record
 * submission's batch, and the small batches of a quiet system, whose reads right after should not wait for the
 * refresher. Larger batches leave it to the refresher: their change takes longer to read than it saves.
 */
export const CERTIFY_ROWS = 1000;

/**
 * An indicator store over an open connection. The connection's owner decides what `close` closes; `logger` is told
 * when `migrate` could not build the rolling counts.
 */
export function createIndicatorStoreOn(
  connection: ClickHouseConnection,
  close: () => Promise<void>,
  logger: StoreLogger = STDERR_LOGGER,
  /** Batches of up to this many signed rows certify their periods' counters themselves; 0 for none. */
  certifyRows: number = CERTIFY_ROWS,
): ClickHouseIndicatorStore {
  let applying: Promise<unknown> = Promise.resolve();

  const inserts = new InsertTracker(connection, () => invalidateRolling(connection));
  const tables = rollingTables();
  const fingerprint = tables.fingerprint;
  // The counters versions this store last found certified: each read reads only those and later ones.
  const versions = new CounterVersionsCache();
  // Results kept while no table they read changed (`result-cache.ts`): a read asked again costs one small statement.
  const results = new ResultCache<StoreResult>(() => readState(connection), cellsOf);
  const partResults = new ResultCache<StoreResult[] | undefined>(
    () => readState(connection),
    (parts) => (parts ?? []).reduce((sum, part) => sum + cellsOf(part), 0),
  );
  // The first refresh prunes too, so that restarts do not put pruning off.
  let lastPruned = -Infinity;

  const warnUncertified = (error: unknown): void =>
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'an apply could not certify its periods: reads group the references until the next refresh',
    );

  const warnIncomplete = (error: unknown): void =>
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'certified person counters could not be marked complete: reads take two statements until a refresh',
    );

  async function applyNow(records: readonly NormalizedRecord[]): Promise<ApplyOutcome> {
    // latestPerRecord keeps every occurrence of a repeated object; a set keeps one.
    const latest = [...new Set(latestPerRecord(records))];
    const rows = latest.map(toInsertRow);
    await inserts.settle();
    const stored = await storedVersions(connection, latest);
    let applied = 0;
    const chunks: Row[][] = [[]];
    for (const [index, record] of latest.entries()) {
      const previous = stored.get(keyOf(record.providerId, record.recordId));
      if (previous !== undefined && record.version <= integer(previous.version)) continue;
      if (chunks.at(-1)!.length + 2 > MAX_ROWS_PER_INSERT) chunks.push([]);
      const chunk = chunks.at(-1)!;
      if (previous !== undefined && !isWithdrawnRow(previous)) chunk.push(signedStoredRow(previous));
      chunk.push({ sign: 1, ...rows[index]! });
      applied += 1;
    }
    // The person counters of the periods written are stale from the begin mark until a refresh after the end mark
    // (person-counters.ts); the end is marked whatever the inserts did (a failed one invalidates the rolling tables).
    const signed = chunks.flat();
    const periods = touchedPeriods(signed);
    // Read before the begin mark (step 1 of apply-certification.ts); failing, it only leaves the periods to the
    // refresher, as a failed certification does.
    const before =
      signed.length <= certifyRows
        ? await certifiedBefore(connection, tables, periods).catch((error: unknown) => {
            warnUncertified(error);
            return NOTHING_CERTIFIED;
          })
        : NOTHING_CERTIFIED;
    const open = await openPeriods(connection, fingerprint, periods);
    try {
      for (const chunk of chunks) {
        open.assertHeld();
        await inserts.insert(chunk);
      }
    } finally {
      await open.end();
    }
    // The batch is applied: a certification that fails only leaves its periods to the refresher.
    await certifyApplied(connection, tables, signed, before).catch(warnUncertified);
    return { applied, ignored: records.length - applied };
  }

  async function queryNow(query: StoreQuery): Promise<StoreResult> {
    const read = rollingReadOf(query);
    if (read !== undefined) {
      const rolling = await readCatalogue(connection, query, read, tables, versions);
      if (rolling !== undefined) return rolling.result;
    }
    const links = await linksOf(connection, query);
    const { cellsSql, totalSql, single } = buildIndicatorSql(query, clickHouseDialect, TABLE, links);
    if (single !== undefined) {
      const { rows, totals } = await connection.selectWithTotals(single.sql);
      return resultOfSingle(query, single.total, rows, totals);
    }
    const [cellRows, whole] = await Promise.all([connection.select(cellsSql), totalNow(query, totalSql)]);
    return {
      cells: cellsFromRows(query, cellRows),
      total: whole.total,
      ...(query.keySums === true ? { totalKeySum: whole.totalKeySum } : {}),
    };
  }

  /**
   * The total beside cells that need a statement of their own (list breakdowns): the rolling counts' total of the
   * same filters where they hold it, else `totalSql`. Both scan `records_current FINAL`, whose merge runs in one
   * thread on 18.16, so the second scan beside the cells' doubled such a query at 10 M records; the rolling total is
   * a few milliseconds, and as exact (the cells and the total were two statements before too).
   */
  async function totalNow(query: StoreQuery, totalSql: string): Promise<StoreResult> {
    const whole = partQuery(query, []);
    const read = rollingReadOf(whole);
    if (read !== undefined) {
      const rolling = await readCatalogue(connection, whole, read, tables, versions);
      if (rolling !== undefined) return rolling.result;
    }
    return resultOfTwo(whole, [], (await connection.select(totalSql))[0]);
  }

  async function queryPartsNow(
    query: StoreQuery,
    parts: readonly (readonly string[])[],
  ): Promise<StoreResult[] | undefined> {
    const queries = parts.map((part) => partQuery(query, part));
    const reads = queries.map((q) => rollingReadOf(q));
    // A table whose every part is a catalogue read (a report's margins by catalogue groupings) is a few reads of
    // rolling counts, where one statement over the current records would scan them all. Each part is exact as of
    // its own check, as `query` is (ClickHouse has no snapshot across statements).
    if (reads.length > 0 && reads.every((read) => read !== undefined)) {
      const rolling = await Promise.all(
        reads.map((read, index) => readCatalogue(connection, queries[index]!, read, tables, versions)),
      );
      if (rolling.every((part) => part !== undefined)) return rolling.map((part) => part.result);
    }
    const links = await linksOf(connection, query);
    const plan = buildPartsSql(query, parts, clickHouseDialect, TABLE, links);
    return plan === undefined ? undefined : partsFromRows(query, plan, await connection.select(plan.sql));
  }

  return {
    async migrate(): Promise<void> {
      await migrate(connection);
      // Versions certified before completion rows were written get theirs, so that reads find them in one statement.
      // Only a speed-up: a failure leaves those reads to take two statements until the next refresh.
      if (await buildRollingOrFallBack(connection, logger))
        await completeCertified(connection, tables).catch(warnIncomplete);
    },

    takeOver(): void {
      inserts.takeOver();
    },

    async refreshCounters(): Promise<CountersRefresh> {
      const refreshed = await refreshCounters(connection, tables);
      // Certifications left without completion rows (an aggregator of an older version, a failed completion) would
      // cost quiet periods, never certified again, a second statement on every read: one cheap insert completes them.
      await completeCertified(connection, tables).catch(warnIncomplete);
      // Each pruning is a mutation that rewrites parts: a few an hour keep the table small enough. A failed one is
      // only reported: the refresh's outcome (the lease to wake up for) must reach the refresher all the same.
      if (Date.now() - lastPruned >= PRUNE_EVERY_MS) {
        lastPruned = Date.now();
        await pruneCounters(connection, tables).catch((error: unknown) =>
          logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'person counters could not be pruned: older versions stay until the next pruning',
          ),
        );
      }
      return refreshed;
    },

    apply(records: readonly NormalizedRecord[]): Promise<ApplyOutcome> {
      if (records.length === 0) return Promise.resolve({ applied: 0, ignored: 0 });
      const result = applying.then(() => applyNow(records));
      applying = result.catch(() => undefined);
      return result;
    },

    query(query: StoreQuery): Promise<StoreResult> {
      return results.get(JSON.stringify(query), () => queryNow(query));
    },

    queryParts(query, parts) {
      return partResults.get(JSON.stringify([query, parts]), () => queryPartsNow(query, parts));
    },

    async timeliness(providerIds) {
      return timelinessFromRows(
        await connection.select(buildTimelinessSql(providerIds, clickHouseDialect, TABLE)),
      );
    },

    async countRecords(): Promise<number> {
      const rows = await connection.select(
        `SELECT count() AS n FROM ${clickHouseDialect.table(TABLE)} WHERE ${clickHouseDialect.notWithdrawn}`,
      );
      return toCount(rows[0]?.n ?? 0);
    },

    close,
  };
}
