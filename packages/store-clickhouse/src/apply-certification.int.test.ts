// Certification on the apply path on a real ClickHouse (MOSY_CLICKHOUSE_URL), each test on its own database, dropped
// afterwards. A read right after a small apply looks its parts up in the counters (no grouping of the references),
// and equals the reference store, for a new person, a person keyed by its record, a second record of a person, a
// correction that moves a record to other periods and a withdrawal; with certification off the same reads group the
// references. The rows an apply certifies are expanded into cells by core exactly as the views expand them on the
// server, for random records of every kind. An apply whose periods another writer marked between its state read and its check (an apply before
// its rows, one after them, a refresh, a killed apply's begin) certifies none of those periods, and reads stay exact.
// A writer that took the same stamp as the version the apply builds on, and wrote its rows of that version after the
// apply's begin (its own rows among them), does not make it count its change twice. An apply whose state read fails
// still applies; a certification later than MAX_REFRESH_MS after its stamp writes no counters. A killed apply whose
// begin took its stamp before a certification's and landed after it, its rows with it, is not missed once its lease
// ran out: reads group the references until a refresh after the lease. An apply whose change read found the
// references emptied by a rebuild, the rebuild's marks landing after its check below its stamp, certifies nothing.
// For a period a killed apply left open (its +1 in opens, its lease run out, certified since), an apply reads no
// counters rows and sends no change nor counters; it certifies its other periods. A read right after a small apply
// is one statement, which finds the versions the apply certified and their completion rows; versions certified
// without completion rows (before they were written) take a second statement, until `completeCertified` writes them
// (at `migrate` and every refresh). With the versions a store last found kept across reads, a read after a refresh or
// an apply is one statement; one whose selection gains a period the kept versions leave out, or whose kept versions
// are ahead of the certified ones, takes two and is exact; cells and a total of the same (grain, period) are exact.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  REGISTERED_STATUSES,
  rollingGrainsOf,
  rollingReadOf,
  type GrainSelection,
  type NormalizedRecord,
  type StoreQuery,
} from '@mosy/core';
import { RECORD_COLUMNS, clickHouseDialect, integer } from '@mosy/sql';
import {
  benchRecords,
  clickHouseTestDatabases,
  comparableResult,
  createReferenceIndicatorStore,
  recordBatchesArb,
  CKI_PERSON_READS,
} from '@mosy/testkit';
import { NOTHING_CERTIFIED, appliedChange, certifiedBefore, certifyApplied } from './apply-certification.js';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { createIndicatorStoreOn, toInsertRow } from './indicator-store.js';
import {
  COMPLETE_GROUPING,
  MONTH_GRAINS,
  VALID,
  completeCertified,
  keyOf,
  markPeriods,
  nextStampSql,
  openPeriods,
  periodState,
  recordSeeded,
  refreshCounters,
  touchedPeriods,
} from './person-counters.js';
import { RECORD_CHANGES } from './record-changes.js';
import { grainRefRowsSql, type CounterVersions } from './rolling-grain-sql.js';
import { cellRowsSql, refRowsSql } from './rolling-sql.js';
import {
  CounterVersionsCache,
  invalidateRolling,
  readCatalogue,
  rollingBuilt,
  rollingTables,
} from './rolling.js';
import { replacing, untilServerPast } from './test-support.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const TABLES = rollingTables();

const databases = clickHouseTestDatabases(URL_BASE);

const CKI = CKI_PERSON_READS;

/** Registered victims of several providers, months and persons (some persons with several records). */
function victims(count: number, seed: number, prefix: string): NormalizedRecord[] {
  const record = benchRecords(count, seed);
  return Array.from({ length: count }, (_, i) => {
    const r = record(i);
    return {
      ...r,
      recordId: `${prefix}-${i}`,
      // A key made from the record names that record alone; identities are shared across sets on purpose.
      personKey: r.personKey.startsWith('r:') ? `r:${prefix}-${i}` : r.personKey,
      kind: 'victim' as const,
      fields: { ...r.fields, status: i % 2 === 0 ? 'IDENTIFIED' : 'PRESUMED' },
    };
  });
}

/** How many parts of each CKI read the counters answered. */
async function lookups(raw: ClickHouseConnection): Promise<number[]> {
  const counts: number[] = [];
  for (const query of CKI)
    counts.push((await readCatalogue(raw, query, rollingReadOf(query)!))?.lookedUp ?? 0);
  return counts;
}

describe('certification on the apply path', () => {
  let database: string;
  let stores: ClickHouseStores;
  let plain: ClickHouseStores;
  let raw: ClickHouseConnection;
  const reference = () => createReferenceIndicatorStore();
  beforeEach(async () => {
    database = databases.fresh('test_apply_certify');
    stores = await createClickHouseStores({ url: URL_BASE, database });
    // Another writer that leaves every period to the refresher, as applies before this change did.
    plain = await createClickHouseStores({ url: URL_BASE, database, certifyRows: 0 });
    raw = await ClickHouseConnection.open({ url: URL_BASE, database });
  });
  afterEach(async () => {
    await raw.close();
    await stores.close();
    await plain.close();
    await databases.drop(database);
  });

  const expectExact = async (ref: ReturnType<typeof reference>, label: string) => {
    for (const query of CKI)
      expect(comparableResult(await stores.store.query(query)), `${label} ${JSON.stringify(query)}`).toEqual(
        comparableResult(await ref.query(query)),
      );
  };

  it('answers a read right after a small apply from the counters, exactly, for every kind of change', async () => {
    const ref = reference();
    const base = victims(80, 21, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    expect(await lookups(raw)).toEqual([2, 2]);
    const identified = base.find((r) => r.personKey.startsWith('p:'))!;
    const probes: [string, NormalizedRecord][] = [
      ['a new person', { ...base[0]!, recordId: 'probe-1', personKey: 'p:probe-person' }],
      ['a person keyed by its record', { ...base[1]!, recordId: 'probe-2', personKey: 'r:probe-2' }],
      ['a second record of a person', { ...base[2]!, recordId: 'probe-3', personKey: identified.personKey }],
      [
        'a correction to another period',
        { ...base[5]!, recordId: base[3]!.recordId, providerId: base[3]!.providerId, version: 2 },
      ],
      ['a withdrawal', { ...base[4]!, version: 2, action: 'withdraw', fields: {} }],
      ['the new person again', { ...base[6]!, recordId: 'probe-4', personKey: 'p:probe-person' }],
    ];
    for (const [label, probe] of probes) {
      await stores.store.apply([probe]);
      await ref.apply([probe]);
      // No refresh ran: the apply certified its periods itself.
      expect(await lookups(raw), label).toEqual([2, 2]);
      await expectExact(ref, label);
    }
    // The same kind of apply with certification off: the reads group the references until a refresh.
    const late = { ...base[7]!, recordId: 'probe-5', personKey: 'p:probe-late' };
    await plain.store.apply([late]);
    await ref.apply([late]);
    expect(await lookups(raw)).toEqual([0, 0]);
    await expectExact(ref, 'certification off');
    // The counters written by the applies equal a recount from the references.
    await stores.store.refreshCounters();
    expect(await lookups(raw)).toEqual([2, 2]);
    await expectExact(ref, 'refreshed');
  }, 240_000);

  /**
   * Each read (the CKI ones unless told) as one `readCatalogue`, with the statements it sent; both parts looked up,
   * and exact. Each read starts from no versions known, unless a `cache` kept across reads is given.
   */
  const readsLookedUp = async (
    ref: ReturnType<typeof reference>,
    label: string,
    cache?: CounterVersionsCache,
    queries: readonly StoreQuery[] = CKI,
  ): Promise<number[]> => {
    const statements: number[] = [];
    for (const query of queries) {
      let sent = 0;
      const counting = replacing(raw, {
        select: (sql: string) => {
          sent += 1;
          return raw.select(sql);
        },
      });
      const read = await readCatalogue(
        counting,
        query,
        rollingReadOf(query)!,
        TABLES,
        cache ?? new CounterVersionsCache(),
      );
      expect(read?.lookedUp, label).toBe(2);
      expect(comparableResult(read!.result), label).toEqual(comparableResult(await ref.query(query)));
      statements.push(sent);
    }
    return statements;
  };

  it('reads right after a small apply in one statement, the versions it certified looked up in it', async () => {
    const ref = reference();
    const base = victims(60, 31, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    expect(await readsLookedUp(ref, 'refreshed')).toEqual([1, 1]);
    for (const [index, probe] of victims(3, 32, 'probe').entries()) {
      await stores.store.apply([probe]);
      await ref.apply([probe]);
      // New versions of the probe's periods, certified by the apply: no process knew them before this read.
      expect(await readsLookedUp(ref, `probe ${index}`)).toEqual([1, 1]);
    }
  }, 240_000);

  it('reads in one statement from the versions its store last found, after a refresh and after applies', async () => {
    const ref = reference();
    const cache = new CounterVersionsCache();
    const base = victims(60, 35, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    expect(await readsLookedUp(ref, 'refreshed', cache)).toEqual([1, 1]);
    expect(await readsLookedUp(ref, 'again', cache)).toEqual([1, 1]);
    // Records in the base's periods, which the apply certifies (a new period waits for a refresh).
    const probes = base.slice(0, 3).map((r, i) => ({
      ...r,
      recordId: `probe-${i}`,
      personKey: r.personKey.startsWith('r:') ? `r:probe-${i}` : r.personKey,
    }));
    for (const [index, probe] of probes.entries()) {
      await stores.store.apply([probe]);
      await ref.apply([probe]);
      // Versions later than the cached ones, certified by the apply.
      expect(await readsLookedUp(ref, `probe ${index}`, cache)).toEqual([1, 1]);
    }
    expect((await stores.store.refreshCounters()).certified).toBe(0);
    expect(await readsLookedUp(ref, 'refreshed again', cache)).toEqual([1, 1]);
  }, 240_000);

  it('reads a period the cached versions leave out in a second statement, then in one', async () => {
    const ref = reference();
    const cache = new CounterVersionsCache();
    const base = victims(60, 37, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    expect(await readsLookedUp(ref, 'refreshed', cache)).toEqual([1, 1]);
    // A quarter no base record falls in (they are dated 2020 to 2026): the cells' selection gains a period.
    const [early] = victims(1, 38, 'early').map((r) => ({
      ...r,
      precision: 'day' as const,
      referenceDate: '2019-03-10',
      periodStart: '2019-03-10',
      periodEnd: '2019-03-10',
    }));
    await stores.store.apply([early!]);
    await ref.apply([early!]);
    await stores.store.refreshCounters();
    // The second read shares the first's selections, whose versions the first cached.
    expect(await readsLookedUp(ref, 'new period', cache)).toEqual([2, 1]);
    expect(await readsLookedUp(ref, 'new period cached', cache)).toEqual([1, 1]);
  }, 240_000);

  it('recovers from cached versions ahead of the certified ones, exactly', async () => {
    const ref = reference();
    // Records what the reads cache, to build a cache ahead of them (as one filled from another fingerprint's
    // tables, or before a reset, may be).
    const cached: [GrainSelection, CounterVersions][] = [];
    const recording = new (class extends CounterVersionsCache {
      override set(selection: GrainSelection, versions: CounterVersions): void {
        cached.push([selection, versions]);
        super.set(selection, versions);
      }
    })();
    const base = victims(60, 39, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    expect(await readsLookedUp(ref, 'refreshed', recording)).toEqual([1, 1]);
    const ahead = new CounterVersionsCache();
    for (const [selection, versions] of cached)
      ahead.set(
        selection,
        versions.map(([period, version]) => [period, version + 1_000_000_000_000]),
      );
    // The second read shares the first's selections, whose versions the first cached.
    expect(await readsLookedUp(ref, 'ahead', ahead)).toEqual([2, 1]);
    expect(await readsLookedUp(ref, 'recovered', ahead)).toEqual([1, 1]);
  }, 240_000);

  it('reads cells and a total of the same grain and period exactly, in one statement', async () => {
    const ref = reference();
    const cache = new CounterVersionsCache();
    const year = {
      kind: 'victim',
      unit: 'persons',
      by: ['sex'],
      filters: { status: REGISTERED_STATUSES },
      from: '2024-01-01',
      to: '2024-12-31',
      keySums: true,
    } as const satisfies StoreQuery;
    const byYear = { ...year, interval: 'year' } as const satisfies StoreQuery;
    for (const query of [year, byYear]) {
      const plan = rollingGrainsOf(rollingReadOf(query)!);
      expect(plan.cells).toEqual(plan.total);
    }
    const base = victims(60, 40, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    expect(await readsLookedUp(ref, 'refreshed', cache, [year, byYear])).toEqual([1, 1]);
    const [probe] = victims(1, 41, 'probe').map((r) => ({
      ...r,
      precision: 'day' as const,
      referenceDate: '2024-06-10',
      periodStart: '2024-06-10',
      periodEnd: '2024-06-10',
    }));
    await stores.store.apply([probe!]);
    await ref.apply([probe!]);
    expect(await readsLookedUp(ref, 'applied', cache, [year, byYear])).toEqual([1, 1]);
  }, 240_000);

  /**
   * Applies records of `seed` and certifies their periods as a refresh before completion rows existed (or an older
   * aggregator during a rolling deploy): certifications alone, so each read takes a second statement. Returns the
   * reference store holding the same records.
   */
  const certifiedWithoutCompletions = async (seed: number) => {
    const ref = reference();
    const base = victims(60, seed, 'base');
    await plain.store.apply(base);
    await ref.apply(base);
    const withoutCompletions = replacing(raw, {
      command: (sql: string) =>
        sql.includes(`toUInt16(${COMPLETE_GROUPING})`) ? Promise.resolve() : raw.command(sql),
    });
    expect((await refreshCounters(withoutCompletions, TABLES)).certified).toBeGreaterThan(0);
    expect(await readsLookedUp(ref, 'without completions')).toEqual([2, 2]);
    return ref;
  };

  it('reads versions certified without completion rows in a second statement, and in one once completed', async () => {
    const ref = await certifiedWithoutCompletions(33);
    await completeCertified(raw, TABLES);
    expect(await readsLookedUp(ref, 'completed')).toEqual([1, 1]);
  }, 240_000);

  it('completes versions certified without completion rows at a refresh, with no migrate', async () => {
    const ref = await certifiedWithoutCompletions(34);
    // Nothing left to certify: the refresh only completes the versions certified.
    expect((await stores.store.refreshCounters()).certified).toBe(0);
    expect(await readsLookedUp(ref, 'refreshed')).toEqual([1, 1]);
  }, 240_000);

  it('expands signed rows into the grain references and cells the views write, for random records', async () => {
    const columns = [
      'sign Int8',
      ...RECORD_COLUMNS.map((column) => `${column.name} ${clickHouseDialect.columnType(column.type)}`),
    ].join(', ');
    const number = clickHouseDialect.personKeyNumber('person_key');
    const sorted = (rows: readonly Record<string, unknown>[]) =>
      rows.map((row) => JSON.stringify(row)).sort();
    await fc.assert(
      fc.asyncProperty(
        recordBatchesArb(['victim', 'suspect', 'prosecuted', 'convicted', 'prosecution']),
        async (batches) => {
          // New versions (+1) and the versions they replace (-1), withdrawals among them, as apply sends them.
          const rows = batches.flatMap((batch, index) =>
            batch.map((record) => ({ sign: index % 2 === 0 ? 1 : -1, ...toInsertRow(record) })),
          );
          const change = appliedChange(rows);
          const views = await raw.selectWith(
            { name: 'applied', columns, rows },
            `SELECT grouping_index, grain, period, k0, k1, toString(person) AS person, person_key_number, refs
             FROM (${grainRefRowsSql('applied')})`,
          );
          const core = await raw.selectWith(
            {
              name: 'applied',
              columns:
                'grouping_index UInt16, grain UInt8, period String, k0 String, k1 String, person_key String, ' +
                'refs Int64, persons Int64, person_key_sum Int64',
              rows: change,
            },
            `SELECT grouping_index, grain, period, k0, k1, toString(sipHash64(person_key)) AS person,
               ${number} AS person_key_number, refs FROM applied WHERE person_key != ''`,
          );
          expect(sorted(core)).toEqual(sorted(views));
          const cells = await raw.selectWith(
            { name: 'applied', columns, rows },
            `SELECT grouping_index, tupleElement(g, 1) AS grain, tupleElement(g, 2) AS period, k0, k1,
               toInt64(sum(persons)) AS persons, toInt64(sum(person_key_sum)) AS person_key_sum
             FROM (SELECT grouping_index, k0, k1, persons, person_key_sum, arrayJoin(${MONTH_GRAINS}) AS g
                   FROM (${cellRowsSql('applied')}))
             GROUP BY grouping_index, grain, period, k0, k1 HAVING persons != 0 OR person_key_sum != 0`,
          );
          const own = change
            .filter((row) => row.person_key === '' && (row.persons !== 0 || row.person_key_sum !== 0))
            .map(({ grouping_index, grain, period, k0, k1, persons, person_key_sum }) => ({
              grouping_index,
              grain,
              period,
              k0,
              k1,
              persons: String(persons),
              person_key_sum: String(person_key_sum),
            }));
          expect(sorted(own)).toEqual(sorted(cells));
        },
      ),
      { numRuns: 15 },
    );
  }, 300_000);

  it('certifies no period another writer marked between its state read and its check', async () => {
    const ref = reference();
    const base = victims(60, 22, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    // Every write below touches the all-time period (CKI's totals), so none of them may certify it.
    const others = victims(8, 23, 'other');
    const allTime = (periods: ReturnType<typeof touchedPeriods>) => periods.filter(([grain]) => grain === 4);
    /** An apply as the store runs it, with `between` run after its state read and `after` after its end. */
    const apply = async (
      records: readonly NormalizedRecord[],
      between: () => Promise<unknown>,
      after: () => Promise<unknown> = () => Promise.resolve(),
    ) => {
      const rows = records.map((record) => ({ sign: 1, ...toInsertRow(record) }));
      const periods = touchedPeriods(rows);
      const before = await certifiedBefore(raw, TABLES, periods);
      expect(allTime(before.periods.map((b) => b.period))).toHaveLength(1);
      await between();
      const open = await openPeriods(raw, TABLES.fingerprint, periods);
      await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
      await open.end();
      await ref.apply(records);
      await after();
      return certifyApplied(raw, TABLES, rows, before);
    };
    const mine = victims(4, 24, 'mine');
    // Another apply whole before this one's rows (a persons change of its own the counters must not miss).
    const shared = [others[0]!, { ...others[1]!, personKey: 'p:shared' }];
    let certified = await apply([{ ...mine[0]!, personKey: 'p:shared' }], async () => {
      await plain.store.apply(shared);
      await ref.apply(shared);
    });
    await expectExact(ref, 'another apply before');
    expect(allTime(certified)).toEqual([]);
    await stores.store.refreshCounters();
    // Another apply after this one's end, before its check.
    certified = await apply(
      [mine[1]!],
      () => Promise.resolve(),
      async () => {
        await plain.store.apply([others[2]!]);
        await ref.apply([others[2]!]);
      },
    );
    await expectExact(ref, 'another apply after');
    expect(allTime(certified)).toEqual([]);
    await stores.store.refreshCounters();
    // A refresh that certified the periods after this apply's end: its version, not this one's.
    certified = await apply(
      [mine[2]!],
      () => Promise.resolve(),
      () => refreshCounters(raw, TABLES),
    );
    await expectExact(ref, 'a refresh between');
    expect(allTime(certified)).toEqual([]);
    await stores.store.refreshCounters();
    // A killed apply: its begin mark and rows, never an end.
    certified = await apply([mine[3]!], async () => {
      const rows = [{ sign: 1, ...toInsertRow(others[3]!) }];
      await markPeriods(raw, TABLES.fingerprint, touchedPeriods(rows), 'begin', 1000);
      await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
      await ref.apply([others[3]!]);
    });
    await expectExact(ref, 'a killed apply');
    expect(allTime(certified)).toEqual([]);
  }, 240_000);
  /** The all-time period's certified version, and the highest version of its counters rows. */
  const allTimeVersions = async () => {
    const [state] = await raw.select(
      `SELECT certified FROM (${periodState(TABLES.fingerprint, 'grain = 4')})`,
    );
    const [rows] = await raw.select(`SELECT max(version) AS v FROM ${TABLES.counters} WHERE grain = 4`);
    return { certified: Number(state!.certified), highest: Number(rows!.v) };
  };

  it('does not count its change twice when a writer of the same stamp wrote that version after its begin', async () => {
    const ref = reference();
    const base = victims(40, 25, 'base').map((r) => ({ ...r, fields: { ...r.fields, citizenship: 'FRA' } }));
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    const { certified: c } = await allTimeVersions();
    // A new person with a citizenship no other record has: a new cell of the all-time period.
    const x = {
      ...base[0]!,
      recordId: 'x-1',
      personKey: 'p:x-new',
      fields: { ...base[0]!.fields, citizenship: 'PRT' },
    };
    const rows = [{ sign: 1, ...toInsertRow(x) }];
    const periods = touchedPeriods(rows);
    const before = await certifiedBefore(raw, TABLES, periods);
    const open = await openPeriods(raw, TABLES.fingerprint, periods);
    await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
    await open.end();
    await ref.apply([x]);
    // A refresh that took the stamp c too (two stamps within one second tie) and reaches the all-time period only
    // now: its recount, this apply's rows among them, as rows of version c.
    await raw.command(`INSERT INTO ${TABLES.counters}
        (grouping_index, grain, period, version, k0, k1, persons, key_sum, own_persons, own_key_sum)
      SELECT grouping_index, grain, period, toInt64(${c}), k0, k1, toInt64(count()), toInt64(sum(person_key_number)),
        toInt64(0), toInt64(0)
      FROM (SELECT grouping_index, grain, period, k0, k1, person, person_key_number FROM ${TABLES.grainRefs}
            WHERE grain = 4 GROUP BY grouping_index, grain, period, k0, k1, person, person_key_number
            HAVING sum(refs) > 0)
      GROUP BY grouping_index, grain, period, k0, k1`);
    const certified = await certifyApplied(raw, TABLES, rows, before);
    expect(certified.filter(([grain]) => grain === 4)).toHaveLength(1);
    const r = (await allTimeVersions()).certified;
    expect(r).toBeGreaterThan(c);
    // The all-time persons with an identity of version r, per cell, equal a recount from the references (the PRT
    // cells, which only the tied writer's rows of c hold, included).
    const counted = await raw.select(
      `SELECT grouping_index, k0, k1, persons, key_sum FROM ${TABLES.counters}
       WHERE grain = 4 AND version = ${r} AND persons != 0 ORDER BY grouping_index, k0, k1`,
    );
    const recount = await raw.select(
      `SELECT grouping_index, k0, k1, toInt64(count()) AS persons, toInt64(sum(person_key_number)) AS key_sum
       FROM (SELECT grouping_index, k0, k1, person, person_key_number FROM ${TABLES.grainRefs} WHERE grain = 4
             GROUP BY grouping_index, k0, k1, person, person_key_number HAVING sum(refs) > 0)
       GROUP BY grouping_index, k0, k1 ORDER BY grouping_index, k0, k1`,
    );
    expect(recount.some((row) => row.k0 === 'PRT' || row.k1 === 'PRT')).toBe(true);
    expect(counted).toEqual(recount);
    expect(await lookups(raw)).toEqual([2, 2]);
    await expectExact(ref, 'a tied writer after the begin');
  }, 240_000);

  it('applies a batch whose state read fails, leaving its periods to the refresher', async () => {
    const ref = reference();
    const base = victims(20, 26, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    let failing = true;
    // The store's connection, whose first state read before a begin mark fails.
    const flaky = replacing(raw, {
      select: (sql) => {
        if (failing && sql.includes('certified, marks') && sql.includes(VALID)) {
          failing = false;
          return Promise.reject(new Error('injected failure of the state read'));
        }
        return raw.select(sql);
      },
    });
    const warnings: string[] = [];
    const store = createIndicatorStoreOn(flaky, () => Promise.resolve(), {
      warn: (_fields, message) => warnings.push(message),
    });
    const probe = { ...base[0]!, recordId: 'probe-1', personKey: 'p:probe-person' };
    expect(await store.apply([probe])).toEqual({ applied: 1, ignored: 0 });
    await ref.apply([probe]);
    expect(failing).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(await lookups(raw)).toEqual([0, 0]);
    await expectExact(ref, 'a failed state read');
  }, 240_000);

  it('writes no counters when it comes later than MAX_REFRESH_MS after its stamp', async () => {
    const base = victims(20, 27, 'base');
    await stores.store.apply(base);
    await stores.store.refreshCounters();
    const c = (await allTimeVersions()).certified;
    const rows = [
      { sign: 1, ...toInsertRow({ ...base[0]!, recordId: 'probe-1', personKey: 'p:probe-person' }) },
    ];
    const periods = touchedPeriods(rows);
    const before = await certifiedBefore(raw, TABLES, periods);
    const open = await openPeriods(raw, TABLES.fingerprint, periods);
    await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
    await open.end();
    // As late as a certification an hour after its stamp, which no wait in a test can make.
    await certifyApplied(raw, TABLES, rows, before, -3_600_000);
    expect(await allTimeVersions()).toEqual({ certified: c, highest: c });
  }, 240_000);
  it('misses no killed apply whose begin took its stamp before a certification and landed after it', async () => {
    const ref = reference();
    const lease = 1000;
    /** An apply with a lease of `lease` ms, certifying its periods itself when `certify`. */
    const apply = async (records: readonly NormalizedRecord[], certify: boolean) => {
      const rows = records.map((record) => ({ sign: 1, ...toInsertRow(record) }));
      const periods = touchedPeriods(rows);
      const before = certify ? await certifiedBefore(raw, TABLES, periods) : NOTHING_CERTIFIED;
      const open = await openPeriods(raw, TABLES.fingerprint, periods, lease);
      await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
      await open.end();
      await ref.apply(records);
      return certifyApplied(raw, TABLES, rows, before);
    };
    const base = victims(40, 28, 'base');
    await apply(base, false);
    await stores.store.refreshCounters();
    const x = { ...base[0]!, recordId: 'x-1', personKey: 'p:x-new' };
    expect((await apply([x], true)).filter(([grain]) => grain === 4)).toHaveLength(1);
    expect(await lookups(raw)).toEqual([2, 2]);
    const { certified: r } = await allTimeVersions();
    // W: a begin mark whose stamp (r - 1) was taken before the certification's and that landed after it, then W's
    // rows, then W is killed: no end.
    const w = { ...base[1]!, recordId: 'w-1', personKey: 'p:w-new' };
    const rows = [{ sign: 1, ...toInsertRow(w) }];
    await raw.command(
      `INSERT INTO rolling_period_marks_counted (fingerprint, grain, period, opens, marked, open_until, certified, marks)
       SELECT '${TABLES.fingerprint}', tupleElement(p, 1), tupleElement(p, 2), 1, ${r - 1}, ${r - 1 + lease}, 0, 1
       FROM (SELECT arrayJoin([${touchedPeriods(rows)
         .map(([grain, period]) => `(toUInt8(${grain}), '${period}')`)
         .join(', ')}]) AS p)`,
    );
    await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
    await ref.apply([w]);
    // Until W's lease ran out on the server's clock.
    await untilServerPast(raw, r - 1 + lease);
    expect(await lookups(raw)).toEqual([0, 0]);
    await expectExact(ref, 'a killed apply whose begin landed after a certification');
    // A refresh after the lease takes the periods for dirty and certifies them again.
    expect((await stores.store.refreshCounters()).certified).toBeGreaterThan(0);
    expect(await lookups(raw)).toEqual([2, 2]);
    await expectExact(ref, 'refreshed after the lease');
  }, 240_000);
  it('certifies nothing when a rebuild emptied the references before its change read, its marks landing after', async () => {
    const ref = reference();
    const base = victims(40, 29, 'base');
    await stores.store.apply(base);
    await ref.apply(base);
    await stores.store.refreshCounters();
    expect(await lookups(raw)).toEqual([2, 2]);
    // A new person: +1 in each of its cells, which a change read from references a rebuild emptied misses.
    const probe = { ...base[0]!, recordId: 'probe-1', personKey: 'p:probe-person' };
    const rows = [{ sign: 1, ...toInsertRow(probe) }];
    const periods = touchedPeriods(rows);
    const before = await certifiedBefore(raw, TABLES, periods);
    expect(before.periods).toHaveLength(periods.length);
    const open = await openPeriods(raw, TABLES.fingerprint, periods);
    await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
    await open.end();
    await ref.apply([probe]);
    // Another writer's insert failed (the tables are not usable), and a rebuild takes its stamp and empties them.
    await invalidateRolling(raw);
    const fingerprint = `'${TABLES.fingerprint}'`;
    const build = integer(
      (
        await raw.select(
          `SELECT greatest(toInt64(now()) * 1000, toInt64(max(abs(completed_at))) + 1) AS b FROM rolling_state
           WHERE fingerprint = ${fingerprint}`,
        )
      )[0]?.b,
    );
    for (const table of [TABLES.cells, TABLES.refs, TABLES.grainRefs])
      await raw.command(`TRUNCATE TABLE ${table}`);
    // Step 3 reads the emptied references; the rebuild then refills them, and its marks take their stamp, which the
    // server's clock passes before step 4 takes r.
    let buildMarked = 0;
    const racing = replacing(raw, {
      selectWith: async (...args) => {
        const change = await raw.selectWith(...args);
        const source = 'records_current FINAL';
        await raw.command(`INSERT INTO ${TABLES.cells} ${cellRowsSql(source, 'toInt8(1)')}`);
        await raw.command(`INSERT INTO ${TABLES.refs} ${refRowsSql(source, 'toInt8(1)')}`);
        await raw.command(`INSERT INTO ${TABLES.grainRefs} ${grainRefRowsSql(source, 'toInt8(1)')}`);
        buildMarked = integer((await raw.select(`SELECT (${nextStampSql(TABLES.fingerprint)}) AS s`))[0]?.s);
        await untilServerPast(raw, buildMarked);
        return change;
      },
    });
    const certified = await certifyApplied(racing, TABLES, rows, before);
    expect(buildMarked).toBeGreaterThan(0);
    // The rebuild's marks land now, below r, then its completion and seeding.
    await raw.command(
      `INSERT INTO rolling_period_marks_counted (fingerprint, grain, period, opens, marked, open_until, certified, marks)
       SELECT ${fingerprint}, grain, period, 0, ${buildMarked}, 0, 0, 1
       FROM (SELECT grain, period FROM rolling_periods WHERE fingerprint = ${fingerprint} AND grain > 0
             GROUP BY grain, period)`,
    );
    await raw.command(`INSERT INTO rolling_state SELECT ${fingerprint}, toInt64(${build})`);
    await recordSeeded(raw, TABLES.fingerprint, build);
    expect(await rollingBuilt(raw)).toBe(true);
    await expectExact(ref, 'a rebuild during the change read');
    expect(certified).toEqual([]);
    expect(await lookups(raw)).toEqual([0, 0]);
    await stores.store.refreshCounters();
    expect(await lookups(raw)).toEqual([2, 2]);
    await expectExact(ref, 'refreshed after the rebuild');
  }, 240_000);
  it('reads and sends nothing for the periods a killed apply left open, and certifies its others', async () => {
    const ref = reference();
    const lease = 1000;
    /** Writes records as an apply that ended, with a lease of `lease` ms (the store's would hold for 5 minutes). */
    const written = async (records: readonly NormalizedRecord[], begin: 'ended' | 'killed') => {
      const rows = records.map((record) => ({ sign: 1, ...toInsertRow(record) }));
      const periods = touchedPeriods(rows);
      if (begin === 'killed') await markPeriods(raw, TABLES.fingerprint, periods, 'begin', lease);
      const open = begin === 'ended' ? await openPeriods(raw, TABLES.fingerprint, periods, lease) : undefined;
      await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
      await open?.end();
      await ref.apply(records);
    };
    const base = victims(40, 30, 'base');
    await written(base, 'ended');
    const periodsOf = (record: NormalizedRecord) => touchedPeriods([{ sign: 1, ...toInsertRow(record) }]);
    const labelOf = (record: NormalizedRecord, grain: number) =>
      periodsOf(record).find(([g]) => g === grain)![1];
    // W, killed: its begin mark and rows, no end. Its lease runs out and a refresh certifies its periods with
    // W's +1 left in opens.
    const w = { ...base[0]!, recordId: 'w-1', personKey: 'p:w-person' };
    await written([w], 'killed');
    const until = Math.max(
      ...(await raw.select(`SELECT open_until FROM (${periodState(TABLES.fingerprint, 'grain > 0')})`)).map(
        (row) => integer(row.open_until),
      ),
    );
    await untilServerPast(raw, until);
    await stores.store.refreshCounters();
    // The statements of the apply path, with the (grain, period) of each row they send.
    const sent: { method: string; table?: string; periods?: string[] }[] = [];
    const recording = new Proxy(raw, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const external = args[0] as { name: string; rows: readonly Record<string, unknown>[] } | string;
          sent.push(
            typeof external === 'string'
              ? { method: String(property) }
              : {
                  method: String(property),
                  table: external.name,
                  periods: [
                    ...new Set(external.rows.map((row) => `${integer(row.grain)}|${String(row.period)}`)),
                  ].sort(),
                },
          );
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    /** An apply as the store runs it, on `recording`: steps 1 to 5 around its marks and rows. */
    const apply = async (record: NormalizedRecord) => {
      const rows = [{ sign: 1, ...toInsertRow(record) }];
      const periods = touchedPeriods(rows);
      sent.length = 0;
      const before = await certifiedBefore(recording, TABLES, periods);
      const open = await openPeriods(raw, TABLES.fingerprint, periods);
      await raw.insert(RECORD_CHANGES, rows, { oneBlock: true });
      await open.end();
      await ref.apply([record]);
      const certified = await certifyApplied(recording, TABLES, rows, before);
      return { before, certified: certified.map(([grain, period]) => `${grain}|${period}`).sort() };
    };
    // A probe of W's year in another quarter: W's year and all time are left out, its month and quarter certified.
    const other = base.find((r) => labelOf(r, 3) === labelOf(w, 3) && labelOf(r, 2) !== labelOf(w, 2))!;
    const own = [`1|${labelOf(other, 1)}`, `2|${labelOf(other, 2)}`];
    const a = await apply({ ...other, recordId: 'probe-a', personKey: 'p:probe-a' });
    expect(a.before.periods.map((b) => keyOf(b.period)).sort()).toEqual(own);
    expect(a.certified).toEqual(own);
    expect(sent.filter((s) => s.table !== undefined)).toEqual([
      { method: 'selectWith', table: 'applied', periods: own },
      { method: 'commandWith', table: 'counted', periods: own },
    ]);
    // The rows of c read at step 1: of those periods alone.
    expect(
      [...new Set(a.before.counters.map((row) => `${integer(row.grain)}|${String(row.period)}`))].sort(),
    ).toEqual(own);
    await expectExact(ref, 'a probe beside a killed apply');
    // A probe of W's month: every period left out (W's +1, and the year and all time under the first probe's lease):
    // after step 1's one statement, nothing is read or sent.
    const b = await apply({ ...w, recordId: 'probe-b', personKey: 'p:probe-b' });
    expect(b.before).toEqual(NOTHING_CERTIFIED);
    expect(b.certified).toEqual([]);
    expect(sent).toEqual([{ method: 'select' }]);
    await expectExact(ref, "a probe in the killed apply's month");
  }, 240_000);
});
