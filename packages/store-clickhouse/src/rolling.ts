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
  buildGrainReadSql,
  countersEligible,
  grainRefRowsSql,
  grainRefsDdl,
  type CounterVersions,
  type CounterVersionsOfParts,
} from './rolling-grain-sql.js';
import { cellRowsSql, refRowsSql, rollingTablesDdl } from './rolling-sql.js';
import { signedRecordRowsSql, signedRecordsDdl } from './signed-records.js';

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
  /** The signed records ad-hoc queries read (`signed-records.ts`). */
  readonly records: string;
  readonly recordsView: string;
  /**
   * Exists while a process builds the tables (created without IF NOT EXISTS: whoever creates it builds); its one
   * column is named for its owner's token (`owner_<token>`), so the owner is known from the moment it exists.
   */
  readonly lock: string;
}

/**
 * The tables this store keeps besides the groupings' (`ROLLING_FINGERPRINT`): 2 adds the grain references, 3 the
 * signed records. A new layout is a new fingerprint, so a database built before is rebuilt by the next `migrate`.
 */
const CLICKHOUSE_LAYOUT = 3;

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
    records: `rolling_records_${fingerprint}`,
    recordsView: `record_changes_to_rolling_records_${fingerprint}`,
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

/**
 * The table of consistency checks that found a fingerprint's signed records exact (`checkRollingConsistency`): each
 * row holds for good (those rows at that build and those blocks were exact), and only the latest can match the blocks
 * of later reads, so merges keep the latest per fingerprint (`checked`, a stamp) and the table stays small.
 */
const CHECKS = 'rolling_checks';

const CHECKS_DDL = `CREATE TABLE IF NOT EXISTS ${CHECKS} (fingerprint String, build Int64, blocks String, checked Int64)
  ENGINE = ReplacingMergeTree(checked) ORDER BY fingerprint`;

/**
 * The statement of the highest block numbers of `records_current` and of the signed records, as one string: it
 * changes with every insert into either (a new part's block number is above every earlier one of its table; merges
 * keep the highest), so two equal answers mean that neither got a row in between.
 */
const blocksSql = (tables: RollingTables): string =>
  `SELECT concat(toString(maxIf(max_block_number, table = 'records_current')), ':',
     toString(maxIf(max_block_number, table = ${sqlLiteral(tables.records)})))
   FROM system.parts WHERE database = currentDatabase() AND active
     AND table IN ('records_current', ${sqlLiteral(tables.records)})`;

/**
 * One row: `build`, the stamp of the usable build when a consistency check found the signed records exact at the
 * blocks they have now (`checkRollingConsistency`), 0 otherwise (ad-hoc queries must not read them); `blocks`, those
 * blocks; and `linked`, 1 when `persons` and fuzzy linkage linked any record (`ANY_LINK_SQL`). One statement: each
 * costs 18.16 a round trip.
 */
export const adHocStateSql = (tables: RollingTables, persons: boolean): string =>
  `SELECT if(usable != 0 AND (usable, at) IN (SELECT build, blocks FROM ${CHECKS}
       WHERE fingerprint = ${sqlLiteral(tables.fingerprint)}), usable, toInt64(0)) AS build, at AS blocks, linked
   FROM (SELECT (${usableBuildSql(tables.fingerprint)}) AS usable, (${blocksSql(tables)}) AS at,
     ${persons ? `(SELECT count() FROM (${ANY_LINK_SQL}))` : '0'} AS linked)`;

/** Whether the rolling tables of `tables.fingerprint` hold every current record. */
export async function rollingBuilt(
  connection: ClickHouseConnection,
  tables: RollingTables = rollingTables(),
): Promise<boolean> {
  return integer((await connection.select(usableSql(tables)))[0]?.usable ?? 0) === 1;
}

/**
 * Marks the rolling tables as possibly incomplete: an insert into `record_changes` failed, and its views may have
 * written `records_current` without the rolling tables (they are not one transaction). Every fingerprint's tables,
 * not only `tables`': the views of every fingerprint still present (code of older groupings) were fed by the same
 * insert, and a process of this code's fingerprint may be the only one to see the failure. Reads then come from the
 * current records until the next `migrate` (of the code of each fingerprint) rebuilds.
 */
export async function invalidateRolling(
  connection: ClickHouseConnection,
  tables: RollingTables = rollingTables(),
): Promise<void> {
  // Each fingerprint's stamp past its own latest (`nextStampSql`); this code's too when it has no row yet.
  await connection.command(
    `INSERT INTO rolling_state SELECT fingerprint, -greatest(toInt64(now()) * 1000, toInt64(max(abs(completed_at))) + 1)
     FROM (SELECT fingerprint, completed_at FROM rolling_state
           UNION ALL SELECT ${sqlLiteral(tables.fingerprint)} AS fingerprint, toInt64(0) AS completed_at)
     GROUP BY fingerprint`,
  );
}

/** Marks only `tables`' fingerprint as not usable: its build is about to empty them, the others' stay whole. */
async function invalidateOwn(connection: ClickHouseConnection, tables: RollingTables): Promise<void> {
  await connection.command(
    `INSERT INTO rolling_state SELECT ${sqlLiteral(tables.fingerprint)}, -(${nextStampSql(tables)})`,
  );
}

/**
 * One row about the signed records: `twice`, the record versions whose signs sum to neither 0 (replaced) nor 1
 * (current), and `counted`, those summing above 0 (what reads count), against `current`, the records not withdrawn
 * in `records_current FINAL`. Sums survive merges (`signed-records.ts`), so a version written twice is found
 * however late, until a later apply of its record takes its sum back to 1: that one shows as a count above `current`.
 */
export const signedStateSql = (tables: RollingTables): string =>
  `SELECT countIf(s NOT IN (0, 1)) AS twice, countIf(s > 0) AS counted,
     (SELECT count() FROM records_current FINAL WHERE withdrawn = 0) AS current
   FROM (SELECT sum(sign) AS s FROM ${tables.records} GROUP BY kind, provider_id, record_id, version)`;

/**
 * Checks the signed records of the usable build against the current records. When they show a version written
 * twice (a zombie aggregator applying a batch its successor applies too, or a failed insert whose invalidation was
 * lost), it invalidates the rolling tables (`invalidateRolling`): the cells and references were written twice too,
 * and reads would count it wrong until a rebuild. When they are exact and no apply wrote meanwhile, it records them
 * checked at the blocks of both tables: ad-hoc queries read the signed records only at those blocks (`adHocStateSql`),
 * so a version written twice after the check is never read before the next one. Returns whether it invalidated; a
 * no-op while the tables are not usable.
 *
 * A version written twice sums to 2 and the version it replaced to -1 (`twice`); once a later apply of the record
 * replaced it, its sum is 1, the sum of a current version, and only the count tells: every current record counts once
 * in the signed records (the build, and one +1 per version written), and rows written twice only add versions that
 * still count (a -1 row is written only for a version some newer one replaced). So with no version outside 0 and 1
 * and as many counted as current, the versions counted are exactly the current records. The count is compared only
 * when no apply wrote during the statement: none running before or after, and the same blocks in both tables.
 */
export async function checkRollingConsistency(
  connection: ClickHouseConnection,
  tables: RollingTables = rollingTables(),
): Promise<boolean> {
  const build = integer(
    (await connection.select(`SELECT (${usableBuildSql(tables.fingerprint)}) AS b`))[0]?.b ?? 0,
  );
  if (build === 0) return false;
  const prefix = applyPrefix(connection.database);
  const blocks = async (): Promise<string> =>
    text((await connection.select(`SELECT (${blocksSql(tables)}) AS b`))[0]?.b);
  const before = await blocks();
  const quietBefore = (await runningInserts(connection, prefix)) === 0;
  const state = (await connection.select(signedStateSql(tables)))[0];
  const quiet =
    quietBefore && (await runningInserts(connection, prefix)) === 0 && (await blocks()) === before;
  const twice = integer(state?.twice ?? 0) > 0;
  if (twice || (quiet && integer(state?.counted ?? 0) !== integer(state?.current ?? 0))) {
    await invalidateRolling(connection, tables);
    return true;
  }
  if (quiet)
    await connection.command(
      `INSERT INTO ${CHECKS} SELECT ${sqlLiteral(tables.fingerprint)}, toInt64(${build}), ${sqlLiteral(before)},
       (${nextStamp('toInt64(max(checked))', `${CHECKS} WHERE fingerprint = ${sqlLiteral(tables.fingerprint)}`)})`,
    );
  return false;
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
    signedRecordsDdl(tables.records),
    CHECKS_DDL,
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
  await connection.command(
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${tables.recordsView} TO ${tables.records} AS ${signedRecordRowsSql(RECORD_CHANGES)}`,
  );
  // Tables holding a version written twice are rebuilt here rather than used (`checkRollingConsistency`).
  await checkRollingConsistency(connection, tables);
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
      await invalidateOwn(connection, tables);
      // The build's stamp, taken before it reads: an invalidation written from here on ties with it or passes it,
      // so the completion below can never mask the partial write of an apply that failed during the build.
      const stamp = integer((await connection.select(`SELECT (${nextStampSql(tables)}) AS s`))[0]?.s);
      await connection.command(`TRUNCATE TABLE ${tables.cells}`);
      await connection.command(`TRUNCATE TABLE ${tables.refs}`);
      await connection.command(`TRUNCATE TABLE ${tables.grainRefs}`);
      await connection.command(`TRUNCATE TABLE ${tables.records}`);
      const source = 'records_current FINAL';
      await connection.command(`INSERT INTO ${tables.cells} ${cellRowsSql(source, 'toInt8(1)')}`);
      await connection.command(`INSERT INTO ${tables.refs} ${refRowsSql(source, 'toInt8(1)')}`);
      await connection.command(`INSERT INTO ${tables.grainRefs} ${grainRefRowsSql(source, 'toInt8(1)')}`);
      await connection.command(`INSERT INTO ${tables.records} ${signedRecordRowsSql(source, 'toInt8(1)')}`);
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
      // Checked at once, so that ad-hoc queries read the signed records before the first apply's refresh.
      await checkRollingConsistency(connection, tables);
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
 * The counters versions a process last found certified for each grain selection: a read looks them up and checks
 * them in the same statement, so that it needs no statement of its own to learn them. A few hundred selections
 * (the catalogue's, and reports' periods); the oldest is dropped beyond.
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
): string {
  // The read sums each key's rows (cells, and references per (cell, person) before testing > 0), so unmerged
  // parts of the SummingMergeTree count right.
  // Persons reads over whole periods of a grain, all providers, count their persons with an identity from the
  // grain references (one row per person and period) rather than from the finest, or look them up in the person
  // counters.
  const grain = buildGrainReadSql(query, read, rollingGrainsOf(read), tables, counters, flags);
  if (grain !== undefined) return grain;
  const sql = buildRollingReadSql(query, read, clickHouseDialect, { cells: tables.cells, refs: tables.refs });
  if (flags === undefined) return sql;
  const keySums = query.keySums === true;
  const columns = ['part', ...read.columns.map((_, i) => `k${i}`), 'period_label', 'n'];
  const head = [`'h'`, ...read.columns.map(() => `''`), `''`, `toInt64(${flags})`];
  return (
    `SELECT ${[...columns, ...(keySums ? ['key_sum'] : [])].join(', ')} FROM (${sql}) ` +
    `UNION ALL SELECT ${[...head, ...(keySums ? ['toInt64(0)'] : [])].join(', ')}`
  );
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
 * The parts the person counters could answer are looked up in the versions `cache` holds for their selections, and
 * the same statement reads the state of those periods now: the rows are used when every period is valid at the
 * version looked up, so they are the counters a check-then-read would have used (`person-counters.ts`; the rows of
 * a certified version are all written before its certification, and kept long after a later one). Otherwise the
 * versions found certified are cached and the read runs again, and a part with a period not valid now is read from
 * the grain references; a third statement reads every part from the references.
 */
export async function readCatalogue(
  connection: ClickHouseConnection,
  query: StoreQuery,
  read: RollingRead,
  tables: RollingTables = rollingTables(),
  cache: CounterVersionsCache = new CounterVersionsCache(),
): Promise<CatalogueRead | undefined> {
  const flags = headFlagsSql(query, tables);
  let parts = counterParts(query, read);
  for (let statement = 1; ; statement++) {
    const counters: { cells?: CounterVersions; total?: CounterVersions } = {};
    for (const [part, selection] of parts) counters[part === 'c' ? 'cells' : 'total'] = cache.get(selection);
    let rows: Row[];
    try {
      rows = await connection.select(rollingReadSql(query, read, tables, counters, flags));
    } catch (error) {
      // Rolling tables left unusable (a failed build or apply, and a table missing or of another layout) can make
      // the statement fail: then only the flags are asked, and the current records answer.
      const head = integer((await connection.select(`SELECT ${flags} AS n`))[0]?.n ?? 0);
      if ((head & USABLE) === 0 || (head & LINKED) !== 0) return undefined;
      throw error;
    }
    const head = integer(rows.find((row) => row.part === 'h')?.n ?? 0);
    if ((head & USABLE) === 0 || (head & LINKED) !== 0) return undefined;
    let retry = false;
    const valid = parts.filter(([part, selection]) => {
      const state = rows
        .filter((row) => row.part === `x${part}`)
        .map((row): [string, number] => [text(row.period_label), integer(row.n)]);
      if ((head & SEEDED) === 0 || state.some(([, version]) => version === 0)) return false;
      if (!sameVersions(state, counters[part === 'c' ? 'cells' : 'total']!)) {
        cache.set(selection, state);
        retry = true;
      }
      return true;
    });
    if (!retry && valid.length === parts.length)
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
  return rollingResultFromRows(query, await connection.select(rollingReadSql(query, read, tables, {})));
}
