/**
 * The hub's store of national reports on both report archives (DuckDB in memory, ClickHouse on the running
 * server): a revision is stored once, a re-send changes nothing, a newer one replaces the earlier figures, an older
 * one is refused, a withdrawal drops the country until it sends a newer revision; the totals read what is live.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReportArchive } from '@mosy/core';
import { createClickHouseStores } from '@mosy/store-clickhouse';
import { createDuckDbStores } from '@mosy/store-duckdb';
import { createHub } from './hub.js';

const CLICKHOUSE_URL = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

const ADAPTERS: Record<string, () => Promise<{ archive: ReportArchive; close: () => Promise<void> }>> = {
  duckdb: async () => {
    const stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
    return { archive: stores.archive, close: () => stores.close() };
  },
  clickhouse: async () => {
    const database = `test_${randomUUID().replaceAll('-', '')}`;
    const stores = await createClickHouseStores({ url: CLICKHOUSE_URL, database });
    return {
      archive: stores.archive,
      async close() {
        await stores.close();
        const drop = await fetch(CLICKHOUSE_URL, {
          method: 'POST',
          body: `DROP DATABASE IF EXISTS ${database}`,
        });
        expect(drop.ok).toBe(true);
      },
    };
  },
};

const cell = (value: number | null) => ({
  key: { indicator: 'victims', period: '2026-Q1' },
  value,
  ...(value === null ? { flag: 'c' } : {}),
});

describe.each(Object.keys(ADAPTERS))('the hub on %s', (name) => {
  it('stores revisions once, replaces, refuses older ones, withdraws', async () => {
    const { archive, close } = await ADAPTERS[name]!();
    try {
      let clock = 1;
      const hub = createHub({ archive, now: () => clock++ });
      expect(await hub.receive('PT', '2026-Q1', 0, [cell(10)], 'k-pt')).toMatchObject({ outcome: 'stored' });
      expect(await hub.receive('PT', '2026-Q1', 0, [cell(99)], 'k-pt')).toMatchObject({ outcome: 'same' });
      expect(await hub.receive('ES', '2026-Q1', 2, [cell(7)], 'k-es')).toMatchObject({ outcome: 'stored' });
      expect((await hub.totals('2026-Q1')).totals).toEqual([
        { key: cell(1).key, value: 17, countries: ['ES', 'PT'], withheldBy: [] },
      ]);
      expect(await hub.receive('PT', '2026-Q1', 1, [cell(null)], 'k-pt')).toMatchObject({
        outcome: 'stored',
      });
      expect((await hub.totals('2026-Q1')).totals).toEqual([
        { key: cell(1).key, value: null, flag: 'c', countries: ['ES', 'PT'], withheldBy: ['PT'] },
      ]);
      await expect(hub.receive('PT', '2026-Q1', 0, [cell(10)], 'k-pt')).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await hub.withdraw('PT', '2026-Q1', 'k-pt')).toEqual({
        country: 'PT',
        period: '2026-Q1',
        revision: 1,
      });
      await expect(hub.withdraw('PT', '2026-Q1', 'k-pt')).rejects.toMatchObject({ code: 'not-found' });
      expect(await hub.totals('2026-Q1')).toEqual({
        period: '2026-Q1',
        reports: [{ country: 'ES', revision: 2 }],
        totals: [{ key: cell(1).key, value: 7, countries: ['ES'], withheldBy: [] }],
      });
      expect(await hub.receive('PT', '2026-Q1', 2, [cell(12)], 'k-pt')).toMatchObject({ outcome: 'stored' });
      expect((await hub.totals('2026-Q1')).totals[0]).toMatchObject({ value: 19 });
      expect((await hub.totals('2026-Q2')).totals).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
