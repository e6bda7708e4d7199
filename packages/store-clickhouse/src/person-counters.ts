/**
 * Person counters per period on ClickHouse: for each grouping, grain, period and codes, the number of distinct
 * persons with an identity and the sum of their key numbers, and the same for persons keyed by their record (sums of
 * the finest cells), so that a persons read of whole periods looks its cells up instead of grouping the grain
 * references (`rolling-grain-sql.ts`) and rolling the finest cells up at read time.
 *
 * ClickHouse has no transactions, and two aggregators may write one person's references at once (partitions are
 * keyed by record), so the counters cannot be kept by apply. They are recomputed from the references, per period,
 * by a refresh, and a read uses them only when a stamp protocol proves them equal to the references:
 * - apply marks every (grain, period) its signed rows touch (`rolling_period_marks_counted`, migrations 010 and
 *   011) BEFORE it writes them (begin: opens +1, marked = a stamp) and again AFTER its last insert returned (end:
 *   opens -1, marked = a new stamp), also when an insert failed;
 * - a refresh takes a stamp r first, then writes the counters of the periods whose certification is older than
 *   their marks as rows of version r, then a completion row of each period's version r (`COMPLETE_GROUPING`), then
 *   certifies those periods at r;
 * - a read uses the counters of a period only when its certification c is later than its every mark and no apply
 *   is open on it (`VALID`), and then reads the rows of version c. One statement does both (`readCatalogue`): it
 *   reads the rows of each period's certified version, found by a subquery, with their completion rows, beside the
 *   periods' state, and uses them when that state names the same versions, valid, and it read their completion
 *   rows: the rows of c were all written before c's completion row, so a snapshot of the counters table that holds
 *   it holds them all (else the read runs again with the versions named, certified before it began).
 * Stamps come from one clock (`nextStampSql`): a stamp taken after another is at least as large. So c > marked
 * means the refresh took c after the end stamp of every apply whose marks the read sees, hence after those
 * applies' inserts returned, and read the references with all of them; an apply whose begin the read does not see
 * has written nothing yet; one whose begin it sees and end it does not is open, and the read falls back. The
 * counters of version c are then exactly what grouping the references (and summing the cells) would give when the
 * read checked. A period without any mark has no references and no cells: the build marks every period it fills
 * (`markAllPeriods`), and reads use counters only once the latest build was seeded. Two refreshes may take the same
 * stamp: when their version is valid for a period, both read every apply it includes and none other, so they wrote
 * equal rows, and a read takes each cell once.
 *
 * An apply killed between its marks leaves its periods open (opens > 0) for good, so they are open only while a
 * lease holds (`open_until`): the begin mark takes one of `LEASE_MS`, a live apply renews it every quarter lease
 * (`openPeriods`), and refreshes certify a period whose every lease ran out. A live apply never lets its lease run
 * out under its inserts: it starts an insert only within half a lease of its last renewal that the server took (by
 * its own monotonic clock, taken after it sent: it may run up to a second ahead of the server's stamps, which are
 * whole seconds, a margin the half lease dwarfs), so an insert has half a lease to return before a refresh may take its periods for closed; one that cannot renew stops inserting and
 * fails the batch, which the aggregator retries. While opens > 0, a read counts only a certification taken once the
 * lease ran out, and a refresh takes a period certified before its lease's end for dirty once the lease ran out: a
 * killed apply's begin may have taken its stamp before a certification's and been written after the certifier read
 * the period, its rows after it, and then its stamp is below the certification but its lease is not. A lease has
 * run out at a stamp or server time t from t >= open_until on, for reads (`VALID`) and refreshes alike, so that a
 * refresh whose stamp is the lease's end (common: stamps are the server's clock in whole seconds, as leases are) is
 * used. Nothing written after a killed apply, or an apply whose end mark failed, pokes the refresher: a refresh that
 * left periods alone under a live lease says when the earliest runs out, and the refresher runs one then
 * (`counters-refresher.ts`). (Each later apply on such a period still holds it for up to a lease after its end, since
 * the running sum cannot tell whose open is left, and until a refresh after that lease: periods written without
 * pause, the all-time one first, then wait for a pause as long as a lease.)
 *
 * A small apply may also certify its own periods at a version of its own, without recounting them
 * (`apply-certification.ts`): every begin, end and build mark adds 1 to its period's `marks` (migration 011), which
 * tells it whether another writer marked them while it wrote.
 *
 * Every refresh writes a new version, so versions no read can use any more are deleted (`pruneCounters`): those of
 * a period below its certified version c once c is older than `PRUNE_GRACE_MS`. A version below c stopped being the
 * certified one when a later certification appeared, no later than c's, which a refresh writes within
 * `MAX_REFRESH_MS` of taking c (else it certifies nothing); so a pruned version has been out of use for at least
 * PRUNE_GRACE_MS − MAX_REFRESH_MS, far longer than a read takes between its check and its rows.
 */
import {
  MosyError,
  ROLLING_GRAINS,
  ROLLING_GROUPINGS,
  periodOfMonth,
  rollingMonthOf,
  type DatePrecision,
} from '@mosy/core';
import { integer, periodExpression, sqlIdentifier, sqlLiteral, text } from '@mosy/sql';
import type { ClickHouseConnection, Row } from './connection.js';
import { nextStamp } from './stamps.js';

/** The tables of a fingerprint the counters need. */
export interface CountersTables {
  readonly fingerprint: string;
  readonly cells: string;
  readonly grainRefs: string;
  readonly counters: string;
}

/** How long an apply's begin mark, or its last renewal, keeps its periods from being certified (`openPeriods`). */
export const LEASE_MS = 300_000;

/** The longest a refresh may take from its stamp to its certification; a slower one certifies nothing. */
export const MAX_REFRESH_MS = 300_000;

/** How old a period's certification must be before the versions below it are deleted (see the module comment). */
export const PRUNE_GRACE_MS = 900_000;

const MARKS = 'rolling_period_marks_counted';
const PERIODS = 'rolling_periods';

/** A (grain number, period label) pair. */
export type GrainPeriod = readonly [grain: number, period: string];

/** A (grain, period) pair as a map key. */
export const keyOf = ([grain, period]: GrainPeriod): string => `${grain}|${period}`;

/**
 * The DDL of a counters table: one generation of rows per refresh stamp (`version`), never replaced. Its statements
 * read the rows of one version of a few periods in every grouping: some dozens of rows per (grouping, period,
 * version), a range of the key each. With the default granules of 8192 rows, one per range, a small apply's
 * certification (`certifiedBefore`) read most of the table, which grows with every certified version until pruned
 * (350,000 of 560,000 rows, 25 ms, for one record on 18.16); granules of 256 rows read 17,600 (6 ms). A table
 * created before keeps its granules, and its reads their cost.
 */
export function countersDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${sqlIdentifier(table)} (grouping_index UInt16, grain UInt8, period String,
       version Int64, k0 String, k1 String, persons Int64, key_sum Int64, own_persons Int64, own_key_sum Int64)
     ENGINE = MergeTree() ORDER BY (grouping_index, grain, period, version, k0, k1)
     SETTINGS index_granularity = 256`;
}

/**
 * The next stamp of the period clock (`nextStamp`): past every mark and certification written so far. A stamp
 * taken after another (in real time) is never smaller; two taken at once may tie, which reads count as invalid.
 */
export const nextStampSql = (fingerprint: string): string =>
  nextStamp(
    'greatest(toInt64(maxMerge(marked)), toInt64(maxMerge(certified)))',
    `${PERIODS} WHERE fingerprint = ${sqlLiteral(fingerprint)}`,
  );

/** Every (grain, period) of a row as the grain references label it (`rolling-grain-sql.ts`). */
export function grainPeriodsOf(periodStart: string, precision: DatePrecision): GrainPeriod[] {
  const month = rollingMonthOf(periodStart, precision);
  return ROLLING_GRAINS.map((grain, index) => [
    index + 1,
    grain === 'all' ? '' : periodOfMonth(grain, month),
  ]);
}

/** The distinct (grain, period) pairs of signed rows (`period_start`, `date_precision` as stored). */
export function touchedPeriods(rows: readonly Row[]): GrainPeriod[] {
  const seen = new Map<string, GrainPeriod>();
  for (const row of rows) {
    for (const pair of grainPeriodsOf(text(row.period_start), text(row.date_precision) as DatePrecision))
      seen.set(keyOf(pair), pair);
  }
  return [...seen.values()];
}

const pairsLiteral = (periods: readonly GrainPeriod[]): string =>
  `[${periods.map(([grain, period]) => `(toUInt8(${grain}), ${sqlLiteral(period)})`).join(', ')}]`;

/**
 * Marks `periods` as written by an apply: `begin` (opens +1, a lease of `leaseMs`) before its first insert, `end`
 * (opens −1) after its last, `renew` (a new lease) between. One statement: the stamp is taken by the server as it
 * inserts.
 */
export async function markPeriods(
  connection: ClickHouseConnection,
  fingerprint: string,
  periods: readonly GrainPeriod[],
  phase: 'begin' | 'renew' | 'end',
  leaseMs: number = LEASE_MS,
): Promise<void> {
  if (periods.length === 0) return;
  const opens = { begin: 1, renew: 0, end: -1 }[phase];
  // A renewal leaves `marked` alone: the periods' certifications stay as stale as the begin made them.
  const marked = phase === 'renew' ? 'toInt64(0)' : 's';
  const until = phase === 'end' ? '0' : `s + ${integer(leaseMs)}`;
  const counted = phase === 'renew' ? 0 : 1;
  await connection.command(
    `INSERT INTO ${MARKS} (fingerprint, grain, period, opens, marked, open_until, certified, marks)
     SELECT ${sqlLiteral(fingerprint)}, tupleElement(p, 1), tupleElement(p, 2), toInt64(${opens}), ${marked},
       toInt64(${until}), toInt64(0), toInt64(${counted})
     FROM (SELECT arrayJoin(${pairsLiteral(periods)}) AS p, (${nextStampSql(fingerprint)}) AS s)`,
  );
}

/** The periods an apply holds open (`openPeriods`). */
export interface OpenPeriods {
  /** Throws when the apply may no longer start an insert: its lease is not known to hold for half a lease more. */
  assertHeld(): void;
  /** Stops renewing and marks the end (also after a failed insert). */
  end(): Promise<void>;
}

/**
 * Marks the begin of an apply on `periods` and renews its lease every quarter lease until `end` (see the module
 * comment). A failed renewal is only reported through `assertHeld`, once the last one that held is too old.
 */
export async function openPeriods(
  connection: ClickHouseConnection,
  fingerprint: string,
  periods: readonly GrainPeriod[],
  leaseMs: number = LEASE_MS,
): Promise<OpenPeriods> {
  let held = performance.now();
  await markPeriods(connection, fingerprint, periods, 'begin', leaseMs);
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (periods.length === 0) return;
    const sent = performance.now();
    renewing = markPeriods(connection, fingerprint, periods, 'renew', leaseMs).then(
      () => {
        held = Math.max(held, sent);
      },
      () => undefined,
    );
  }, leaseMs / 4);
  return {
    assertHeld(): void {
      if (performance.now() - held >= leaseMs / 2)
        throw new MosyError('unavailable', 'the lease of an apply on its periods could not be renewed');
    },
    async end(): Promise<void> {
      clearInterval(timer);
      await renewing;
      await markPeriods(connection, fingerprint, periods, 'end', leaseMs);
    },
  };
}

/**
 * Marks every period of the grain references and of the finest cells, and every period marked before (a rebuild may have dropped all the
 * references of one whose counters were certified): all of them are then refreshed before any read uses counters.
 * Run after a build filled the tables, and once on a database built before the counters existed.
 */
export async function markAllPeriods(
  connection: ClickHouseConnection,
  tables: CountersTables,
): Promise<void> {
  const fingerprint = sqlLiteral(tables.fingerprint);
  const sources = [
    `SELECT grain, period FROM ${tables.grainRefs} GROUP BY grain, period`,
    // Periods of persons keyed by their record alone have no references.
    `SELECT tupleElement(g, 1) AS grain, tupleElement(g, 2) AS period
     FROM (SELECT arrayJoin(${MONTH_GRAINS}) AS g FROM (SELECT month FROM ${tables.cells} GROUP BY month))
     GROUP BY grain, period`,
    `SELECT grain, period FROM ${PERIODS} WHERE fingerprint = ${fingerprint} AND grain > 0 GROUP BY grain, period`,
  ];
  for (const source of sources) {
    await connection.command(
      `INSERT INTO ${MARKS} (fingerprint, grain, period, opens, marked, open_until, certified, marks)
       SELECT ${fingerprint}, grain, period, toInt64(0), (${nextStampSql(tables.fingerprint)}), toInt64(0), toInt64(0),
         toInt64(1)
       FROM (${source})`,
    );
  }
}

/** Records that every period of the build completed at `buildStamp` is marked (`markAllPeriods`). */
export async function recordSeeded(
  connection: ClickHouseConnection,
  fingerprint: string,
  buildStamp: number,
): Promise<void> {
  await connection.command(
    `INSERT INTO ${MARKS} (fingerprint, grain, period, opens, marked, open_until, certified, marks)
     VALUES (${sqlLiteral(fingerprint)}, 0, '', 0, 0, 0, ${integer(buildStamp)}, 0)`,
  );
}

/** The scalar statement of the stamp of the build the periods were last seeded for, 0 for none. */
export const seededBuildSql = (fingerprint: string): string =>
  `SELECT toInt64(maxMerge(certified)) FROM ${PERIODS}
   WHERE fingerprint = ${sqlLiteral(fingerprint)} AND grain = 0`;

/** The stamp of the build the periods were last seeded for, 0 for none. */
export async function seededBuild(connection: ClickHouseConnection, fingerprint: string): Promise<number> {
  const rows = await connection.select(`SELECT (${seededBuildSql(fingerprint)}) AS c`);
  return integer(rows[0]?.c ?? 0);
}

/**
 * Whether a period's counters of version `certified` are exact now (see the module comment). With an apply left open
 * (opens > 0), only a certification taken once its lease ran out: a killed apply's begin may have taken its stamp
 * before a certification's and landed after it, its rows with it. A lease has run out at a time or stamp t from
 * t >= open_until on, here as in a refresh (`refreshCounters`), which counts it run out at its stamp r = open_until,
 * reads the references then and certifies them at r.
 */
export const VALID =
  'certified > marked AND NOT (opens > 0 AND (open_until > toInt64(now()) * 1000 OR certified < open_until))';

/** The state of each (grain, period) of `where` (opens, marked, open_until, certified, marks). */
export const periodState = (fingerprint: string, where: string): string =>
  `SELECT grain, period, toInt64(sumMerge(opens)) AS opens, toInt64(maxMerge(marked)) AS marked,
     toInt64(maxMerge(open_until)) AS open_until, toInt64(maxMerge(certified)) AS certified,
     toInt64(sumMerge(marks)) AS marks
   FROM ${PERIODS} WHERE fingerprint = ${sqlLiteral(fingerprint)} AND ${where} GROUP BY grain, period`;

/** What a refresh did (`refreshCounters`). */
export interface CountersRefresh {
  /** The number of periods it certified. */
  readonly certified: number;
  /**
   * Milliseconds from its stamp until the earliest lease of an apply left open on a period runs out (`open_until`),
   * undefined for none: such a period is left alone while the lease holds, and needs a refresh once it ran out even
   * when nothing is written after (a killed apply, a failed end mark).
   */
  readonly leaseEndsInMs: number | undefined;
}

/**
 * The wait from a refresh's stamp `r` until the earliest of the leases `openUntils` (held at r) has run out for a
 * later refresh: until the first whole server second at or past its end, since a refresh's stamp is the server's
 * clock in whole seconds. Waiting only for `open_until - r` (a lease ends a few milliseconds into a second) made every
 * refresh until that second was over take the same stamp, find the lease held and ask again a few milliseconds on.
 */
export function leaseWaitMs(openUntils: readonly number[], r: number): number | undefined {
  if (openUntils.length === 0) return undefined;
  return Math.ceil(Math.min(...openUntils) / 1000) * 1000 - r;
}

/**
 * Recomputes the counters of every period whose certification is not later than its marks, or not later than the
 * lease of an apply left open that ran out, as rows of a new version, then certifies them at that version. Periods
 * whose lease holds at the refresh's stamp are left for a refresh once it ran out (`leaseEndsInMs`). Safe to run in
 * several processes at once: each writes its own version and certification, and a read checks the one it uses.
 * `beforeCertify` runs between the counters' writes and their certification (tests race applies there).
 */
export async function refreshCounters(
  connection: ClickHouseConnection,
  tables: CountersTables,
  beforeCertify?: () => Promise<void>,
): Promise<CountersRefresh> {
  const fingerprint = tables.fingerprint;
  const r = integer((await connection.select(`SELECT (${nextStampSql(fingerprint)}) AS r`))[0]?.r);
  // A lease holds at r while open_until > r, and has run out from r >= open_until on, as in `VALID`.
  const state = await connection.select(
    `SELECT grain, period, opens > 0 AND open_until > ${r} AS held, open_until
     FROM (${periodState(fingerprint, 'grain > 0')})
     WHERE certified <= marked AND marked < ${r} OR opens > 0 AND certified < open_until`,
  );
  const held = state.filter((row) => integer(row.held) === 1).map((row) => integer(row.open_until));
  const leaseEndsInMs = leaseWaitMs(held, r);
  const dirty = state
    .filter((row) => integer(row.held) === 0)
    .map((row): GrainPeriod => [integer(row.grain), text(row.period)]);
  if (dirty.length === 0) return { certified: 0, leaseEndsInMs };
  // In slices, so that a first refresh of a large database sends no huge IN list and holds no huge GROUP BY.
  const slices: GrainPeriod[][] = [];
  for (let start = 0; start < dirty.length; start += REFRESH_SLICE)
    slices.push(dirty.slice(start, start + REFRESH_SLICE));
  for (const slice of slices)
    for (const { index } of ROLLING_GROUPINGS)
      await connection.command(refreshRowsSql(tables, slice, index, r));
  await beforeCertify?.();
  const now = integer((await connection.select('SELECT toInt64(now()) * 1000 AS now'))[0]?.now);
  // Pruning counts on it (see the module comment); the versions written stay until a later one is certified.
  if (now - r > MAX_REFRESH_MS)
    throw new MosyError(
      'unavailable',
      `a counters refresh took ${now - r} ms, longer than ${MAX_REFRESH_MS} ms`,
    );
  for (const slice of slices) await certifyPeriods(connection, tables, slice, r);
  return { certified: dirty.length, leaseEndsInMs };
}

const REFRESH_SLICE = 500;

/**
 * The INSERT of version `r`'s counters of one grouping's `periods`. One grouping per statement: the persons with an
 * identity are distinct rows of the grain references, grouped by their whole key, and the hash table of every
 * grouping at once outgrew ClickHouse's 4 GB per query at 1 M records (a first refresh, every period dirty), so the
 * counters were never certified and every persons read grouped the references. A grouping is a range of the key's
 * first column: the statements read together what one statement read.
 */
export function refreshRowsSql(
  tables: CountersTables,
  periods: readonly GrainPeriod[],
  grouping: number,
  r: number,
): string {
  const tuples = periods.map(([grain, period]) => `(${grain}, ${sqlLiteral(period)})`).join(', ');
  const ofGrouping = `grouping_index = ${integer(grouping)}`;
  // Persons with an identity: distinct among the references; persons keyed by their record: sums of the cells.
  const identified = `SELECT grouping_index, grain, period, k0, k1, toInt64(count()) AS p,
        toInt64(sum(person_key_number)) AS k, toInt64(0) AS op, toInt64(0) AS ok
      FROM (SELECT grouping_index, grain, period, k0, k1, person, person_key_number FROM ${tables.grainRefs}
            WHERE ${ofGrouping} AND (grain, period) IN (${tuples})
            GROUP BY grouping_index, grain, period, k0, k1, person, person_key_number HAVING sum(refs) > 0)
      GROUP BY grouping_index, grain, period, k0, k1`;
  // The month, quarter and year periods read the cells of their months alone (the key's second column); the
  // all-time period sums every cell, without expanding it into its grains.
  const dated = periods.filter(([grain]) => grain !== ALL_TIME);
  const datedTuples = dated.map(([grain, period]) => `(${grain}, ${sqlLiteral(period)})`).join(', ');
  const own = [
    ...(dated.length === 0
      ? []
      : [
          `SELECT grouping_index, tupleElement(g, 1) AS grain, tupleElement(g, 2) AS period, k0, k1,
              toInt64(0) AS p, toInt64(0) AS k, toInt64(sum(persons)) AS op, toInt64(sum(person_key_sum)) AS ok
            FROM (SELECT grouping_index, k0, k1, persons, person_key_sum, arrayJoin(${MONTH_GRAINS}) AS g
                  FROM ${tables.cells} WHERE ${ofGrouping} AND ${monthsCondition(dated)}(persons != 0 OR person_key_sum != 0))
            WHERE (grain, period) IN (${datedTuples})
            GROUP BY grouping_index, grain, period, k0, k1`,
        ]),
    ...(dated.length === periods.length
      ? []
      : [
          `SELECT grouping_index, toUInt8(${ALL_TIME}) AS grain, '' AS period, k0, k1, toInt64(0) AS p,
              toInt64(0) AS k, toInt64(sum(persons)) AS op, toInt64(sum(person_key_sum)) AS ok
            FROM ${tables.cells} WHERE ${ofGrouping} AND (persons != 0 OR person_key_sum != 0) GROUP BY grouping_index, k0, k1`,
        ]),
  ];
  return `INSERT INTO ${tables.counters}
         (grouping_index, grain, period, version, k0, k1, persons, key_sum, own_persons, own_key_sum)
       SELECT grouping_index, grain, period, toInt64(${integer(r)}), k0, k1, sum(p), sum(k), sum(op), sum(ok)
       FROM (${[identified, ...own].join(' UNION ALL ')})
       GROUP BY grouping_index, grain, period, k0, k1`;
}

/**
 * The `grouping_index` of a counters row that marks its (grain, period, version) complete: written after every row
 * of the version and before its certification (`certifyPeriods`), so that a read which finds it in its snapshot of
 * the counters table holds every row of that version (a part committed before another began is in every snapshot
 * that holds the later one), whenever the read learnt the version. No grouping has this index (`UInt16`'s last).
 */
export const COMPLETE_GROUPING = 65_535;

/**
 * Certifies the counters of `periods` at version `stamp` (their rows all written), unless the server's clock is more
 * than `maxDelayMs` (`MAX_REFRESH_MS`) past the stamp: pruning counts on it (see the module comment), and the versions written stay
 * until a later one is certified. First the version's completion rows (`COMPLETE_GROUPING`), then the
 * certification: each statement only once the one before returned. Both test the server's clock as the rows' insert
 * of an apply's certification does, so that a completion is never written for rows that insert left out (the clock,
 * as for pruning, does not go back).
 */
export async function certifyPeriods(
  connection: ClickHouseConnection,
  tables: Pick<CountersTables, 'fingerprint' | 'counters'>,
  periods: readonly GrainPeriod[],
  stamp: number,
  maxDelayMs: number = MAX_REFRESH_MS,
): Promise<void> {
  if (periods.length === 0) return;
  const inTime = `toInt64(now()) * 1000 - ${integer(stamp)} <= ${maxDelayMs}`;
  await connection.command(
    `INSERT INTO ${tables.counters}
       (grouping_index, grain, period, version, k0, k1, persons, key_sum, own_persons, own_key_sum)
     SELECT toUInt16(${COMPLETE_GROUPING}), tupleElement(p, 1), tupleElement(p, 2), toInt64(${integer(stamp)}), '', '',
       toInt64(0), toInt64(0), toInt64(0), toInt64(0)
     FROM (SELECT arrayJoin(${pairsLiteral(periods)}) AS p)
     WHERE ${inTime}`,
  );
  await connection.command(
    `INSERT INTO ${MARKS} (fingerprint, grain, period, opens, marked, open_until, certified, marks)
     SELECT ${sqlLiteral(tables.fingerprint)}, tupleElement(p, 1), tupleElement(p, 2), toInt64(0), toInt64(0),
       toInt64(0), toInt64(${integer(stamp)}), toInt64(0)
     FROM (SELECT arrayJoin(${pairsLiteral(periods)}) AS p)
     WHERE ${inTime}`,
  );
}

/**
 * Writes the completion rows (`COMPLETE_GROUPING`) of every period's certified version that lacks them: versions
 * certified before completions were written, so that reads look them up in one statement too. Safe at any time: a
 * certified version's rows were all written before its certification, which this reads first.
 */
export async function completeCertified(
  connection: ClickHouseConnection,
  tables: Pick<CountersTables, 'fingerprint' | 'counters'>,
): Promise<void> {
  await connection.command(
    `INSERT INTO ${tables.counters}
       (grouping_index, grain, period, version, k0, k1, persons, key_sum, own_persons, own_key_sum)
     SELECT toUInt16(${COMPLETE_GROUPING}), grain, period, certified, '', '', toInt64(0), toInt64(0), toInt64(0),
       toInt64(0)
     FROM (SELECT grain, period, certified FROM (${periodState(tables.fingerprint, 'grain > 0')}) WHERE certified > 0)
     WHERE (grain, period, certified) NOT IN (SELECT grain, period, version FROM ${tables.counters}
       WHERE grouping_index = ${COMPLETE_GROUPING})`,
  );
}

/** The grain number of all time (`ROLLING_GRAINS`), whose one period is ''. */
const ALL_TIME = ROLLING_GRAINS.indexOf('all') + 1;

/**
 * The month labels of the finest cells (`rollingMonthOf`) in a (grain, period), undefined for all of them (the
 * all-time period).
 */
export function monthsOfPeriod([grain, period]: GrainPeriod): string[] | undefined {
  if (grain === ALL_TIME) return undefined;
  if (grain === 1 || period.endsWith('-unspecified')) return [period];
  const year = period.slice(0, 4);
  const months = (from: number, count: number): string[] =>
    Array.from({ length: count }, (_, i) => `${year}-${String(from + i).padStart(2, '0')}`);
  if (grain === 3) return [...months(1, 12), `${year}-unspecified`];
  return months((Number(period.slice(6)) - 1) * 3 + 1, 3);
}

/** A condition (with its trailing AND) reading only the finest cells of the months `periods` need, by the key. */
function monthsCondition(periods: readonly GrainPeriod[]): string {
  const months = new Set<string>();
  for (const pair of periods) {
    const of = monthsOfPeriod(pair);
    if (of === undefined) return '';
    for (const month of of) months.add(month);
  }
  return `month IN (${[...months].map(sqlLiteral).join(', ')}) AND `;
}

/**
 * Deletes the counters versions below each period's certified version once that certification is older than
 * `graceMs` (see the module comment); returns the number of rows it deletes. One mutation for all of them, which
 * ClickHouse applies in the background, and none when there is no such row.
 */
export async function pruneCounters(
  connection: ClickHouseConnection,
  tables: CountersTables,
  graceMs: number = PRUNE_GRACE_MS,
): Promise<number> {
  const periods = await connection.select(
    `SELECT grain, period, certified FROM (${periodState(tables.fingerprint, 'grain > 0')})
     WHERE certified > 0 AND certified < toInt64(now()) * 1000 - ${integer(graceMs)}`,
  );
  if (periods.length === 0) return 0;
  const below = periods
    .map(
      (row) =>
        `(grain = ${integer(row.grain)} AND period = ${sqlLiteral(text(row.period))} AND version < ${integer(row.certified)})`,
    )
    .join(' OR ');
  // A mutation rewrites every part it touches, even one it deletes nothing from, and new part names drop the
  // store's kept read results (`result-cache.ts`): none is run when no row is to go.
  const [stale] = await connection.select(`SELECT count() AS n FROM ${tables.counters} WHERE ${below}`);
  const rows = integer(stale?.n ?? 0);
  if (rows > 0) await connection.command(`ALTER TABLE ${tables.counters} DELETE WHERE ${below}`);
  return rows;
}

/** Every (grain, period) of a finest cell's month label (column `month`), in `ROLLING_GRAINS` order. */
export const MONTH_GRAINS = `[${ROLLING_GRAINS.map(
  (grain, index) => `(toUInt8(${index + 1}), ${grain === 'all' ? "''" : periodExpression(grain)})`,
).join(', ')}]`;
