// The total of a query broken down by list fields on a real ClickHouse (MOSY_CLICKHOUSE_URL), on a database
// `test_list_total_<uuid>` of its own. Such cells need a statement over `records_current FINAL` of their own (the
// unnest), and the total beside them is the rolling counts' where they hold it: one scan of the current records, not
// two. The answer is the reference store's whichever way the total came, including persons with several records,
// lists with repeated and no codes, withdrawals and records the filter leaves out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGISTERED_STATUSES, type NormalizedRecord, type StoreQuery } from '@mosy/core';
import {
  buildNormalizedRecord,
  clickHouseTestDatabases,
  comparableResult,
  createReferenceIndicatorStore,
} from '@mosy/testkit';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { createIndicatorStoreOn, type ClickHouseIndicatorStore } from './indicator-store.js';
import { invalidateRolling } from './rolling.js';
import { replacing } from './test-support.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const databases = clickHouseTestDatabases(URL_BASE);

const BY_LISTS: StoreQuery = {
  kind: 'victim',
  unit: 'persons',
  by: ['citizenship', 'exploitation'],
  filters: { status: REGISTERED_STATUSES },
  keySums: true,
};

const victim = (
  recordId: string,
  personKey: string,
  citizenship: readonly string[],
  exploitation: readonly string[],
  status = 'IDENTIFIED',
): NormalizedRecord =>
  buildNormalizedRecord({
    recordId,
    personKey,
    fields: { status, sex: 'F', citizenship: [...citizenship], exploitation: [...exploitation] },
  });

const RECORDS: readonly NormalizedRecord[] = [
  victim('a', 'p:1', ['PT', 'BR'], ['SEX']),
  // The same person again: once in the total, once in each cell.
  victim('b', 'p:1', ['PT'], ['SEX', 'LAB', 'SEX']),
  victim('c', 'p:2', ['BR'], ['LAB']),
  // In the total, in no cell.
  victim('d', 'p:3', [], ['SEX']),
  victim('e', 'p:4', ['PT'], []),
  // Left out by the filter.
  victim('f', 'p:5', ['PT'], ['SEX'], 'NOT_CONFIRMED'),
  victim('g', 'p:6', ['BR'], ['SEX']),
];
const WITHDRAWN = { ...RECORDS[6]!, version: 2, action: 'withdraw', fields: {} } as NormalizedRecord;

let database: string;
let stores: ClickHouseStores;
let connection: ClickHouseConnection;
/** Every statement the reader sent. */
let sent: string[];
let reader: ClickHouseIndicatorStore;

beforeEach(async () => {
  database = databases.fresh('test_list_total');
  stores = await createClickHouseStores({ url: URL_BASE, database });
  connection = await ClickHouseConnection.open({ url: URL_BASE, database });
  sent = [];
  const recording = replacing(connection, {
    select: (sql: string) => {
      sent.push(sql);
      return connection.select(sql);
    },
    selectWithTotals: (sql: string) => {
      sent.push(sql);
      return connection.selectWithTotals(sql);
    },
  });
  reader = createIndicatorStoreOn(recording, () => connection.close());
  await stores.store.apply(RECORDS);
  await stores.store.apply([WITHDRAWN]);
});

afterEach(async () => {
  await reader.close();
  await stores.close();
  await databases.drop(database);
});

const reference = async () => {
  const store = createReferenceIndicatorStore();
  await store.apply(RECORDS);
  await store.apply([WITHDRAWN]);
  return comparableResult(await store.query(BY_LISTS));
};

const scansOfRecords = () => sent.filter((sql) => sql.includes('records_current')).length;

describe('the total of a breakdown by lists on ClickHouse', () => {
  it('comes from the rolling counts beside one scan of the current records', async () => {
    const result = await reader.query(BY_LISTS);
    expect(result.total).toBe(4);
    expect(comparableResult(result)).toEqual(await reference());
    expect(result.cells.map((cell) => [cell.key.citizenship, cell.key.exploitation, cell.value])).toEqual([
      ['BR', 'LAB', 1],
      ['BR', 'SEX', 1],
      ['PT', 'LAB', 1],
      ['PT', 'SEX', 1],
    ]);
    expect(scansOfRecords()).toBe(1);
  });

  it('comes from a statement of its own while the rolling counts cannot be used, as exact', async () => {
    await invalidateRolling(connection);
    const result = await reader.query(BY_LISTS);
    expect(result.total).toBe(4);
    expect(comparableResult(result)).toEqual(await reference());
    expect(scansOfRecords()).toBe(2);
  });
});
