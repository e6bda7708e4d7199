// Person counters per period on a real ClickHouse (MOSY_CLICKHOUSE_URL), each test on its own database, dropped
// afterwards. Every persons read is compared with the reference store (and, where routed, with the core roll-up of
// the same records), whether the counters answer it or not, while: two store instances apply at once with
// refreshes of both interleaved; an apply is open (begin mark, rows written, no end yet) around a refresh; an
// apply's insert fails halfway; the database was built before the counters existed; random batches and reads. A
// killed apply's periods are certified by the refresher once its lease ran out, with no write after it, and a
// refresh whose stamp is a lease's end counts it as run out, its certification used by reads.
// At rest after a refresh, every read part the counters can answer is a lookup (its versions are returned).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLLING_GROUPINGS, rollingReadOf, type NormalizedRecord, type StoreQuery } from '@mosy/core';
import {
  benchRecords,
  catalogueQueryArb,
  clickHouseTestDatabases,
  createReferenceIndicatorStore,
  recordBatchesArb,
  comparableResult,
  CKI_PERSON_READS,
} from '@mosy/testkit';
import { integer } from '@mosy/sql';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { toInsertRow } from './indicator-store.js';
import {
  markPeriods,
  openPeriods,
  pruneCounters,
  refreshCounters,
  touchedPeriods,
  type CountersRefresh,
  type GrainPeriod,
} from './person-counters.js';
import { createCountersRefresher } from './counters-refresher.js';
import { RECORD_CHANGES } from './record-changes.js';
import { readCatalogue, rollingBuilt, rollingTables } from './rolling.js';
import { replacing, serverMs, untilServerPast } from './test-support.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const TABLES = rollingTables();

const databases = clickHouseTestDatabases(URL_BASE);

/** Victims of several providers, months and persons, then corrections and withdrawals, in batches. */
function history(count: number): NormalizedRecord[][] {
  const record = benchRecords(count, 11);
  const first = Array.from({ length: count }, (_, i) => ({ ...record(i, 1), kind: 'victim' as const }));
  // Corrections and withdrawals of disjoint records: two stores apply them at once, and the aggregator never
  // applies one record in two processes at once (partitions are keyed by record).
  const corrections = first
    .filter((_, i) => i % 6 === 0)
    .map((r, j) => ({ ...record(j * 6, 2), kind: r.kind }));
  const withdrawals = first
    .filter((_, i) => i % 6 === 3)
    .map((r) => ({ ...r, version: 3, action: 'withdraw' as const, fields: {} }));
  const quarter = count / 4;
  return [
    first.slice(0, quarter),
    first.slice(quarter, 2 * quarter),
    first.slice(2 * quarter, 3 * quarter),
    first.slice(3 * quarter),
    corrections,
    withdrawals,
  ];
}

/** Persons reads of every victim grouping: all time, per quarter, per year, per month of a quarter, one year. */
const QUERIES: readonly StoreQuery[] = ROLLING_GROUPINGS.filter((g) => g.kind === 'victim').flatMap(
  (grouping): StoreQuery[] => {
    const base = {
      kind: grouping.kind,
      unit: 'persons',
      by: grouping.by,
      filters: grouping.filters,
      keySums: true,
    };
    return [
      { ...base },
      { ...base, interval: 'quarter' },
      { ...base, interval: 'year' },
      { ...base, interval: 'month', from: '2023-04-01', to: '2023-06-30' },
      { ...base, from: '2023-01-01', to: '2023-12-31' },
    ] as StoreQuery[];
  },
);

const CKI = CKI_PERSON_READS;

/** The reads the scenario tests compare at each step: the CKI reads and every other grouping's. */
const CHECKED: readonly StoreQuery[] = [...CKI, ...QUERIES.filter((_, index) => index % 2 === 0)];

interface Fixture {
  readonly database: string;
  readonly first: ClickHouseStores;
  readonly second: ClickHouseStores;
  readonly raw: ClickHouseConnection;
}

/** How many read parts the counters answered (their check passed). */
async function lookups(raw: ClickHouseConnection, query: StoreQuery): Promise<number> {
  const read = rollingReadOf(query);
  if (read === undefined) return 0;
  return (await readCatalogue(raw, query, read))?.lookedUp ?? 0;
}

/** Every query from `store` equals the reference; returns how many parts the counters answered. */
async function expectExact(
  fixture: Fixture,
  reference: ReturnType<typeof createReferenceIndicatorStore>,
  queries: readonly StoreQuery[],
  label: string,
): Promise<number> {
  let looked = 0;
  for (const query of queries) {
    looked += await lookups(fixture.raw, query);
    expect(
      comparableResult(await fixture.first.store.query(query)),
      `${label} ${JSON.stringify(query)}`,
    ).toEqual(comparableResult(await reference.query(query)));
  }
  return looked;
}

/** The reads whose parts the counters could answer, and how many parts. */
async function eligibleParts(raw: ClickHouseConnection, queries: readonly StoreQuery[]): Promise<number> {
  let parts = 0;
  for (const query of queries) parts += await lookups(raw, query);
  return parts;
}

/** Writes `records` as an apply that ended, with a lease of `leaseMs`, as the store runs it (`openPeriods`). */
async function writeEnded(raw: ClickHouseConnection, records: readonly NormalizedRecord[], leaseMs: number) {
  const rows = records.map((record) => ({ sign: 1, ...toInsertRow(record) }));
  const open = await openPeriods(raw, TABLES.fingerprint, touchedPeriods(rows), leaseMs);
  await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
  await open.end();
}

describe('person counters on ClickHouse', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    const database = databases.fresh('test_counters');
    fixture = {
      database,
      first: await createClickHouseStores({ url: URL_BASE, database }),
      second: await createClickHouseStores({ url: URL_BASE, database }),
      raw: await ClickHouseConnection.open({ url: URL_BASE, database }),
    };
  });
  afterEach(async () => {
    await fixture.raw.close();
    await fixture.first.close();
    await fixture.second.close();
    await databases.drop(fixture.database);
  });

  it('stays exact with two stores applying at once and refreshes interleaved, and looks every part up at rest', async () => {
    const { first, second, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const batches = history(240);
    const queries = [...CKI, ...QUERIES];
    // Between rounds a quarter of the reads (each grouping's in turn), to keep the test short on a busy machine.
    const sampled = [...CKI, ...QUERIES.filter((_, index) => index % 4 === 0)];
    let looked = 0;
    for (let i = 0; i < batches.length; i += 2) {
      // Two partitions' batches at once (disjoint records, shared persons and periods), refreshes racing them.
      const pair = batches.slice(i, i + 2);
      await Promise.all([
        first.store.apply(pair[0]!),
        first.store.refreshCounters(),
        second.store.apply(pair[1] ?? []),
        second.store.refreshCounters(),
        first.store.refreshCounters(),
      ]);
      for (const batch of pair) await reference.apply(batch);
      looked += await expectExact(fixture, reference, sampled, `round ${i / 2}`);
      // A refresh of both at once after the applies: exact, and some parts looked up from now on.
      await Promise.all([first.store.refreshCounters(), second.store.refreshCounters()]);
      const after = await expectExact(fixture, reference, sampled, `refreshed ${i / 2}`);
      expect(after).toBeGreaterThan(0);
      looked += after;
    }
    expect(looked).toBeGreaterThan(0);
    // At rest: nothing left to refresh, and every part the counters can hold is a lookup (both CKI reads whole).
    expect((await first.store.refreshCounters()).certified).toBe(0);
    for (const query of CKI) expect(await lookups(raw, query), JSON.stringify(query)).toBe(2);
    const rest = await expectExact(fixture, reference, queries, 'at rest');
    expect(rest).toBe(await eligibleParts(raw, queries));
    // Merged (the period states and the references fold): the same.
    for (const table of ['rolling_periods', TABLES.counters, TABLES.grainRefs])
      await raw.command(`OPTIMIZE TABLE ${table} FINAL`);
    expect(await expectExact(fixture, reference, queries, 'merged')).toBe(rest);
  }, 480_000);

  it('never looks up a period an apply has open, nor one written after its certification', async () => {
    const { first, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a, b, c] = history(120);
    await first.store.apply(a!);
    await reference.apply(a!);
    await first.store.refreshCounters();
    expect(await lookups(raw, CKI[0]!)).toBe(2);

    // An apply in flight, as the store runs it: begin mark, rows written, no end yet.
    const rows = b!.map((record) => ({ sign: 1, ...toInsertRow(record) }));
    const periods: GrainPeriod[] = touchedPeriods(rows);
    await markPeriods(raw, TABLES.fingerprint, periods, 'begin');
    await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
    await reference.apply(b!);
    // A refresh now leaves its periods alone (the all-time period among them), and no read looks them up.
    await first.store.refreshCounters();
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    await expectExact(fixture, reference, CHECKED, 'open');
    // Ended: its periods are marked after every certification, so still no lookups until the next refresh.
    await markPeriods(raw, TABLES.fingerprint, periods, 'end');
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    await expectExact(fixture, reference, CHECKED, 'ended');
    expect((await first.store.refreshCounters()).certified).toBeGreaterThan(0);
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CHECKED, 'refreshed');

    // Written after the certification by an apply that leaves its periods to the refresher (larger than
    // `certifyRows`): its end mark is newer, no lookup.
    const plain = await createClickHouseStores({ url: URL_BASE, database: fixture.database, certifyRows: 0 });
    try {
      await plain.store.apply(c!);
    } finally {
      await plain.close();
    }
    await reference.apply(c!);
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    await expectExact(fixture, reference, CHECKED, 'written after certification');
  }, 240_000);

  it('certifies again once the lease of a killed apply ran out, never while a live apply renews its own', async () => {
    const { first, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a, b, c] = history(120);
    // Applies as the store runs them (`openPeriods`) with a short lease (the store's is 5 minutes), ended or still
    // running; a killed one is a begin mark alone (no renewals) before its rows.
    const lease = 6000;
    const write = async (records: readonly NormalizedRecord[], state: 'ended' | 'running' | 'killed') => {
      const rows = records.map((record) => ({ sign: 1, ...toInsertRow(record) }));
      const periods = touchedPeriods(rows);
      const open =
        state === 'killed'
          ? await markPeriods(raw, TABLES.fingerprint, periods, 'begin', lease)
          : await openPeriods(raw, TABLES.fingerprint, periods, lease);
      await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
      await reference.apply(records);
      if (state === 'ended') await open?.end();
      return open;
    };
    await write(a!, 'ended');
    await first.store.refreshCounters();
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    // Killed: begun, rows written, never an end nor a renewal. Live: begun with the same lease, running past it.
    await write(b!, 'killed');
    const started = await serverMs(raw);
    const live = (await write(c!, 'running'))!;
    await untilServerPast(raw, started + 2 * lease + 1000);
    live.assertHeld();
    // The all-time period holds both: the live lease keeps it from being certified, reads group the references.
    await first.store.refreshCounters();
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    await expectExact(fixture, reference, CKI, 'live past its first lease');
    await live.end();
    // Once the leases of the periods left open ran out (the killed apply's, the live one's last renewal), a refresh
    // certifies them again.
    const open = await raw.select(
      `SELECT max(u) AS u FROM (SELECT toInt64(sumMerge(opens)) AS o, toInt64(maxMerge(open_until)) AS u
       FROM rolling_periods WHERE fingerprint = '${TABLES.fingerprint}' GROUP BY grain, period) WHERE o > 0`,
    );
    await untilServerPast(raw, integer(open[0]?.u));
    expect((await first.store.refreshCounters()).certified).toBeGreaterThan(0);
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CKI, 'leases ran out');
  }, 240_000);

  it('refreshes the periods of a killed apply once its lease ran out, with no write after it', async () => {
    const { first, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a, b] = history(120);
    // Leases short (the store's is 5 minutes), the base's too: its lease would hold the periods it shares with the
    // killed apply's (a period's lease is the latest, whose open is left unknown).
    const lease = 3000;
    await writeEnded(raw, a!, lease);
    await reference.apply(a!);
    await first.store.refreshCounters();
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    // Killed: a begin mark, its rows, never an end.
    const rows = b!.map((record) => ({ sign: 1, ...toInsertRow(record) }));
    const periods = touchedPeriods(rows);
    await markPeriods(raw, TABLES.fingerprint, periods, 'begin', lease);
    await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
    await reference.apply(b!);
    // One poke, as after the batch before the kill, and no write after it.
    const outcomes: CountersRefresh[] = [];
    const errors: unknown[] = [];
    let certifiedSome: () => void = () => undefined;
    const certified = new Promise<'certified'>((resolve) => (certifiedSome = () => resolve('certified')));
    const refresher = createCountersRefresher(
      async () => {
        const outcome = await first.store.refreshCounters();
        outcomes.push(outcome);
        if (outcome.certified > 0) certifiedSome();
        return outcome;
      },
      10,
      (error) => errors.push(error),
    );
    refresher.poke();
    // A deadline for a failure, not a wait: the refresher certifies on its own once the lease ran out, or never.
    const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 4 * lease));
    const outcome = await Promise.race([certified, late]);
    await refresher.stop();
    expect(errors).toEqual([]);
    expect(outcome).toBe('certified');
    // The first refresh left them all under the live lease, and said when it runs out.
    expect(outcomes[0]!.certified).toBe(0);
    expect(outcomes[0]!.leaseEndsInMs).toBeGreaterThan(0);
    // To the first whole second at or past the lease's end, from a stamp not before the begin mark's.
    expect(outcomes[0]!.leaseEndsInMs).toBeLessThan(lease + 1000);
    // The poke's refresh, the one at the lease's end, and at most one more (a timer a millisecond early finds the
    // lease held until the next second): not one every few milliseconds until the second is over.
    expect(outcomes.length).toBeLessThanOrEqual(3);
    expect(outcomes.at(-1)).toEqual({ certified: periods.length, leaseEndsInMs: undefined });
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CHECKED, 'lease ran out');
  }, 240_000);

  it('counts a lease as run out at a refresh whose stamp is its end, and reads use that certification', async () => {
    const { first, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a, b] = history(120);
    const lease = 1000;
    await writeEnded(raw, a!, lease);
    await reference.apply(a!);
    await first.store.refreshCounters();
    const fingerprint = `'${TABLES.fingerprint}'`;
    const c = integer(
      (
        await raw.select(
          `SELECT toInt64(maxMerge(certified)) AS c FROM rolling_periods WHERE fingerprint = ${fingerprint} AND grain = 4`,
        )
      )[0]?.c,
    );
    // A killed apply whose begin took its stamp (c - 1) before the certification c and landed after it, then its
    // rows: its periods are not dirty by their marks, only by its lease.
    const openUntil = c - 1 + lease;
    const rows = b!.map((record) => ({ sign: 1, ...toInsertRow(record) }));
    const periods = touchedPeriods(rows);
    await raw.command(
      `INSERT INTO rolling_period_marks_counted (fingerprint, grain, period, opens, marked, open_until, certified, marks)
       SELECT ${fingerprint}, tupleElement(p, 1), tupleElement(p, 2), 1, ${c - 1}, ${openUntil}, 0, 1
       FROM (SELECT arrayJoin([${periods.map(([grain, period]) => `(toUInt8(${grain}), '${period}')`).join(', ')}]) AS p)`,
    );
    await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
    await reference.apply(b!);
    await untilServerPast(raw, openUntil - 1);
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    // A refresh that took its stamp at the lease's end (the server's clock in whole seconds makes it common).
    const atEnd = replacing(raw, {
      select: (sql) =>
        sql.endsWith(') AS r') ? Promise.resolve([{ r: String(openUntil) }]) : raw.select(sql),
    });
    expect(await refreshCounters(atEnd, TABLES)).toEqual({
      certified: periods.length,
      leaseEndsInMs: undefined,
    });
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CHECKED, 'certified at the lease end');
  }, 240_000);

  it('prunes the versions below each certified one once it is old enough, and reads stay exact', async () => {
    const { first, raw, database } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a, b] = history(120);
    // The store's first refresh prunes too (with the real grace, so nothing yet).
    for (const batch of [a!, b!]) {
      await first.store.apply(batch);
      await reference.apply(batch);
      await first.store.refreshCounters();
    }
    // Versions below their period's certified version.
    const stale = async () => {
      const certified = new Map(
        (
          await raw.select(
            `SELECT grain, period, toInt64(maxMerge(certified)) AS c FROM rolling_periods
             WHERE fingerprint = '${TABLES.fingerprint}' AND grain > 0 GROUP BY grain, period`,
          )
        ).map((row) => [`${integer(row.grain)}/${String(row.period)}`, integer(row.c)]),
      );
      const versions = await raw.select(`SELECT DISTINCT grain, period, version FROM ${TABLES.counters}`);
      return versions.filter(
        (row) => integer(row.version) < (certified.get(`${integer(row.grain)}/${String(row.period)}`) ?? 0),
      ).length;
    };
    const before = await stale();
    expect(before).toBeGreaterThan(0);
    expect(await pruneCounters(raw, TABLES, 3_600_000)).toBe(0);
    expect(await stale()).toBe(before);
    // Stamps run ahead of the server's clock (seconds) within a second: wait until it has passed them.
    const ahead = async () =>
      integer(
        (
          await raw.select(
            `SELECT toInt64(maxMerge(certified)) >= toInt64(now()) * 1000 AS n FROM rolling_periods
             WHERE fingerprint = '${TABLES.fingerprint}' AND grain > 0`,
          )
        )[0]?.n,
      ) === 1;
    while (await ahead()) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await pruneCounters(raw, TABLES, 0)).toBeGreaterThan(0);
    // The mutation runs in the background: wait until ClickHouse says it is done.
    const pending = async () =>
      integer(
        (
          await raw.select(
            `SELECT count() AS n FROM system.mutations WHERE database = '${database}' AND is_done = 0`,
          )
        )[0]?.n,
      );
    while ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await stale()).toBe(0);
    // Nothing left to delete: no mutation, which would rewrite the parts for nothing.
    const mutations = async () =>
      integer(
        (await raw.select(`SELECT count() AS n FROM system.mutations WHERE database = '${database}'`))[0]?.n,
      );
    const ran = await mutations();
    expect(await pruneCounters(raw, TABLES, 0)).toBe(0);
    expect(await mutations()).toBe(ran);
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CHECKED, 'pruned');
  }, 240_000);

  it('never looks up counters certified during a refresh that raced an apply', async () => {
    const { first, second, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a, b] = history(120);
    await first.store.apply(a!);
    await reference.apply(a!);
    // The refresh takes its stamp, and the apply runs whole before it certifies.
    await refreshCounters(raw, TABLES, async () => {
      await second.store.apply(b!);
    });
    await reference.apply(b!);
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    await expectExact(fixture, reference, CHECKED, 'raced');
    await first.store.refreshCounters();
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CHECKED, 'refreshed');
  }, 240_000);

  it('after an apply whose insert failed halfway, reads stay exact through the rebuild and the next refresh', async () => {
    const { first, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a, b] = history(120);
    await first.store.apply(a!);
    await reference.apply(a!);
    await first.store.refreshCounters();
    // The views are not one transaction: with the grain references gone, records_current takes the batch alone.
    await raw.command(`DROP TABLE ${TABLES.grainRefs}`);
    await expect(first.store.apply(b!)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await rollingBuilt(raw)).toBe(false);
    // The failed apply marked its end: nothing stays open, and the reads come from the current records.
    const opens = await raw.select(
      `SELECT toInt64(sumMerge(opens)) AS n FROM rolling_periods WHERE fingerprint = '${TABLES.fingerprint}'`,
    );
    expect(Number(opens[0]!.n)).toBe(0);
    await first.store.migrate();
    expect(await rollingBuilt(raw)).toBe(true);
    // The rebuild marked every period: no counters certified before it are looked up.
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    await first.store.apply(b!);
    await reference.apply(b!);
    await expectExact(fixture, reference, CHECKED, 'rebuilt');
    await first.store.refreshCounters();
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CHECKED, 'refreshed');
  }, 240_000);

  it('seeds a database built before the counters existed on its next migrate', async () => {
    const { first, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [a] = history(120);
    await first.store.apply(a!);
    await reference.apply(a!);
    // As before migration 010's rows existed: no marks, no seeding; a refresh has nothing to do, reads group.
    await raw.command('TRUNCATE TABLE rolling_periods');
    expect((await first.store.refreshCounters()).certified).toBe(0);
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    await expectExact(fixture, reference, CHECKED, 'unseeded');
    await first.store.migrate();
    expect(await lookups(raw, CKI[0]!)).toBe(0);
    expect((await first.store.refreshCounters()).certified).toBeGreaterThan(0);
    expect(await lookups(raw, CKI[0]!)).toBe(2);
    await expectExact(fixture, reference, CHECKED, 'seeded');
  }, 240_000);

  it('answers random persons reads like the reference after random batches of two stores and refreshes', async () => {
    const { database } = fixture;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        recordBatchesArb(['victim']),
        fc.array(catalogueQueryArb(['victim']), { minLength: 4, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        async (batches, queries, refreshes) => {
          const name = `${database}_${run++}`;
          const one = await createClickHouseStores({ url: URL_BASE, database: name });
          const two = await createClickHouseStores({ url: URL_BASE, database: name });
          try {
            const reference = createReferenceIndicatorStore();
            for (const [index, batch] of batches.entries()) {
              const store = index % 2 === 0 ? one.store : two.store;
              await Promise.all([
                store.apply(batch),
                refreshes[index % refreshes.length] ? one.store.refreshCounters() : undefined,
              ]);
              await reference.apply(batch);
              if (refreshes[(index + 1) % refreshes.length]) await two.store.refreshCounters();
              for (const asked of queries) {
                const query = { ...asked, keySums: true };
                expect(comparableResult(await one.store.query(query)), JSON.stringify(query)).toEqual(
                  comparableResult(await reference.query(query)),
                );
              }
            }
          } finally {
            await one.close();
            await two.close();
            await databases.drop(name);
          }
        },
      ),
      { numRuns: 5 },
    );
  }, 300_000);
});
