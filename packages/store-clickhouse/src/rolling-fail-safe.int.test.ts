// What keeps the ClickHouse rolling counts exact or out of reads when something goes wrong (real ClickHouse, each
// test on its own database, dropped afterwards): a replica that takes over partitions waits for the apply insert the
// previous owner left running before it reads stored versions; a rolling-counts build that fails during migrate is
// logged and leaves reads on the current records instead of stopping the store from opening; the build lock carries
// its owner's token, so of two processes that find the same stale lock only one takes it, and a build whose lock
// was taken over records nothing and leaves the new owner's lock.
import { request, type ClientRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGISTERED_STATUSES, rollingReadOf, type StoreQuery } from '@mosy/core';
import { buildNormalizedRecord as rec, clickHouseTestDatabases } from '@mosy/testkit';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { toInsertRow } from './indicator-store.js';
import { applyPrefix, runningInserts } from './record-changes.js';
import { replacing } from './test-support.js';
import {
  buildRolling,
  invalidateRolling,
  lockOwner,
  rollingBuilt,
  rollingTables,
  takeLock,
  takeStaleLock,
} from './rolling.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const TABLES = rollingTables();

const databases = clickHouseTestDatabases(URL_BASE);

const bySex = (unit: 'records' | 'persons'): StoreQuery => ({
  kind: 'victim',
  unit,
  by: ['sex'],
  filters: { status: REGISTERED_STATUSES },
});

describe('ClickHouse rolling counts fail safe', () => {
  let database: string;
  let stores: ClickHouseStores;
  let raw: ClickHouseConnection;
  beforeEach(async () => {
    database = databases.fresh('test_rolling_safe');
    stores = await createClickHouseStores({ url: URL_BASE, database });
    raw = await ClickHouseConnection.open({ url: URL_BASE, database });
  });
  afterEach(async () => {
    await raw.close();
    await stores.close();
    await databases.drop(database);
  });

  it('waits, after taking partitions over, for the insert their previous owner left running', async () => {
    expect(rollingReadOf(bySex('records'))).toBeDefined();
    const v1 = rec({ recordId: 'a', personKey: 'p:1', fields: { sex: 'F' } });
    const v2 = rec({ recordId: 'a', personKey: 'p:1', version: 2, fields: { sex: 'M' } });
    const v3 = rec({ recordId: 'a', personKey: 'p:1', version: 3, fields: { sex: 'UNK' } });
    // The store has applied before: its first-apply wait is behind it.
    expect(await stores.store.apply([v1])).toEqual({ applied: 1, ignored: 0 });
    // The previous owner's apply of v2 (replacing v1), still being received by the server when its process died.
    const rows = [
      { sign: -1, ...toInsertRow(v1) },
      { sign: 1, ...toInsertRow(v2) },
    ];
    const query = encodeURIComponent('INSERT INTO record_changes FORMAT JSONEachRow');
    const queryId = `${applyPrefix(database)}previousowner-0`;
    const held: ClientRequest = request(
      `${URL_BASE}/?database=${database}&query_id=${queryId}&query=${query}`,
      {
        method: 'POST',
      },
    );
    const finished = new Promise<void>((resolve, reject) => {
      held.on('response', (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`insert ${response.statusCode}`)),
        );
      });
      held.on('error', reject);
    });
    // The server starts the query only once it has read some megabytes of the body (the query text is parsed from
    // its start): JSONEachRow skips the blanks after the rows.
    held.write(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n${' '.repeat(4_000_000)}`);
    try {
      while ((await runningInserts(raw, queryId)) === 0)
        await new Promise((resolve) => setTimeout(resolve, 50));
      stores.store.takeOver();
      let done = false;
      const applying = stores.store.apply([v3]).then((outcome) => {
        done = true;
        return outcome;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      held.end();
      await finished;
      expect(await applying).toEqual({ applied: 1, ignored: 0 });
    } finally {
      held.destroy();
    }
    // v2 replaced v1 and v3 replaced v2, each -1 once: one record, in v3's cell, in the rolling tables as in FINAL.
    expect(await rollingBuilt(raw)).toBe(true);
    expect(await stores.store.query(bySex('records'))).toEqual({
      cells: [{ key: { sex: 'UNK' }, value: 1 }],
      total: 1,
    });
    expect(await stores.store.query(bySex('persons'))).toEqual({
      cells: [{ key: { sex: 'UNK' }, value: 1 }],
      total: 1,
    });
  });

  it('opens and reads the current records when the build fails during migrate, and logs it', async () => {
    await stores.store.apply([
      rec({ recordId: 'a', personKey: 'p:1', fields: { sex: 'F' } }),
      rec({ recordId: 'b', personKey: 'p:1', fields: { sex: 'F' } }),
      rec({ recordId: 'c', personKey: 'p:2', fields: { sex: 'M' } }),
    ]);
    // Tables to rebuild, and a cells table the build cannot fill (a table of another shape under its name).
    await raw.command(`DROP TABLE ${TABLES.cellsView}`);
    await raw.command(`DROP TABLE ${TABLES.cells}`);
    await raw.command(`CREATE TABLE ${TABLES.cells} (unexpected UInt8) ENGINE = Memory`);
    await invalidateRolling(raw);
    const warnings: { fields: object; message: string }[] = [];
    const logger = { warn: (fields: object, message: string) => warnings.push({ fields, message }) };

    const reopened = await createClickHouseStores({ url: URL_BASE, database, logger });
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(/rolling counts could not be built/);
      await reopened.store.migrate();
      expect(warnings).toHaveLength(2);
      expect(await rollingBuilt(raw)).toBe(false);
      expect(await reopened.store.query(bySex('records'))).toEqual({
        cells: [
          { key: { sex: 'F' }, value: 2 },
          { key: { sex: 'M' }, value: 1 },
        ],
        total: 3,
      });
      expect(await reopened.store.query(bySex('persons'))).toEqual({
        cells: [
          { key: { sex: 'F' }, value: 1 },
          { key: { sex: 'M' }, value: 1 },
        ],
        total: 2,
      });
    } finally {
      await reopened.close();
    }
  });

  it('lets only one of two processes that found the same stale lock take it', async () => {
    const other = rollingTables('00000000000010c5');
    await raw.command(`CREATE TABLE ${other.lock} (owner_dead UInt8) ENGINE = TinyLog`);
    expect(await lockOwner(raw, other)).toBe('dead');
    // Both saw the dead owner's lock; the first replaces it with its own, the second must not take that one.
    expect(await takeStaleLock(raw, other, 'dead', 'first')).toBe(true);
    await raw.command(`CREATE TABLE ${other.lock} (owner_first UInt8) ENGINE = TinyLog`);
    expect(await takeStaleLock(raw, other, 'dead', 'second')).toBe(false);
    expect(await lockOwner(raw, other)).toBe('first');
    // A lock of code before tokens has no owner token, and is taken over as the stale owner ''.
    const legacy = rollingTables('00000000000020c5');
    await raw.command(`CREATE TABLE ${legacy.lock} (taken Int64) ENGINE = TinyLog`);
    expect(await lockOwner(raw, legacy)).toBe('');
    expect(await takeLock(raw, legacy, 0, 'third')).toBe(true);
    expect(await lockOwner(raw, legacy)).toBe('third');
  });

  it('records no build, and leaves the lock alone, once another process took its lock over', async () => {
    await stores.store.apply([rec({ recordId: 'a', fields: { sex: 'F' } })]);
    const other = rollingTables('00000000000030c5');
    // Right after the build has filled the tables, another process finds its lock stale and takes it over.
    const usurped = replacing(raw, {
      command: async (sql) => {
        await raw.command(sql);
        if (sql.startsWith(`INSERT INTO ${other.refs} `)) {
          await raw.command(`DROP TABLE ${other.lock}`);
          await raw.command(`CREATE TABLE ${other.lock} (owner_usurper UInt8) ENGINE = TinyLog`);
        }
      },
    });
    expect(await buildRolling(usurped, {}, other)).toBe(false);
    expect(await rollingBuilt(raw, other)).toBe(false);
    expect(await lockOwner(raw, other)).toBe('usurper');
  });
});
