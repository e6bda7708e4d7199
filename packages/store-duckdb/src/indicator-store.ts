/**
 * The DuckDB `IndicatorStore`: the current state of every record in `records_current`, one row per (provider,
 * recordId). `apply` reduces the batch to the highest version per key, bulk-loads it into a staging table beside
 * the stored version of each key (found by a hash of the key, `key_hash`, then the strings), then in one transaction updates the rows whose stored version is lower and
 * inserts the keys not stored yet, so replays, late versions and withdrawals follow the counting rules and the two
 * statements' change counts are exactly the records applied. (`INSERT … ON CONFLICT DO UPDATE` does the same in one
 * statement but needs a PRIMARY KEY index and measured three to five times slower; see the README.) All writes go
 * through the database's single writer connection, which is also what keeps keys unique. The same transaction
 * keeps the rolling counts (`rolling.ts`). Queries run the SQL of `@mosy/sql` on a reader connection: a catalogue
 * read (`rollingReadOf`) one statement over the rolling counts that also says whether they may be used; any other
 * query (or a catalogue read that statement could not answer) in one read transaction, one statement over the
 * current records where it answers cells and total together, else the two. A report's parts are one rolling read
 * each when every part is a catalogue read, else one statement over the current records. Results are kept until
 * the next write (`ResultCache`), so a dashboard asking the same reads between two applies runs no statement.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  personCountersReadOf,
  rollingReadOf,
  totalQueryOf,
  type ApplyOutcome,
  type StoreLogger,
  type IndicatorStore,
  type NormalizedRecord,
  type RollingRead,
  type StoreQuery,
  type StoreResult,
} from '@mosy/core';
import {
  PERSON_LINKS_TABLE,
  RECORD_COLUMNS,
  buildPersonCountersReadSql,
  buildPartsSql,
  buildRollingReadSql,
  partsFromRows,
  rollingResultFromRows,
  buildTimelinessSql,
  timelinessFromRows,
  duckDbDialect,
  toCount,
  STDERR_LOGGER,
  partQuery,
} from '@mosy/sql';
import {
  SAFE,
  currentAnswerOf,
  currentReadSql,
  usesRolling,
  type Assumed,
  type ReadState,
} from './current-read.js';
import { inTransaction, type DuckDbDatabase } from './database.js';
import { CSV_SELECT, recordsToCsv } from './bulk-load.js';
import { migrate } from './migrations.js';
import { ResultCache } from './result-cache.js';
import {
  ROLLING_IN_SYNC_SQL,
  SIZE_CHECK_ROWS,
  applyRolling,
  compactRolling,
  disownRolling,
} from './rolling.js';

/** The DuckDB indicator store. */
export type DuckDbIndicatorStore = IndicatorStore &
  Required<Pick<IndicatorStore, 'timeliness' | 'queryParts'>>;

const TABLE = 'records_current';
const NAMES = RECORD_COLUMNS.map((column) => column.name);

// Staging holds the batch and, joined once, the version stored for each key (NULL for a new key) and the stored
// row's rowid: new keys are then inserted without another join, only keys with a lower stored version are updated,
// and the rolling counts fetch the rows being replaced, all by rowid (DuckDB then reads only the row groups holding
// them, where a join on the key reads the key columns of every stored record). Stored keys are found by `key_hash`
// alone (migration 008; an integer column, the only one that scan reads), fetched by rowid and matched by the
// strings: a join on the whole key read both strings of every stored record (7 ms at 200k for a batch of one).
const KEY_HASH = (alias: string): string =>
  `md5_number_upper(${alias}.provider_id || '/' || ${alias}.record_id)`;
const SAME_KEY = (stored: string, staged: string): string =>
  `${stored}.key_hash = ${staged}.key_hash AND ${stored}.provider_id = ${staged}.provider_id ` +
  `AND ${stored}.record_id = ${staged}.record_id`;
const STAGE_SQL =
  `CREATE OR REPLACE TEMP TABLE staging AS WITH b AS MATERIALIZED (SELECT *, ${KEY_HASH('csv')} AS key_hash, ` +
  `${duckDbDialect.personKeyNumber('csv.person_key')} AS person_key_number FROM (${CSV_SELECT}) csv) ` +
  `SELECT ${NAMES.map((name) => `b.${name}`).join(', ')}, b.key_hash, b.person_key_number, ` +
  'c.version AS stored_version, c.stored_rowid FROM b LEFT JOIN (' +
  'SELECT c.rowid AS stored_rowid, c.key_hash, c.provider_id, c.record_id, c.version ' +
  // DISTINCT: two staged keys of one hash find the same stored row once.
  `FROM (SELECT DISTINCT found.rowid AS candidate FROM b JOIN ${TABLE} found ON found.key_hash = b.key_hash) m ` +
  `JOIN ${TABLE} c ON c.rowid = m.candidate) c ON ${SAME_KEY('c', 'b')}`;
const COUNT_UPDATES_SQL = 'SELECT count(*) AS n FROM staging WHERE version > stored_version';
const UPDATE_SQL =
  `UPDATE ${TABLE} SET ` +
  RECORD_COLUMNS.filter((column) => !column.key)
    .map((column) => `${column.name} = s.${column.name}`)
    .join(', ') +
  ', person_key_number = s.person_key_number' +
  ` FROM staging s WHERE ${TABLE}.rowid = s.stored_rowid AND s.version > s.stored_version`;
const INSERT_SQL =
  `INSERT INTO ${TABLE} (${NAMES.join(', ')}, key_hash, person_key_number) ` +
  `SELECT ${NAMES.join(', ')}, key_hash, person_key_number FROM staging WHERE stored_version IS NULL`;

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

/** Whether a person link exists, and whether the rolling tables are in sync (`ROLLING_IN_SYNC_SQL`). */
const READ_STATE_SQL = `SELECT EXISTS (SELECT 1 FROM ${PERSON_LINKS_TABLE}) AS linked, ${ROLLING_IN_SYNC_SQL} AS synced`;

/**
 * A catalogue read's statement: persons of all providers over whole periods of one grain from counters. `ordered`
 * off where the enclosing statement sorts or filters its rows (`rollingOuterSql`).
 */
function rollingSqlOf(query: StoreQuery, read: RollingRead, ordered = true): string {
  const counted = personCountersReadOf(query, read);
  return counted === undefined
    ? buildRollingReadSql(query, read, duckDbDialect, undefined, ordered)
    : buildPersonCountersReadSql(query, read, counted, duckDbDialect, undefined, ordered);
}

/** The rows of `rollingSqlOf`, in its order, each with READ_STATE_SQL's columns. */
function rollingWithStateSql(query: StoreQuery, read: RollingRead): string {
  const order = ['part', ...read.columns.map((_, index) => `k${index}`), 'period_label'].join(', ');
  return (
    `SELECT r.*, s.linked, s.synced FROM (${rollingSqlOf(query, read, false)}) r ` +
    `CROSS JOIN (${READ_STATE_SQL}) s ORDER BY ${order}`
  );
}

export interface IndicatorStoreOptions {
  /**
   * Keep and read rolling counts. @defaultValue true. Off only to measure what they cost (`bench/rolling-bench.ts`):
   * a store without them must never share a database with one that has them, whose counts it would leave stale.
   */
  readonly rolling?: boolean;
  /**
   * Rows a rolling table may grow by beyond twice its compacted size before it is compacted (tests).
   * @defaultValue `COMPACTION_MARGIN`
   */
  readonly compactionMarginRows?: number;
  /** Told when `migrate` could not build the rolling counts or a compaction failed. @defaultValue `STDERR_LOGGER` */
  readonly logger?: StoreLogger;
}

/** An indicator store over an open database. The database's owner decides what `close` closes. */
export function createIndicatorStoreOn(
  database: DuckDbDatabase,
  close: () => Promise<void>,
  options: IndicatorStoreOptions = {},
): DuckDbIndicatorStore {
  const rolling = options.rolling ?? true;
  const logger = options.logger ?? STDERR_LOGGER;
  // Rows appended to the rolling tables since their sizes were last checked; the first apply checks them, as they
  // may have grown under another process.
  let appended = SIZE_CHECK_ROWS;
  let compacting: Promise<void> | undefined;
  /**
   * Compacts the rolling tables that grew past their bound, beside the applies (`DuckDbDatabase.maintain`); one
   * compaction at a time, and the next apply tries again after a failure (the tables only stay larger meanwhile).
   */
  const compactBeside = (): void => {
    // A closing database takes no more upkeep: what is left is compacted by a later apply.
    if (compacting !== undefined || appended < SIZE_CHECK_ROWS || database.generation < 0) return;
    appended = 0;
    compacting = database
      .maintain((connection) =>
        inTransaction(connection, () => compactRolling(connection, false, options.compactionMarginRows)),
      )
      .catch((error: unknown) => {
        appended = SIZE_CHECK_ROWS;
        logger.warn({ err: String(error) }, 'the rolling counts could not be compacted; retrying later');
      })
      .finally(() => {
        compacting = undefined;
      });
  };
  const results = new ResultCache<StoreResult>(() => database.generation);
  const partResults = new ResultCache<StoreResult[] | undefined>(() => database.generation);
  // Whether the last READ_STATE_SQL read saw a person link. Links are rarely all removed once made, so while it
  // says so, persons reads skip the rolling attempt that would only report it; the transaction path checks the
  // state again, and uses the rolling counts if they may be used after all.
  let linkedLastSeen = false;
  const seen = (state: Readonly<Record<string, unknown>> | undefined) => {
    if (state !== undefined) linkedLastSeen = state.linked === true;
    return state;
  };

  const readQuery = (query: StoreQuery): Promise<StoreResult> => {
    const read = rolling ? rollingReadOf(query) : undefined;
    // The total alone is often a catalogue read (two list fields crossed, default filters): then a lookup of the
    // rolling counts in the same statement, instead of counting the current records a second time.
    const whole = totalQueryOf(query);
    const wholeRead = rolling && read === undefined ? rollingReadOf(whole) : undefined;
    const rollingTotalSql = wholeRead === undefined ? undefined : rollingSqlOf(whole, wholeRead, false);
    const persons = query.unit === 'persons';
    return database.read(async (connection) => {
      const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
      let state: ReadState | undefined;
      if (read !== undefined && !(persons && linkedLastSeen)) {
        // A catalogue read first as one statement, its rows beside the facts saying whether they may be used; an
        // empty answer says nothing.
        const found = await rows(rollingWithStateSql(query, read));
        state = seen(found[0]);
        if (state !== undefined && usesRolling(query, state)) return rollingResultFromRows(query, found);
      }
      // The current records in one statement, built on the facts last seen; if the facts it read say otherwise (a
      // write in between), once more on those, then on none (`SAFE` holds whatever they are).
      const assumedOn = (facts: ReadState | undefined): Assumed => {
        const linked = persons && (facts === undefined ? linkedLastSeen : facts.linked === true);
        return { linked, rollingTotal: facts === undefined ? !linked : usesRolling(query, facts) };
      };
      let assumed = assumedOn(state);
      for (let attempt = 0; ; attempt++) {
        const current = currentReadSql(query, TABLE, READ_STATE_SQL, assumed, rollingTotalSql);
        const answer = currentAnswerOf(query, current, assumed, await rows(current.sql));
        state = seen(answer.state);
        if (answer.result !== undefined) return answer.result;
        assumed = attempt === 0 ? assumedOn(state) : SAFE;
      }
    });
  };

  const readParts = (query: StoreQuery, parts: readonly (readonly string[])[]) => {
    const queries = parts.map((part) => partQuery(query, part));
    const reads = rolling ? queries.map((q) => rollingReadOf(q)) : [];
    return database.read((connection) =>
      inTransaction(connection, async () => {
        const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
        const state = seen((await rows(READ_STATE_SQL))[0]);
        // A table whose every part is a catalogue read (a report's margins by catalogue groupings) is a few
        // lookups of rolling counts, where one statement over the current records would scan them all.
        if (
          reads.length > 0 &&
          reads.every((read) => read !== undefined) &&
          state !== undefined &&
          usesRolling(query, state)
        ) {
          const results: StoreResult[] = [];
          for (const [index, read] of reads.entries()) {
            const asked = queries[index]!;
            results.push(rollingResultFromRows(asked, await rows(rollingSqlOf(asked, read))));
          }
          return results;
        }
        const links = query.unit === 'persons' && state?.linked === true ? PERSON_LINKS_TABLE : null;
        const plan = buildPartsSql(query, parts, duckDbDialect, TABLE, links);
        if (plan === undefined) return undefined;
        return partsFromRows(query, plan, (await connection.runAndReadAll(plan.sql)).getRowObjectsJS());
      }),
    );
  };

  return {
    async migrate(): Promise<void> {
      await database.write((connection) => migrate(connection, logger));
    },

    async apply(records: readonly NormalizedRecord[]): Promise<ApplyOutcome> {
      if (records.length === 0) return { applied: 0, ignored: 0 };
      const csv = recordsToCsv(latestPerKey(records));
      const file = join(database.scratch, `batch-${randomUUID()}.csv`);
      try {
        // Queued now, in call order: concurrent applies are serialized as called.
        return await database.write(async (connection) => {
          await writeFile(file, csv);
          // The transaction commits durably (WAL, fsync) before apply resolves.
          const applied = await inTransaction(connection, async () => {
            await connection.run(STAGE_SQL, [file]);
            // Before records_current changes: the rolling delta reads the versions being replaced.
            // Without them, rolling_state no longer claims the tables: another store's reads must not trust them.
            if (rolling) appended += await applyRolling(connection);
            else await disownRolling(connection);
            const updates = (await connection.runAndReadAll(COUNT_UPDATES_SQL)).getRowObjectsJS()[0]?.n;
            const updated = toCount(updates) > 0 ? (await connection.run(UPDATE_SQL)).rowsChanged : 0;
            const inserted = (await connection.run(INSERT_SQL)).rowsChanged;
            await connection.run('DROP TABLE staging');
            return updated + inserted;
          });
          return { applied, ignored: records.length - applied };
        });
      } finally {
        if (rolling) compactBeside();
        // Outside the write, which ends (and lets reads be kept again) as soon as its commit returns.
        await rm(file, { force: true });
      }
    },

    query(query: StoreQuery): Promise<StoreResult> {
      return results.get(JSON.stringify(query), () => readQuery(query));
    },

    queryParts(query, parts) {
      return partResults.get(JSON.stringify([query, parts]), () => readParts(query, parts));
    },

    async timeliness(providerIds) {
      const sql = buildTimelinessSql(providerIds, duckDbDialect, TABLE);
      return database.read(async (connection) =>
        timelinessFromRows((await connection.runAndReadAll(sql)).getRowObjectsJS()),
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
