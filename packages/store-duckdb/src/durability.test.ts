// Durability: what apply has resolved survives the process being killed with SIGKILL (no close, no checkpoint),
// a kill inside apply leaves the rolling counts (person counters included) equal to the current records and to a
// rebuild, what the intake ledger (its own file) and the store (theirs) each resolved survives a kill with writes to
// both under way, and a database closed normally reopens with its data.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLLING_GROUPINGS, type StoreQuery } from '@mosy/core';
import { acceptRecords, adHocTwin, buildNormalizedRecord, sortCells } from '@mosy/testkit';
import { DuckDbDatabase, inTransaction } from './database.js';
import { createDuckDbStores } from './duckdb-stores.js';
import { createIndicatorStoreOn } from './indicator-store.js';
import { COMPACT_CELLS_SQL, COMPACT_COUNTERS_SQL, COMPACT_REFS_SQL, rebuildRolling } from './rolling.js';

const CHILD = fileURLToPath(new URL('./durability.child.ts', import.meta.url));
const ROLLING_CHILD = fileURLToPath(new URL('./durability-rolling.child.ts', import.meta.url));
const LEDGER_CHILD = fileURLToPath(new URL('./durability-ledger.child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a child until it prints `until`, then (after `delayMs`) SIGKILLs it. */
function runChildAndKill(path: string, script = CHILD, until = 'done\n', delayMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@mosy/source', '--import', 'tsx', script, path], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(until)) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL' && out.includes(until)) resolve(out);
      else reject(new Error(`child ended without finishing (${String(signal)}): ${out}\n${err}`));
    });
  });
}

describe('durability', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mosy-durability-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps every applied record when the process is killed with SIGKILL', async () => {
    const path = join(folder, 'mosy.duckdb');
    const out = await runChildAndKill(path);
    expect(out).toContain('applied 2 1000');
    const stores = await createDuckDbStores({ path });
    try {
      expect(await stores.store.countRecords()).toBe(2999);
      const bySex = await stores.store.query({ kind: 'victim', unit: 'records', by: ['sex'], filters: {} });
      expect(bySex.total).toBe(2999);
      expect([...bySex.cells].sort((a, b) => String(a.key.sex).localeCompare(String(b.key.sex)))).toEqual([
        { key: { sex: 'F' }, value: 1499 },
        { key: { sex: 'M' }, value: 1500 },
      ]);
      expect(await stores.registry.getProvider('prov-a')).toMatchObject({ id: 'prov-a', mappingVersion: 1 });
      // The withdrawal survived too: its lower version cannot come back.
      expect(await stores.store.apply([buildNormalizedRecord({ recordId: 'b0-0' })])).toEqual({
        applied: 0,
        ignored: 1,
      });
    } finally {
      await stores.close();
    }
  }, 120_000);

  it('leaves rolling counts equal to the current records when killed inside an apply', async () => {
    const path = join(folder, 'mosy.duckdb');
    // Killed 50 ms into the fourth apply: whether that apply committed or not, nothing may drift.
    const out = await runChildAndKill(path, ROLLING_CHILD, 'begin 3\n', 50);
    expect(out).toContain('applied 2 ');
    const database = await DuckDbDatabase.open({ path, readers: 1 });
    const store = createIndicatorStoreOn(database, () => database.close());
    try {
      await store.migrate();
      const queries: StoreQuery[] = ROLLING_GROUPINGS.filter((g) => g.kind === 'victim').flatMap((g) =>
        (['persons', 'records'] as const).flatMap((unit) => [
          {
            kind: g.kind,
            unit,
            by: [...g.by],
            filters: g.filters,
            interval: 'quarter' as const,
            keySums: true,
          },
          {
            kind: g.kind,
            unit,
            by: [...g.by, 'providerId' as const],
            filters: g.filters,
            geoLevel: 2 as const,
          },
          // Persons of all providers by year and over all time: person counters (by quarter above too).
          { kind: g.kind, unit, by: [...g.by], filters: g.filters, interval: 'year' as const, keySums: true },
          { kind: g.kind, unit, by: [...g.by], filters: g.filters, keySums: true },
        ]),
      );
      let counted = 0;
      for (const query of queries) {
        const rolling = await store.query(query);
        const current = await store.query(adHocTwin(query));
        expect({ ...rolling, cells: sortCells(rolling.cells) }).toEqual({
          ...current,
          cells: sortCells(current.cells),
        });
        counted += rolling.total;
      }
      expect(counted).toBeGreaterThan(0);
      const snapshot = () =>
        database.read(async (connection) => [
          (await connection.runAndReadAll(`SELECT * FROM (${COMPACT_CELLS_SQL}) ORDER BY ALL`)).getRowsJS(),
          (await connection.runAndReadAll(`SELECT * FROM (${COMPACT_REFS_SQL}) ORDER BY ALL`)).getRowsJS(),
          (
            await connection.runAndReadAll(`SELECT * FROM (${COMPACT_COUNTERS_SQL}) ORDER BY ALL`)
          ).getRowsJS(),
        ]);
      const left = await snapshot();
      expect(left[2]!.length).toBeGreaterThan(0);
      await database.write((connection) => inTransaction(connection, () => rebuildRolling(connection)));
      expect(await snapshot()).toEqual(left);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('keeps what the ledger and the store each resolved when killed with writes to both files under way', async () => {
    const path = join(folder, 'mosy.duckdb');
    const out = await runChildAndKill(path, LEDGER_CHILD, 'kept 40\n');
    const kept = Math.max(...[...out.matchAll(/kept (\d+)/g)].map((match) => Number(match[1])));
    expect(kept).toBeGreaterThanOrEqual(40);
    const stores = await createDuckDbStores({ path });
    try {
      const ids = Array.from({ length: kept + 1 }, (_, n) => `r${n}`);
      expect(new Map(await stores.ledger.acceptedVersions('prov-a', ids))).toEqual(
        new Map(ids.map((id) => [id, 1])),
      );
      expect(await stores.ledger.getReceipt('prov-a', `s${kept}`)).toMatchObject({ accepted: 1 });
      // Each submission is one transaction: its version, receipt and quality count are all there or none is.
      const [activity] = await stores.ledger.activity();
      const [quality] = await stores.ledger.quality('prov-a');
      const accepted = await stores.ledger.acceptedVersions(
        'prov-a',
        Array.from({ length: activity!.submissions + 5 }, (_, n) => `r${n}`),
      );
      expect(activity!.submissions).toBeGreaterThan(kept);
      expect(quality?.count).toBe(activity!.submissions);
      expect(accepted.size).toBe(activity!.submissions);
      expect(await stores.store.countRecords()).toBeGreaterThan(kept);
    } finally {
      await stores.close();
    }
  }, 120_000);

  it('closes with a checkpoint and reopens with the data', async () => {
    const path = join(folder, 'nested', 'mosy.duckdb');
    const first = await createDuckDbStores({ path });
    await first.store.apply([
      buildNormalizedRecord({ recordId: 'a' }),
      buildNormalizedRecord({ recordId: 'b' }),
    ]);
    await acceptRecords(first.ledger, 'prov-a', [{ recordId: 'a', version: 1 }]);
    await first.store.close();
    await first.close();
    await expect(first.store.countRecords()).rejects.toMatchObject({ code: 'unavailable' });

    const second = await createDuckDbStores({ path });
    try {
      expect(await second.store.countRecords()).toBe(2);
      expect(new Map(await second.ledger.acceptedVersions('prov-a', ['a']))).toEqual(new Map([['a', 1]]));
    } finally {
      await second.close();
    }
  });
});
