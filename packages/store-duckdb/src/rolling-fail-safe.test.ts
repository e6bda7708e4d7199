// When the DuckDB rolling tables cannot be trusted, catalogue reads come from the current records: a rebuild that
// fails during migrate is logged and the store opens anyway (no fingerprint recorded), and a store without rolling
// counts (the bench's `rolling: false`) that writes the database disowns the tables in its apply's transaction.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGISTERED_STATUSES, rollingReadOf, type StoreQuery } from '@mosy/core';
import { buildNormalizedRecord as rec } from '@mosy/testkit';
import { DuckDbDatabase } from './database.js';
import { createDuckDbStores } from './duckdb-stores.js';
import { createIndicatorStoreOn } from './indicator-store.js';
import { rollingInSync } from './rolling.js';

const bySex = (unit: 'records' | 'persons'): StoreQuery => ({
  kind: 'victim',
  unit,
  by: ['sex'],
  filters: { status: REGISTERED_STATUSES },
});

const first = [
  rec({ recordId: 'a', personKey: 'p:1', fields: { sex: 'F' } }),
  rec({ recordId: 'b', personKey: 'p:1', fields: { sex: 'F' } }),
  rec({ recordId: 'c', personKey: 'p:2', fields: { sex: 'M' } }),
];
// A correction of a (F to M), a withdrawal of c, a new record d.
const second = [
  rec({ recordId: 'a', personKey: 'p:1', version: 2, fields: { sex: 'M' } }),
  rec({ recordId: 'c', version: 2, action: 'withdraw', fields: {} }),
  rec({ recordId: 'd', personKey: 'p:3', fields: { sex: 'F' } }),
];
const AFTER_BOTH = {
  records: {
    cells: [
      { key: { sex: 'F' }, value: 2 },
      { key: { sex: 'M' }, value: 1 },
    ],
    total: 3,
  },
  persons: {
    cells: [
      { key: { sex: 'F' }, value: 2 },
      { key: { sex: 'M' }, value: 1 },
    ],
    total: 2,
  },
};

describe('DuckDB rolling counts fail safe', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mosy-rolling-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens when the rebuild fails during migrate, logs it, and reads the current records', async () => {
    expect(rollingReadOf(bySex('records'))).toBeDefined();
    expect(rollingReadOf(bySex('persons'))).toBeDefined();
    const path = join(dir, 'mosy.duckdb');
    const stores = await createDuckDbStores({ path });
    await stores.store.apply([...first, ...second]);
    // Built for other groupings, with tables a read would get wrong (no cells) or fail on (no references), and a
    // rebuild fails (no references table to empty).
    await stores.close();
    const broken = await DuckDbDatabase.open({ path });
    await broken.write(async (connection) => {
      await connection.run("UPDATE rolling_state SET fingerprint = 'other'");
      await connection.run('DELETE FROM rolling_cells');
      await connection.run('DROP TABLE rolling_refs');
    });
    await broken.close();

    const warnings: { fields: object; message: string }[] = [];
    const reopened = await createDuckDbStores({
      path,
      logger: { warn: (fields, message) => warnings.push({ fields, message }) },
    });
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(/rolling counts could not be built/);
      expect(JSON.stringify(warnings[0]!.fields)).toMatch(/rolling_refs/);
      expect(await reopened.store.query(bySex('records'))).toEqual(AFTER_BOTH.records);
      expect(await reopened.store.query(bySex('persons'))).toEqual(AFTER_BOTH.persons);
      // A later migrate that fails again changes nothing; applies go on.
      await reopened.store.migrate();
      expect(warnings).toHaveLength(2);
    } finally {
      await reopened.close();
    }
  });

  it('reads the current records once a store without rolling counts wrote, until migrate rebuilds', async () => {
    const database = await DuckDbDatabase.open({ path: join(dir, 'shared.duckdb') });
    const keeping = createIndicatorStoreOn(database, () => database.close());
    const without = createIndicatorStoreOn(database, () => database.close(), { rolling: false });
    try {
      await keeping.migrate();
      expect(await keeping.apply(first)).toEqual({ applied: 3, ignored: 0 });
      expect(await without.apply(second)).toEqual({ applied: 3, ignored: 0 });
      expect(await database.read((connection) => rollingInSync(connection))).toBe(false);
      expect(await keeping.query(bySex('records'))).toEqual(AFTER_BOTH.records);
      expect(await keeping.query(bySex('persons'))).toEqual(AFTER_BOTH.persons);
      await keeping.migrate();
      expect(await database.read((connection) => rollingInSync(connection))).toBe(true);
      expect(await keeping.query(bySex('records'))).toEqual(AFTER_BOTH.records);
      expect(await keeping.query(bySex('persons'))).toEqual(AFTER_BOTH.persons);
    } finally {
      await keeping.close();
    }
  });
});
