// Durability: what apply has resolved survives the process being killed with SIGKILL (no close, no checkpoint),
// and a database closed normally reopens with its data.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptRecords, buildNormalizedRecord } from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';

const CHILD = fileURLToPath(new URL('./durability.child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the child until it prints `done`, then SIGKILLs it. */
function runChildAndKill(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@mosy/source', '--import', 'tsx', CHILD, path], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('done\n')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL' && out.includes('done\n')) resolve(out);
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
