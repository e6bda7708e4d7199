// Checkpoints in quiet moments: with a WAL threshold no write reaches, the WAL of the store and of the ledger is
// folded into their files once the writes stop (without `idleCheckpointMs` they stay until close).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { acceptRecords, buildNormalizedRecord } from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';
import { ledgerPathOf } from './database.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mosy-idle-checkpoint-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const walBytes = async (path: string): Promise<number> =>
  (await stat(`${path}.wal`).catch(() => undefined))?.size ?? 0;

it('checkpoints the store and the ledger once writes have stopped for idleCheckpointMs', async () => {
  const path = join(folder, 'mosy.duckdb');
  const stores = await createDuckDbStores({
    path,
    config: { checkpoint_threshold: '1GB' },
    idleCheckpointMs: 300,
  });
  try {
    for (let i = 0; i < 5; i++) {
      await stores.store.apply([buildNormalizedRecord({ recordId: `r${i}` })]);
      await acceptRecords(stores.ledger, 'prov-a', [{ recordId: `r${i}`, version: 1 }]);
    }
    const deadline = Date.now() + 30_000;
    while ((await walBytes(path)) + (await walBytes(ledgerPathOf(path))) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await walBytes(path)).toBe(0);
    expect(await walBytes(ledgerPathOf(path))).toBe(0);
    expect(await stores.store.countRecords()).toBe(5);
  } finally {
    await stores.close();
  }
}, 60_000);
