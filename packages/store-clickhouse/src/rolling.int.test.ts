// Rolling counts on a real ClickHouse (deploy/local starts 18.16; MOSY_CLICKHOUSE_URL overrides it), each test on
// its own database `test_rolling_<uuid>`, dropped afterwards: apply's one insert into record_changes writes exactly
// one row per applied version to records_current through the view and a replay writes nothing anywhere; with
// merges stopped every catalogue read from the rolling tables equals the reference computed from the current
// records, and again after merging; rolling tables of another fingerprint are rebuilt from the current records and
// then kept by the views; no build while another process holds the lock or an apply insert runs, and none that
// empties tables another process built while this one waited for the lock.
import { request } from 'node:http';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  REGISTERED_STATUSES,
  ROLLING_GROUPINGS,
  isGeoDimension,
  rollingReadOf,
  type NormalizedRecord,
  type RollingGrouping,
  type StoreQuery,
} from '@mosy/core';
import { PERIOD_PART, integer, partQuery } from '@mosy/sql';
import {
  benchRecords,
  buildNormalizedRecord as rec,
  catalogueQueryArb,
  clickHouseTestDatabases,
  createReferenceIndicatorStore,
  recordBatchesArb,
  comparableResult,
} from '@mosy/testkit';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { toInsertRow } from './indicator-store.js';
import { applyPrefix, runningInserts } from './record-changes.js';
import { buildRolling, invalidateRolling, readRolling, rollingBuilt, rollingTables } from './rolling.js';
import { replacing } from './test-support.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const TABLES = rollingTables();
const WRITTEN = ['records_current', TABLES.cells, TABLES.refs, TABLES.grainRefs] as const;

const databases = clickHouseTestDatabases(URL_BASE);

interface Fixture {
  readonly database: string;
  readonly stores: ClickHouseStores;
  /** The same database under the store. */
  readonly raw: ClickHouseConnection;
}

async function openFixture(): Promise<Fixture> {
  const database = databases.fresh('test_rolling');
  const stores = await createClickHouseStores({ url: URL_BASE, database });
  const raw = await ClickHouseConnection.open({ url: URL_BASE, database });
  return { database, stores, raw };
}

async function closeFixture(fixture: Fixture): Promise<void> {
  await fixture.raw.close();
  await fixture.stores.close();
  await databases.drop(fixture.database);
}

const physicalRows = async (raw: ClickHouseConnection, table: string): Promise<number> =>
  integer((await raw.select(`SELECT count() AS n FROM ${table}`))[0]?.n);

/**
 * Records of every kind the catalogue counts (bench victims, and the same records as suspects and prosecutions
 * every fifth and seventh), then corrections of every seventh, withdrawals of every eleventh, and a replay of the
 * first batch.
 */
function history(count: number): NormalizedRecord[][] {
  const record = benchRecords(count, 7);
  const kindOf = (index: number): NormalizedRecord['kind'] =>
    index % 5 === 0 ? 'suspect' : index % 7 === 3 ? 'prosecution' : 'victim';
  const make = (index: number, version = 1): NormalizedRecord => ({
    ...record(index, version),
    kind: kindOf(index),
  });
  const first = Array.from({ length: count }, (_, i) => make(i));
  const corrections = first.filter((_, i) => i % 7 === 0).map((_, j) => make(j * 7, 2));
  const withdrawals = first
    .filter((_, i) => i % 11 === 0)
    .map((r) => ({ ...r, version: 3, action: 'withdraw' as const, fields: {} }));
  return [
    first.slice(0, count / 2),
    first.slice(count / 2),
    corrections,
    withdrawals,
    first.slice(0, count / 2),
  ];
}

/** Catalogue reads of a grouping: both units, all time, per quarter, a framed quarter by month, per provider. */
function catalogueQueries(grouping: RollingGrouping): StoreQuery[] {
  const base = { kind: grouping.kind, by: grouping.by, filters: grouping.filters, keySums: true };
  const geo = grouping.by.some(isGeoDimension) ? { geoLevel: 1 as const } : {};
  return [
    { ...base, unit: 'persons' },
    { ...base, unit: 'records', interval: 'quarter' },
    { ...base, unit: 'persons', interval: 'quarter' },
    { ...base, ...geo, unit: 'persons', interval: 'month', from: '2023-04-01', to: '2023-06-30' },
    { ...base, unit: 'persons', by: [...grouping.by, 'providerId'], interval: 'year' },
    {
      ...base,
      unit: 'records',
      filters: { ...grouping.filters, providerId: ['prov-3', 'prov-4'] },
      from: '2022-01-01',
      to: '2024-12-31',
    },
  ];
}

const QUERIES = ROLLING_GROUPINGS.flatMap(catalogueQueries);

describe('rolling counts on ClickHouse', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await openFixture();
  });
  afterEach(async () => {
    await closeFixture(fixture);
  });

  it('writes one records_current row per applied version through the view; a replayed batch writes nothing', async () => {
    const { stores, raw } = fixture;
    for (const table of WRITTEN) await raw.command(`SYSTEM STOP MERGES ${table}`);
    let applied = 0;
    const batches = history(400);
    for (const batch of batches.slice(0, 4)) applied += (await stores.store.apply(batch)).applied;
    expect(await physicalRows(raw, 'records_current')).toBe(applied);
    const written = await Promise.all(WRITTEN.map((table) => physicalRows(raw, table)));
    expect(written[1]).toBeGreaterThan(0);
    expect(written[2]).toBeGreaterThan(0);
    expect(written[3]).toBeGreaterThan(0);
    for (const batch of batches) expect((await stores.store.apply(batch)).applied).toBe(0);
    expect(await Promise.all(WRITTEN.map((table) => physicalRows(raw, table)))).toEqual(written);
  });

  it('answers every catalogue read like the current records with merges stopped, and after merging', async () => {
    const { stores, raw } = fixture;
    for (const table of WRITTEN) await raw.command(`SYSTEM STOP MERGES ${table}`);
    const reference = createReferenceIndicatorStore();
    for (const batch of history(600))
      expect(await stores.store.apply(batch)).toEqual(await reference.apply(batch));
    expect(await rollingBuilt(raw)).toBe(true);
    // Unmerged: a person's +1 and -1 in one cell sit in different parts, and only their sum says they left it.
    for (const query of QUERIES) {
      const read = rollingReadOf(query);
      expect(read, JSON.stringify(query)).toBeDefined();
      expect(comparableResult(await readRolling(raw, query, read!)), JSON.stringify(query)).toEqual(
        comparableResult(await reference.query(query)),
      );
    }
    for (const table of WRITTEN) {
      await raw.command(`SYSTEM START MERGES ${table}`);
      await raw.command(`OPTIMIZE TABLE ${table} FINAL`);
    }
    // Merged, through the store (routed to the rolling tables, which are complete).
    for (const query of QUERIES) {
      expect(comparableResult(await stores.store.query(query)), JSON.stringify(query)).toEqual(
        comparableResult(await reference.query(query)),
      );
    }
  });

  it('rebuilds the tables of another fingerprint from the current records, then keeps them by its views', async () => {
    const { stores, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [first, second, corrections, withdrawals] = history(300);
    for (const batch of [first!, second!]) {
      await reference.apply(batch);
      await stores.store.apply(batch);
    }
    const other = rollingTables('00c0ffee00c0ffee');
    expect(await rollingBuilt(raw, other)).toBe(false);
    expect(await buildRolling(raw, {}, other)).toBe(true);
    expect(await rollingBuilt(raw, other)).toBe(true);
    for (const batch of [corrections!, withdrawals!]) {
      await reference.apply(batch);
      await stores.store.apply(batch);
    }
    for (const query of QUERIES) {
      expect(
        comparableResult(await readRolling(raw, query, rollingReadOf(query)!, other)),
        JSON.stringify(query),
      ).toEqual(comparableResult(await reference.query(query)));
    }
  });

  it('does not build while another process holds the build lock, and builds once it is released', async () => {
    const { stores, raw } = fixture;
    const other = rollingTables('00000000deadbeef');
    await raw.command(`CREATE TABLE ${other.lock} (taken Int64) ENGINE = TinyLog`);
    const [first] = history(100);
    await stores.store.apply(first!);
    expect(await buildRolling(raw, {}, other)).toBe(false);
    expect(await rollingBuilt(raw, other)).toBe(false);
    expect(await physicalRows(raw, other.cells)).toBe(0);
    await raw.command(`DROP TABLE ${other.lock}`);
    expect(await buildRolling(raw, {}, other)).toBe(true);
    expect(await physicalRows(raw, other.cells)).toBeGreaterThan(0);
  });

  it('does not empty tables another process built while this one waited to take the lock', async () => {
    const { stores, raw } = fixture;
    const other = rollingTables('0000000000b0117d');
    const [first] = history(100);
    await stores.store.apply(first!);
    // This process finds the tables not usable; before it looks for the lock, another builds them and releases it.
    const commands: string[] = [];
    let builtByOther = false;
    const late = replacing(raw, {
      select: async (sql) => {
        if (!builtByOther && sql.includes('metadata_modification_time')) {
          builtByOther = true;
          expect(await buildRolling(raw, {}, other)).toBe(true);
        }
        return raw.select(sql);
      },
      command: (sql) => {
        commands.push(sql);
        return raw.command(sql);
      },
    });
    expect(await buildRolling(late, {}, other)).toBe(true);
    expect(builtByOther).toBe(true);
    expect(commands.filter((sql) => sql.startsWith('TRUNCATE'))).toEqual([]);
    expect(await rollingBuilt(raw, other)).toBe(true);
    expect(await physicalRows(raw, other.cells)).toBeGreaterThan(0);
  });

  it('answers random catalogue reads like the current records after random upserts, withdrawals and replays', async () => {
    const { database } = fixture;
    let routed = 0;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        recordBatchesArb(['victim', 'suspect']),
        fc.array(catalogueQueryArb(['victim', 'suspect']), { minLength: 4, maxLength: 12 }),
        async (batches, queries) => {
          // One database per run, merges stopped, so that the sums run over unmerged parts.
          const stores = await createClickHouseStores({ url: URL_BASE, database: `${database}_${run++}` });
          try {
            const reference = createReferenceIndicatorStore();
            const raw = await ClickHouseConnection.open({
              url: URL_BASE,
              database: `${database}_${run - 1}`,
            });
            for (const table of WRITTEN) await raw.command(`SYSTEM STOP MERGES ${table}`);
            await raw.close();
            for (const batch of batches)
              expect(await stores.store.apply(batch)).toEqual(await reference.apply(batch));
            for (const asked of queries) {
              const query = { ...asked, keySums: true };
              if (rollingReadOf(query) !== undefined) routed++;
              expect(comparableResult(await stores.store.query(query)), JSON.stringify(query)).toEqual(
                comparableResult(await reference.query(query)),
              );
            }
          } finally {
            await stores.close();
            await databases.drop(`${database}_${run - 1}`);
          }
        },
      ),
      { numRuns: 12 },
    );
    expect(routed).toBeGreaterThan(12);
  }, 300_000);

  it('reads from the current records after an insert that failed in a rolling view, until migrate rebuilds', async () => {
    const { stores, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    const [first, second] = history(120);
    expect(await stores.store.apply(first!)).toEqual(await reference.apply(first!));
    // The views are not one transaction: with the references gone, records_current may take the batch without them.
    await raw.command(`DROP TABLE ${TABLES.refs}`);
    await expect(stores.store.apply(second!)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await rollingBuilt(raw)).toBe(false);
    // Catalogue reads no longer touch the rolling tables (a persons read there would fail: no references table).
    const persons = QUERIES.filter((query) => query.unit === 'persons').slice(0, 10);
    for (const query of persons) await stores.store.query(query);
    await stores.store.migrate();
    expect(await rollingBuilt(raw)).toBe(true);
    await stores.store.apply(second!);
    await reference.apply(second!);
    for (const query of QUERIES.slice(0, 60))
      expect(
        comparableResult(await readRolling(raw, query, rollingReadOf(query)!)),
        JSON.stringify(query),
      ).toEqual(comparableResult(await reference.query(query)));
  });

  it('uses a rebuild that completes within the same second as the invalidation before it', async () => {
    const { stores, raw } = fixture;
    await stores.store.apply(history(20)[0]!);
    // Stamps in seconds tied here, and a tie counts as invalid: the rebuilt tables went unused.
    for (let round = 0; round < 3; round++) {
      await invalidateRolling(raw);
      expect(await rollingBuilt(raw)).toBe(false);
      expect(await buildRolling(raw, { settleMs: 0 })).toBe(true);
      expect(await rollingBuilt(raw)).toBe(true);
    }
  });

  it('does not build while an apply insert of the database runs', async () => {
    const { stores, raw, database } = fixture;
    const [first] = history(100);
    await stores.store.apply(first!);
    // An endless insert named like an apply of this database, until killed.
    await raw.command('CREATE TABLE scratch (n UInt64) ENGINE = Null');
    const queryId = `${applyPrefix(database)}endless`;
    const query = encodeURIComponent('INSERT INTO scratch SELECT number FROM system.numbers');
    const endless = fetch(`${URL_BASE}/?database=${database}&query_id=${queryId}&query=${query}`, {
      method: 'POST',
    }).catch(() => undefined);
    try {
      while ((await runningInserts(raw, applyPrefix(database))) === 0)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const other = rollingTables('00000000feedface');
      expect(await buildRolling(raw, { attempts: 2, settleMs: 300 }, other)).toBe(false);
      expect(await rollingBuilt(raw, other)).toBe(false);
    } finally {
      await raw.command(`KILL QUERY WHERE query_id = '${queryId}' SYNC`);
      await endless;
    }
  });

  it('waits, before its first apply, for an apply insert a dead process left running', async () => {
    const { raw, database } = fixture;
    await raw.command('CREATE TABLE scratch (n UInt64) ENGINE = Null');
    const queryId = `${applyPrefix(database)}dead-endless`;
    const query = encodeURIComponent('INSERT INTO scratch SELECT number FROM system.numbers');
    const endless = fetch(`${URL_BASE}/?database=${database}&query_id=${queryId}&query=${query}`, {
      method: 'POST',
    }).catch(() => undefined);
    const successor = await createClickHouseStores({ url: URL_BASE, database });
    try {
      while ((await runningInserts(raw, applyPrefix(database))) === 0)
        await new Promise((resolve) => setTimeout(resolve, 50));
      let done = false;
      const applying = successor.store.apply(history(20)[0]!).then((outcome) => {
        done = true;
        return outcome;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      await raw.command(`KILL QUERY WHERE query_id = '${queryId}' SYNC`);
      expect((await applying).applied).toBe(10);
    } finally {
      await raw.command(`KILL QUERY WHERE query_id = '${queryId}' SYNC`);
      await endless;
      await successor.close();
    }
  });

  it('writes nothing of a batch whose insert request was cut off, and the replay applies it exactly', async () => {
    const { stores, raw, database } = fixture;
    const batch = [
      rec({ recordId: 'a', fields: { sex: 'F' } }),
      rec({ recordId: 'b', personKey: 'p:1', fields: { sex: 'M' } }),
    ];
    // What apply would send, cut off before its end by a crashing client.
    const body = `${batch.map((record) => JSON.stringify({ sign: 1, ...toInsertRow(record) })).join('\n')}\n`;
    await new Promise<void>((resolve) => {
      const query = encodeURIComponent('INSERT INTO record_changes FORMAT JSONEachRow');
      const req = request(`${URL_BASE}/?database=${database}&query=${query}`, { method: 'POST' });
      req.on('error', () => resolve());
      req.write(body.slice(0, body.length - 40), () => {
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
    });
    for (const table of WRITTEN) expect(await physicalRows(raw, table)).toBe(0);
    expect(await stores.store.apply(batch)).toEqual({ applied: 2, ignored: 0 });
    expect(await stores.store.apply(batch)).toEqual({ applied: 0, ignored: 2 });
    const bySex: StoreQuery = {
      kind: 'victim',
      unit: 'persons',
      by: ['sex'],
      filters: { status: REGISTERED_STATUSES },
    };
    expect(rollingReadOf(bySex)).toBeDefined();
    expect(await stores.store.query(bySex)).toEqual({
      cells: [
        { key: { sex: 'F' }, value: 1 },
        { key: { sex: 'M' }, value: 1 },
      ],
      total: 2,
    });
  });

  it("answers a report's parts from the rolling tables when every part is a catalogue read", async () => {
    const { stores, raw } = fixture;
    const reference = createReferenceIndicatorStore();
    for (const batch of history(300)) await Promise.all([stores.store.apply(batch), reference.apply(batch)]);
    const subsets = (items: readonly string[]): string[][] =>
      items.reduce<string[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]);
    const tables = QUERIES.map((query) => ({
      query,
      parts: subsets([...query.by, ...(query.interval === undefined ? [] : [PERIOD_PART])]),
    })).filter(({ query, parts }) =>
      parts.every((part) => rollingReadOf(partQuery(query, part)) !== undefined),
    );
    expect(tables.length).toBeGreaterThan(QUERIES.length / 2);
    const answers = () =>
      Promise.all(tables.map(({ query, parts }) => stores.store.queryParts(query, parts)));
    const expected = await Promise.all(
      tables.map(({ query, parts }) =>
        Promise.all(
          parts.map(async (part) => comparableResult(await reference.query(partQuery(query, part)))),
        ),
      ),
    );
    expect((await answers()).map((results) => results?.map(comparableResult))).toEqual(expected);
    // With the current records emptied behind the store's back, only the rolling tables still count them.
    await raw.command('TRUNCATE TABLE records_current');
    expect((await answers()).map((results) => results?.map(comparableResult))).toEqual(expected);
  });
});
