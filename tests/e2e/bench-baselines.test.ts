/**
 * The benchmark's raw baselines count what MoSy counts: on synthetic records applied to a DuckDB store, each raw
 * GROUP BY of `tests/e2e/bench/queries.ts` gives exactly the store's cells (and, for the report, its margins and
 * total), so that "API ÷ raw" in docs/benchmarks.md compares the same answer. The records repeated to reach a size
 * stay distinct records and persons. (DuckDB in process; the ClickHouse form is checked by every bench run.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cell, StoreQuery } from '@mosy/core';
import { createDuckDbIndicatorStore } from '@mosy/store-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES } from './bench/queries.js';
import { openRawDuckDb } from './bench/raw-duckdb.js';
import { copyOf, currentNormalized, datasetOf } from './bench/records.js';
import { percentile } from './bench/stats.js';

const SECRET = 'bench-baselines-secret-of-at-least-32-bytes';
const dir = mkdtempSync(join(tmpdir(), 'mosy-bench-baselines-'));
const path = join(dir, 'store.duckdb');
const base = currentNormalized(datasetOf(3000, 7), SECRET);
const storeAnswers = new Map<string, { cells: readonly Cell[]; total: number }>();
let raw: Awaited<ReturnType<typeof openRawDuckDb>>;

const cellMap = (cells: readonly Cell[], by: StoreQuery['by']) =>
  new Map(cells.map((c) => [by.map((d) => c.key[d]).join('|'), c.value]));
const rowMap = (rows: readonly Record<string, unknown>[], columns: readonly string[]) =>
  new Map(rows.map((r) => [columns.map((c) => String(r[c])).join('|'), Number(r.n)]));

beforeAll(async () => {
  const store = await createDuckDbIndicatorStore({ path });
  await store.apply([...copyOf(base, 0), ...copyOf(base, 1)]);
  for (const q of QUERIES) {
    storeAnswers.set(q.name, await store.query(q.store));
    for (const by of [['sex'], ['ageGroup'], []] as const)
      storeAnswers.set(`${q.name}/${by.join(',')}`, await store.query({ ...q.store, by }));
  }
  await store.close();
  raw = await openRawDuckDb(path);
}, 120_000);

afterAll(() => {
  raw?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the raw GROUP BY baselines', () => {
  it('has a base of current records with persons and lists', () => {
    expect(base.length).toBeGreaterThan(2000);
    expect(new Set(base.map((r) => `${r.providerId}/${r.recordId}`)).size).toBe(base.length);
  });

  it('repeats the base under new record ids and person keys', () => {
    const second = copyOf(base, 1);
    const firstPersons = new Set(base.map((r) => r.personKey));
    expect(second.filter((r) => firstPersons.has(r.personKey))).toEqual([]);
    expect(new Set(second.map((r) => r.personKey)).size).toBe(firstPersons.size);
    expect(second.map((r) => r.fields)).toEqual(base.map((r) => r.fields));
  });

  for (const [index, q] of QUERIES.entries()) {
    it(`counts ${q.name} exactly as the store`, async () => {
      const { rows } = await raw.time(q.raw('duckdb'));
      const answer = storeAnswers.get(q.name)!;
      if (index < 3) {
        const columns = index === 1 ? ['citizenship_code', 'exploitation_code'] : ['sex', 'age_group'];
        expect(rowMap(rows, columns)).toEqual(cellMap(answer.cells, q.store.by));
        expect(answer.cells.length).toBeGreaterThan(3);
        return;
      }
      // The report: cells, then each row's and each column's margin ('' for the dimension summed over), then the total.
      const cells = rows.filter((r) => r.sex !== '' && r.age_group !== '');
      expect(rowMap(cells, ['sex', 'age_group'])).toEqual(cellMap(answer.cells, q.store.by));
      const bySex = rows.filter((r) => r.sex !== '' && r.age_group === '');
      expect(rowMap(bySex, ['sex'])).toEqual(cellMap(storeAnswers.get(`${q.name}/sex`)!.cells, ['sex']));
      const byAge = rows.filter((r) => r.sex === '' && r.age_group !== '');
      expect(rowMap(byAge, ['age_group'])).toEqual(
        cellMap(storeAnswers.get(`${q.name}/ageGroup`)!.cells, ['ageGroup']),
      );
      const total = rows.filter((r) => r.sex === '' && r.age_group === '');
      expect(total.map((r) => Number(r.n))).toEqual([storeAnswers.get(`${q.name}/`)!.total]);
    });
  }
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([percentile(samples, 50), percentile(samples, 95), percentile(samples, 99)]).toEqual([50, 95, 99]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
