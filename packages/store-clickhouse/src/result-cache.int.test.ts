// Kept results on a real ClickHouse (deploy/local starts 18.16; MOSY_CLICKHOUSE_URL overrides it): a reader store and
// a writer store on one database, as report-api and the aggregator are. A read asked again with nothing written is
// one statement (the state of the tables) and the same object; every write the reader did not make, an apply, a
// withdrawal or a link of fuzzy linkage, shows in its next read, even when it lands right after the reader's
// statement read the tables.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGISTERED_STATUSES, type StoreQuery } from '@mosy/core';
import { buildNormalizedRecord as rec, clickHouseTestDatabases } from '@mosy/testkit';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { createIndicatorStoreOn, type ClickHouseIndicatorStore } from './indicator-store.js';
import { STATE_SQL } from './result-cache.js';
import { replacing } from './test-support.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const databases = clickHouseTestDatabases(URL_BASE);

/** Persons and records by sex: catalogue reads of the rolling tables (records in one statement). */
const PERSONS: StoreQuery = {
  kind: 'victim',
  unit: 'persons',
  by: ['sex'],
  filters: { status: REGISTERED_STATUSES },
  keySums: true,
};
const RECORDS: StoreQuery = { ...PERSONS, unit: 'records' };

const victim = (recordId: string, sex: string, version = 1) =>
  rec({ recordId, version, personKey: `p:${recordId}`, fields: { status: 'IDENTIFIED', sex } });

let database: string;
let writer: ClickHouseStores;
let connection: ClickHouseConnection;
/** Every SELECT the reader sent, and what to do after one of `select` has read (once). */
let sent: string[];
let afterRead: ((sql: string) => Promise<void>) | undefined;
let reader: ClickHouseIndicatorStore;

beforeEach(async () => {
  database = databases.fresh('test_result_cache');
  writer = await createClickHouseStores({ url: URL_BASE, database });
  connection = await ClickHouseConnection.open({ url: URL_BASE, database });
  sent = [];
  afterRead = undefined;
  const counted = replacing(connection, {
    select: async (sql: string) => {
      sent.push(sql);
      const rows = await connection.select(sql);
      const after = afterRead;
      if (after !== undefined && sql !== STATE_SQL) {
        afterRead = undefined;
        await after(sql);
      }
      return rows;
    },
    selectWithTotals: (sql: string) => {
      sent.push(sql);
      return connection.selectWithTotals(sql);
    },
  });
  reader = createIndicatorStoreOn(counted, () => connection.close());
  await writer.store.apply([victim('a', 'F'), victim('b', 'F'), victim('c', 'M')]);
});

afterEach(async () => {
  await reader.close();
  await writer.close();
  await databases.drop(database);
});

const cells = (result: Awaited<ReturnType<ClickHouseIndicatorStore['query']>>) => [
  ...result.cells.map((cell) => [cell.key.sex ?? cell.period, cell.value]),
  ['total', result.total],
];

describe('results kept by a ClickHouse store', () => {
  it('answers a read asked again with one statement and the same object, until another store applies', async () => {
    const first = await reader.query(PERSONS);
    expect(cells(first)).toEqual([
      ['F', 2],
      ['M', 1],
      ['total', 3],
    ]);
    sent = [];
    expect(await reader.query(PERSONS)).toBe(first);
    expect(sent).toEqual([STATE_SQL]);
    await writer.store.apply([victim('d', 'M'), victim('a', 'F', 2)]);
    expect(cells(await reader.query(PERSONS))).toEqual([
      ['F', 2],
      ['M', 2],
      ['total', 4],
    ]);
    await writer.store.apply([{ ...victim('b', 'F', 3), action: 'withdraw', fields: {} }]);
    expect(cells(await reader.query(PERSONS))).toEqual([
      ['F', 1],
      ['M', 2],
      ['total', 3],
    ]);
  });

  it('reads again after an apply that landed right after its statement had read the tables', async () => {
    const before = await reader.query(RECORDS);
    expect(cells(before)).toEqual([
      ['F', 2],
      ['M', 1],
      ['total', 3],
    ]);
    afterRead = async () => {
      await writer.store.apply([victim('d', 'M')]);
    };
    // Another read (its own key), one statement that reads the tables before the apply lands.
    const read = { ...RECORDS, keySums: false };
    expect(cells(await reader.query(read))).toEqual([
      ['F', 2],
      ['M', 1],
      ['total', 3],
    ]);
    expect(afterRead).toBeUndefined();
    // Nothing else looked at the state in between: the next read must find it changed all the same.
    expect(cells(await reader.query(read))).toEqual([
      ['F', 2],
      ['M', 2],
      ['total', 4],
    ]);
    expect(cells(await reader.query(RECORDS))).toEqual([
      ['F', 2],
      ['M', 2],
      ['total', 4],
    ]);
  });

  it('counts persons again after fuzzy linkage linked two records', async () => {
    expect(cells(await reader.query(PERSONS))).toEqual([
      ['F', 2],
      ['M', 1],
      ['total', 3],
    ]);
    await writer.linkage.write({
      changes: [],
      relinks: [
        { providerId: 'prov-a', recordId: 'a', personKey: 'l:one' },
        { providerId: 'prov-a', recordId: 'b', personKey: 'l:one' },
      ],
      merges: 1,
      revisedRecords: 1,
    });
    expect(cells(await reader.query(PERSONS))).toEqual([
      ['F', 1],
      ['M', 1],
      ['total', 2],
    ]);
  });

  it('reads an ad-hoc query and the parts of a report again after another store applies', async () => {
    // Only identified victims: not a catalogue read, so the current records are scanned.
    const adHoc: StoreQuery = { ...PERSONS, filters: { status: ['IDENTIFIED'] }, by: ['sex', 'status'] };
    const parts = [['sex'], []] as const;
    const partCells = (results: Awaited<ReturnType<ClickHouseIndicatorStore['queryParts']>>) =>
      results?.map((result) => [result.cells.map((cell) => cell.value), result.total]);
    expect(cells(await reader.query(adHoc))).toEqual([
      ['F', 2],
      ['M', 1],
      ['total', 3],
    ]);
    expect(sent.some((sql) => sql.includes('FROM records_current'))).toBe(true);
    expect(partCells(await reader.queryParts(PERSONS, parts))).toEqual([
      [[2, 1], 3],
      [[3], 3],
    ]);
    sent = [];
    await reader.query(adHoc);
    await reader.queryParts(PERSONS, parts);
    expect(sent).toEqual([STATE_SQL, STATE_SQL]);
    await writer.store.apply([victim('d', 'F'), { ...victim('c', 'M', 2), action: 'withdraw', fields: {} }]);
    expect(cells(await reader.query(adHoc))).toEqual([
      ['F', 3],
      ['total', 3],
    ]);
    expect(partCells(await reader.queryParts(PERSONS, parts))).toEqual([
      [[3], 3],
      [[3], 3],
    ]);
  });
});
