/**
 * Rolling counts on ClickHouse: the tables of this code's groupings (`ROLLING_FINGERPRINT`), the materialized views
 * that keep them from `record_changes`, their rebuild from the current records, and catalogue reads.
 *
 * Tables are named by fingerprint (`rolling_cells_<fp>`, `rolling_refs_<fp>`), so code with other groupings keeps
 * its own tables and views untouched, each exact on its own. A build (in `migrate`) creates the tables and views
 * (from then on every apply also writes there), then, holding a lock table so that only one process builds, empties
 * them and fills them from `records_current FINAL` by the same expansion (INSERT … SELECT). That snapshot is exact
 * only if no apply ran meanwhile (its rows would count in the snapshot and through the view): the build checks that
 * no apply insert of this database was running before and after, and that `records_current` got no new block in
 * between, and otherwise starts again (a few times, then gives up and leaves reads on the current records). Only a
 * complete build writes its row to `rolling_state`; reads use the rolling tables only while that row is later than
 * any invalidation (a failed apply insert writes one, `invalidateRolling`).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  ROLLING_FINGERPRINT,
  rollingGrainsOf,
  type GrainSelection,
  type RollingRead,
  type StoreLogger,
  type StoreQuery,
  type StoreResult,
} from '@mosy/core';
import {
  buildRollingReadSql,
  clickHouseDialect,
  integer,
  rollingResultFromRows,
  PERSON_LINKS_TABLE,
  sqlLiteral,
  text,
} from '@mosy/sql';
import type { ClickHouseConnection, Row } from './connection.js';
import { nextStamp } from './stamps.js';
import { RECORD_CHANGES, applyPrefix, quietWithin, runningInserts } from './record-changes.js';
import { countersDdl, markAllPeriods, recordSeeded, seededBuild, seededBuildSql } from './person-counters.js';
import {
  asAnswered,
  buildGrainReadSql,
  countersEligible,
  grainRefRowsSql,
  grainRefsDdl,
  type CounterLookup,
  type CounterVersions,
  type CounterVersionsOfParts,
  type ReadStatement,
} from './rolling-grain-sql.js';
import { cellRowsSql, refRowsSql, rollingTablesDdl } from './rolling-sql.js';

/** The tables and views of one groupings fingerprint. */
export interface RollingTables {
  readonly fingerprint: string;
  readonly cells: string;
  readonly refs: string;
  readonly cellsView: string;
  readonly refsView: string;
  /** Person references over all providers per grain (`rolling-grain-sql.ts`). */
  readonly grainRefs: string;
  readonly grainRefsView: string;
  /** Person counters per grain period, refreshed from the grain references (`person-counters.ts`). */
  readonly counters: string;
  /**
   * Exists while a process builds the tables (created without IF NOT EXISTS: whoever creates it builds); its one
   * column is named for its owner's token (`owner_<token>`), so the owner is known from the moment it exists.
   */
  readonly lock: string;
}

/**
 * The tables this store keeps besides the groupings' (`ROLLING_FINGERPRINT`): 2 adds the grain references. A new
 * layout is a new fingerprint, so a database built before is rebuilt by the next `migrate`.
 */
const CLICKHOUSE_LAYOUT = 2;

/** The fingerprint of this code's rolling tables on ClickHouse: the groupings' and the table layout's. */
export const CLICKHOUSE_ROLLING_FINGERPRINT = createHash('sha256')
  .update(JSON.stringify([ROLLING_FINGERPRINT, CLICKHOUSE_LAYOUT]))
  .digest('hex')
  .slice(0, 16);

export function rollingTables(fingerprint: string = CLICKHOUSE_ROLLING_FINGERPRINT): RollingTables {
  if (!/^[0-9a-f]+$/.test(fingerprint)) throw new Error('a rolling fingerprint is hexadecimal');
  return {
    fingerprint,
    cells: `rolling_cells_${fingerprint}`,
    refs: `rolling_refs_${fingerprint}`,
    cellsView: `record_changes_to_rolling_cells_${fingerprint}`,
    refsView: `record_changes_to_rolling_refs_${fingerprint}`,
    grainRefs: `rolling_grain_refs_${fingerprint}`,
    grainRefsView: `record_changes_to_rolling_grain_refs_${fingerprint}`,
    counters: `rolling_counters_${fingerprint}`,
    lock: `rolling_build_${fingerprint}`,
  };
}

/**
 * One row when fuzzy linkage gave any record a person key ('' unlinks one, and counts as its own key), none
 * otherwise. Without FINAL: a linked row not yet replaced only makes a read take the linked path, which is exact too.
 */
export const ANY_LINK_SQL = `SELECT 1 AS one FROM ${PERSON_LINKS_TABLE} WHERE person_key != '' LIMIT 1`;

/**
 * `rolling_state` rows: a build of a fingerprint completed at stamp t (`completed_at = t`), or its tables were found
 * possibly incomplete at stamp t (`completed_at = -t`, `invalidateRolling`). The tables hold every current record
 * when the last build is later than the last invalidation (a tie counts as invalid).
 *
 * The stamp of a new `rolling_state` row (`nextStamp`): past every stamp of the fingerprint so far. A second is too
 * coarse: an invalidation and the rebuild after it often fall in the same one, and the tie would leave the rebuilt
 * tables unused. Two rows written at the same moment may still tie, which counts as invalid.
 */
const nextStampSql = (tables: RollingTables): string =>
  nextStamp(
    'toInt64(max(abs(completed_at)))',
    `rolling_state WHERE fingerprint = ${sqlLiteral(tables.fingerprint)}`,
  );

/**
 * The scalar statement of the stamp of the fingerprint's last completed build while its tables are usable (that build
 * later than every invalidation), 0 while they are not: a writer that reads it twice knows that no rebuild emptied
 * the tables in between when both reads name the same build (`apply-certification.ts`).
 */
export const usableBuildSql = (fingerprint: string): string =>
  `SELECT if(built > invalid, built, toInt64(0)) FROM (SELECT toInt64(maxIf(completed_at, completed_at > 0)) AS built,
     toInt64(maxIf(-completed_at, completed_at < 0)) AS invalid FROM rolling_state
     WHERE fingerprint = ${sqlLiteral(fingerprint)})`;

const usableSql = (tables: RollingTables): string =>
  `SELECT maxIf(completed_at, completed_at > 0) > maxIf(-completed_at, completed_at < 0) AS usable
   FROM rolling_state WHERE fingerprint = ${sqlLiteral(tables.fingerprint)}`;

/** Whether the rolling tables of `tables.fingerprint` hold every current record. */
export async function rollingBuilt(
  connection: ClickHouseConnection,
  tables: RollingTables = rollingTables(),
): Promise<boolean> {
  return integer((await connection.select(usableSql(tables)))[0]?.usable ?? 0) === 1;
}

/**
 * Marks this fingerprint's rolling tables as possibly incomplete: an insert into `record_changes` failed, and its
 * views may have written `records_current` without the rolling tables (they are not one transaction). Reads then
 * come from the current records until the next `migrate` rebuilds.
 */
export async function invalidateRolling(
  connection: ClickHouseConnection,
  tables: RollingTables = rollingTables(),
): Promise<void> {
  await connection.command(
    `INSERT INTO rolling_state SELECT ${sqlLiteral(tables.fingerprint)}, -(${nextStampSql(tables)})`,
  );
}

/** The stamp of the fingerprint's last invalidation, 0 for none. */
async function lastInvalidation(connection: ClickHouseConnection, tables: RollingTables): Promise<number> {
  const rows = await connection.select(
    `SELECT maxIf(-completed_at, completed_at < 0) AS i FROM rolling_state WHERE fingerprint = ${sqlLiteral(tables.fingerprint)}`,
  );
  return integer(rows[0]?.i ?? 0);
}

/** The stamp of the fingerprint's last completed build, 0 for none. */
async function lastCompletion(connection: ClickHouseConnection, tables: RollingTables): Promise<number> {
  const rows = await connection.select(
    `SELECT maxIf(completed_at, completed_at > 0) AS c FROM rolling_state WHERE fingerprint = ${sqlLiteral(tables.fingerprint)}`,
  );
  return integer(rows[0]?.c ?? 0);
}

/** The highest block number written to `records_current` (grows with every insert, kept by merges). */
async function lastBlock(connection: ClickHouseConnection): Promise<number> {
  const rows = await connection.select(
    `SELECT max(max_block_number) AS b FROM system.parts
     WHERE database = currentDatabase() AND table = 'records_current' AND active`,
  );
  return integer(rows[0]?.b ?? 0);
}

export interface BuildOptions {
  /** Tries before giving up when applies keep running. @defaultValue 5 */
  readonly attempts?: number;
  /** Longest wait for running applies before each try. @defaultValue 10_000 */
  readonly settleMs?: number;
  /** A lock older than this is taken to belong to a build that died and is dropped. @defaultValue 3_600_000 */
  readonly staleLockMs?: number;
}

/**
 * For tables found usable: a build made before the counters existed (or whose seeding was interrupted) has every
 * period marked once, so that counters certified before it are not used.
 */
async function seedBuilt(connection: ClickHouseConnection, tables: RollingTables): Promise<true> {
  const built = await lastCompletion(connection, tables);
  if ((await seededBuild(connection, tables.fingerprint)) < built) {
    await markAllPeriods(connection, tables);
    await recordSeeded(connection, tables.fingerprint, built);
  }
  return true;
}

/**
 * Creates this fingerprint's tables and views and, unless `rolling_state` says they are complete, fills them from
 * the current records. Returns whether they are complete now (false: another process builds them, or applies kept
 * running; reads stay on the current records and the next `migrate` tries again).
 */
export async function buildRolling(
  connection: ClickHouseConnection,
  options: BuildOptions = {},
  tables: RollingTables = rollingTables(),
): Promise<boolean> {
  for (const ddl of [
    ...rollingTablesDdl(tables.cells, tables.refs),
    grainRefsDdl(tables.grainRefs),
    countersDdl(tables.counters),
  ])
    await connection.command(ddl);
  await connection.command(
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${tables.cellsView} TO ${tables.cells} AS ${cellRowsSql(RECORD_CHANGES)}`,
  );
  await connection.command(
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${tables.refsView} TO ${tables.refs} AS ${refRowsSql(RECORD_CHANGES)}`,
  );
  await connection.command(
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${tables.grainRefsView} TO ${tables.grainRefs} AS ${grainRefRowsSql(RECORD_CHANGES)}`,
  );
  if (await rollingBuilt(connection, tables)) return seedBuilt(connection, tables);
  const token = randomUUID().replaceAll('-', '');
  if (!(await takeLock(connection, tables, options.staleLockMs ?? 3_600_000, token))) return false;
  try {
    // Another process may have built and released the lock since the check above: emptying its usable tables now
    // would serve reads from half-refilled ones (they stay marked usable while this build refills them).
    if (await rollingBuilt(connection, tables)) return await seedBuilt(connection, tables);
    const prefix = applyPrefix(connection.database);
    for (let attempt = 0; attempt < (options.attempts ?? 5); attempt++) {
      if (!(await quietWithin(connection, prefix, options.settleMs ?? 10_000))) continue;
      const before = await lastBlock(connection);
      if ((await runningInserts(connection, prefix)) > 0) continue;
      // Another process took the lock over as stale: it builds, this one stops.
      if ((await lockOwner(connection, tables)) !== token) return false;
      // Tables are emptied only once marked not usable, whatever the lock did (a build that took over a lock as
      // stale may empty them while the previous builder writes its completion): readers, and an apply's certification
      // comparing the builds before and after its change read, then never take emptied tables for usable ones.
      await invalidateRolling(connection, tables);
      // The build's stamp, taken before it reads: an invalidation written from here on ties with it or passes it,
      // so the completion below can never mask the partial write of an apply that failed during the build.
      const stamp = integer((await connection.select(`SELECT (${nextStampSql(tables)}) AS s`))[0]?.s);
      await connection.command(`TRUNCATE TABLE ${tables.cells}`);
      await connection.command(`TRUNCATE TABLE ${tables.refs}`);
      await connection.command(`TRUNCATE TABLE ${tables.grainRefs}`);
      const source = 'records_current FINAL';
      await connection.command(`INSERT INTO ${tables.cells} ${cellRowsSql(source, 'toInt8(1)')}`);
      await connection.command(`INSERT INTO ${tables.refs} ${refRowsSql(source, 'toInt8(1)')}`);
      await connection.command(`INSERT INTO ${tables.grainRefs} ${grainRefRowsSql(source, 'toInt8(1)')}`);
      if (
        (await runningInserts(connection, prefix)) > 0 ||
        (await lastBlock(connection)) !== before ||
        (await lastInvalidation(connection, tables)) >= stamp
      )
        continue;
      if ((await lockOwner(connection, tables)) !== token) return false;
      // Every period is marked before the build counts as complete (counters certified before are stale now), and
      // the build counts as seeded after: reads use counters only from then on.
      await markAllPeriods(connection, tables);
      await connection.command(
        `INSERT INTO rolling_state SELECT ${sqlLiteral(tables.fingerprint)}, toInt64(${stamp})`,
      );
      await recordSeeded(connection, tables.fingerprint, stamp);
      return true;
    }
    return false;
  } finally {
    if ((await lockOwner(connection, tables)) === token)
      await connection.command(`DROP TABLE IF EXISTS ${tables.lock}`);
  }
}

/**
 * `buildRolling` as `migrate` runs it: a build that fails (a statement refused, the server gone) must not keep the
 * service from starting. It is logged (the error's message only). Reads stay where they were: a build only empties
 * tables that were not usable already, and a failed one writes no completion, so they stay on the current records
 * until a later migrate builds; tables that were complete (a blip in the DDL) stay in use.
 */
export async function buildRollingOrFallBack(
  connection: ClickHouseConnection,
  logger: StoreLogger,
  tables: RollingTables = rollingTables(),
): Promise<boolean> {
  try {
    return await buildRolling(connection, {}, tables);
  } catch (error) {
    logger.warn(
      { fingerprint: tables.fingerprint, err: error instanceof Error ? error.message : String(error) },
      'rolling counts could not be built: catalogue reads use the current records until the next migrate',
    );
    return false;
  }
}

/**
 * The token of the process holding the build lock `table` (`tables.lock` unless given): undefined without a lock, ''
 * for a lock of code before tokens.
 */
export async function lockOwner(
  connection: ClickHouseConnection,
  tables: RollingTables,
  table: string = tables.lock,
): Promise<string | undefined> {
  const columns = await connection.select(
    `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = ${sqlLiteral(table)}`,
  );
  if (columns.length === 0) return undefined;
  const name = String(columns[0]!.name);
  return name.startsWith('owner_') ? name.slice('owner_'.length) : '';
}

/**
 * Takes the build lock for `token`: creates it (a table only one CREATE can make), after taking over a lock older
 * than `staleMs` (`takeStaleLock`). False when another process holds it.
 */
export async function takeLock(
  connection: ClickHouseConnection,
  tables: RollingTables,
  staleMs: number,
  token: string,
): Promise<boolean> {
  const held = await connection.select(
    `SELECT toInt64(now()) - toInt64(metadata_modification_time) AS age FROM system.tables
     WHERE database = currentDatabase() AND name = ${sqlLiteral(tables.lock)}`,
  );
  if (held.length > 0) {
    if (integer(held[0]!.age) * 1000 < staleMs) return false;
    const stale = await lockOwner(connection, tables);
    // Undefined: released meanwhile.
    if (stale !== undefined && !(await takeStaleLock(connection, tables, stale, token))) return false;
  }
  try {
    await connection.command(`CREATE TABLE ${tables.lock} (owner_${token} UInt8) ENGINE = TinyLog`);
  } catch {
    return false;
  }
  return (await lockOwner(connection, tables)) === token;
}

/**
 * Removes the lock of `staleOwner`, found stale, so that `token` may create its own. Two processes may have found the
 * same stale lock, and the first may have replaced it with its own already: the lock is renamed away (only one
 * rename of it succeeds) and dropped only if it was `staleOwner`'s; a live owner's is renamed back. False when the
 * lock was not `staleOwner`'s (any more).
 */
export async function takeStaleLock(
  connection: ClickHouseConnection,
  tables: RollingTables,
  staleOwner: string,
  token: string,
): Promise<boolean> {
  const aside = `${tables.lock}_stale_${token}`;
  try {
    await connection.command(`RENAME TABLE ${tables.lock} TO ${aside}`);
  } catch {
    return false;
  }
  if ((await lockOwner(connection, tables, aside)) === staleOwner) {
    await connection.command(`DROP TABLE ${aside}`);
    return true;
  }
  // Its owner checks the lock before it writes: back before it looks, or it stops building (safe either way).
  await connection.command(`RENAME TABLE ${aside} TO ${tables.lock}`).catch(() => undefined);
  return false;
}

/**
 * The flags a catalogue read's statement answers with (part 'h', `n`): `USABLE` when the rolling tables hold every
 * current record, `LINKED` when fuzzy linkage linked a record and the read counts persons (it must then come from
 * the current records), `SEEDED` when the latest build was seeded, so that certified counters may be used.
 */
const USABLE = 1;
const LINKED = 2;
const SEEDED = 4;

function headFlagsSql(query: StoreQuery, tables: RollingTables): string {
  const fingerprint = sqlLiteral(tables.fingerprint);
  const linked = query.unit === 'persons' ? `(SELECT count() FROM (${ANY_LINK_SQL}))` : '0';
  // One scalar over rolling_state (usable, and the build the seeding must reach): each subquery costs 18.16 time.
  return (
    `(SELECT toInt64(${USABLE} * (built > invalid) + ${LINKED} * ${linked} + ` +
    `${SEEDED} * ((${seededBuildSql(tables.fingerprint)}) >= built)) ` +
    `FROM (SELECT toInt64(maxIf(completed_at, completed_at > 0)) AS built, ` +
    `toInt64(maxIf(-completed_at, completed_at < 0)) AS invalid FROM rolling_state WHERE fingerprint = ${fingerprint}))`
  );
}

/** The parts of a persons read that the grain references answer and the counters could (`buildGrainReadSql`). */
function counterParts(query: StoreQuery, read: RollingRead): (readonly ['c' | 't', GrainSelection])[] {
  if (query.unit !== 'persons') return [];
  const plan = rollingGrainsOf(read);
  const routed = (['c', 't'] as const).filter((part) => (part === 'c' ? plan.cells : plan.total));
  if (routed.length === 1 && read.grouping.index === read.total.index) return [];
  return routed
    .filter((part) => countersEligible(read, part))
    .map((part) => [part, (part === 'c' ? plan.cells : plan.total)!] as const);
}

/**
 * The counters versions a process last found certified for each grain selection: a read reads only those and later
 * versions (`CounterLookup`), as few rows as the versions it will use. A hint, never trusted: what a read uses it
 * checks in its own statement. A few hundred selections (the catalogue's, and reports' periods); the oldest is
 * dropped beyond.
 */
export class CounterVersionsCache {
  readonly #versions = new Map<string, CounterVersions>();
  constructor(private readonly size = 512) {}

  get(selection: GrainSelection): CounterVersions {
    return this.#versions.get(JSON.stringify(selection)) ?? [];
  }

  set(selection: GrainSelection, versions: CounterVersions): void {
    const key = JSON.stringify(selection);
    this.#versions.delete(key);
    this.#versions.set(key, versions);
    if (this.#versions.size > this.size) this.#versions.delete(this.#versions.keys().next().value!);
  }
}

const sameVersions = (a: CounterVersions, b: CounterVersions): boolean => {
  const key = (versions: CounterVersions): string =>
    versions
      .map(([period, version]) => `${period}|${version}`)
      .sort()
      .join(',');
  return key(a) === key(b);
};

/**
 * The statement of a read from the rolling tables, the parts in `counters` looked up in the person counters of the
 * versions given, with a row of part 'h' whose `n` is the value of `flags`.
 */
function rollingReadSql(
  query: StoreQuery,
  read: RollingRead,
  tables: RollingTables,
  counters: CounterVersionsOfParts,
  flags?: string,
): ReadStatement {
  // The read sums each key's rows (cells, and references per (cell, person) before testing > 0), so unmerged
  // parts of the SummingMergeTree count right.
  // Persons reads over whole periods of a grain, all providers, count their persons with an identity from the
  // grain references (one row per person and period) rather than from the finest, or look them up in the person
  // counters.
  const grain = buildGrainReadSql(query, read, rollingGrainsOf(read), tables, counters, flags);
  if (grain !== undefined) return grain;
  const sql = buildRollingReadSql(query, read, clickHouseDialect, { cells: tables.cells, refs: tables.refs });
  if (flags === undefined) return { sql, rowsOf: asAnswered };
  const keySums = query.keySums === true;
  const columns = ['part', ...read.columns.map((_, i) => `k${i}`), 'period_label', 'n'];
  const head = [`'h'`, ...read.columns.map(() => `''`), `''`, `toInt64(${flags})`];
  return {
    sql:
      `SELECT ${[...columns, ...(keySums ? ['key_sum'] : [])].join(', ')} FROM (${sql}) ` +
      `UNION ALL SELECT ${[...head, ...(keySums ? ['toInt64(0)'] : [])].join(', ')}`,
    rowsOf: asAnswered,
  };
}

/** A catalogue read's result, and how many of its parts the person counters answered. */
export interface CatalogueRead {
  readonly result: StoreResult;
  readonly lookedUp: number;
}

/**
 * A catalogue read from the rolling tables, in one statement that also says whether it may be used (read by read,
 * so a process sees an invalidation, a rebuild or a refresh by another at once): undefined when it must come from
 * the current records (the rolling tables miss some current record, or fuzzy linkage linked a record and the read
 * counts persons).
 *
 * The parts the person counters could answer are looked up in the versions the same statement finds certified (among
 * the versions `cache` last found and later ones), with the versions' completion rows, and the state of those periods now (`person-counters.ts`): the rows are used when
 * every period is valid at its certified version and the statement read that version's completion row, which
 * proves it read every row of the version, as a check-then-read would have (the rows of a certified version are all
 * written before its completion and its certification, and kept long after a later one). A period valid at a
 * version whose completion the statement did not read (certified between the counters' snapshot and the state's
 * read, or before completions were written) makes the read run again with the versions the state named, each
 * certified before that statement began; a part with a period not valid is read from the grain references; a third
 * statement reads every part from the references.
 */
export async function readCatalogue(
  connection: ClickHouseConnection,
  query: StoreQuery,
  read: RollingRead,
  tables: RollingTables = rollingTables(),
  cache: CounterVersionsCache = new CounterVersionsCache(),
): Promise<CatalogueRead | undefined> {
  const flags = headFlagsSql(query, tables);
  let parts: { part: 'c' | 't'; selection: GrainSelection; lookup: CounterLookup }[] = counterParts(
    query,
    read,
  ).map(([part, selection]) => ({ part, selection, lookup: { certifiedFrom: cache.get(selection) } }));
  for (let statement = 1; ; statement++) {
    const counters: { cells?: CounterLookup; total?: CounterLookup } = {};
    for (const { part, lookup } of parts) counters[part === 'c' ? 'cells' : 'total'] = lookup;
    let rows: readonly Row[];
    try {
      const statement = rollingReadSql(query, read, tables, counters, flags);
      rows = statement.rowsOf(await connection.select(statement.sql));
    } catch (error) {
      // Rolling tables left unusable (a failed build or apply, and a table missing or of another layout) can make
      // the statement fail: then only the flags are asked, and the current records answer.
      const head = integer((await connection.select(`SELECT ${flags} AS n`))[0]?.n ?? 0);
      if ((head & USABLE) === 0 || (head & LINKED) !== 0) return undefined;
      throw error;
    }
    const head = integer(rows.find((row) => row.part === 'h')?.n ?? 0);
    if ((head & USABLE) === 0 || (head & LINKED) !== 0) return undefined;
    const versionsOf = (kind: string): [string, number][] =>
      rows
        .filter((row) => row.part === kind)
        .map((row): [string, number] => [text(row.period_label), integer(row.n)]);
    let again = false;
    const valid: typeof parts = [];
    for (const { part, selection, lookup } of parts) {
      const state = versionsOf(`x${part}`);
      if ((head & SEEDED) === 0 || state.some(([, version]) => version === 0)) continue;
      const found = 'certifiedFrom' in lookup ? versionsOf(`s${part}`) : lookup;
      // Every period of the state at the version read (and, with completions, no completion of another version).
      if (!sameVersions(state, found)) again = true;
      cache.set(selection, state);
      valid.push({ part, selection, lookup: state });
    }
    if (!again && valid.length === parts.length)
      return { result: rollingResultFromRows(query, rows), lookedUp: parts.length };
    // Refreshes certifying again and again between statements: the references, unchecked by counters.
    parts = statement >= 2 ? [] : valid;
  }
}

/** A catalogue read from the rolling tables alone (the grain references, never the counters), unchecked. */
export async function readRolling(
  connection: ClickHouseConnection,
  query: StoreQuery,
  read: RollingRead,
  tables: RollingTables = rollingTables(),
): Promise<StoreResult> {
  const statement = rollingReadSql(query, read, tables, {});
  return rollingResultFromRows(query, statement.rowsOf(await connection.select(statement.sql)));
}
