import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OffsetStore } from './offsets.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function storeDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mosy-offsets-'));
  dirs.push(dir);
  return dir;
}

describe('offset files', { timeout: 30_000 }, () => {
  it('reads back the last commit of each group, whatever its name', async () => {
    const dir = await storeDir();
    const { store } = await OffsetStore.open(dir, true);
    for (let i = 1; i <= 5; i++) await store.commit('normalizer', i * 1000);
    await store.commit('a/b ../c', 7);
    await store.close();
    expect(await readdir(dir)).toHaveLength(2);
    const { store: again, offsets } = await OffsetStore.open(dir, true);
    expect(offsets).toEqual(
      new Map([
        ['normalizer', 5000],
        ['a/b ../c', 7],
      ]),
    );
    await again.commit('normalizer', 6000);
    await again.close();
    expect((await OffsetStore.open(dir, true)).offsets.get('normalizer')).toBe(6000);
  });

  it('falls back to the previous offset when the newest slot is torn, and to 0 when both are', async () => {
    const dir = await storeDir();
    const { store } = await OffsetStore.open(dir, true);
    await store.commit('g', 10);
    await store.commit('g', 20);
    await store.close();
    const [file] = await readdir(dir);
    const path = join(dir, file!);
    const data = await readFile(path);
    // Sequence 2 (offset 20) went to the first slot; tear it.
    data[10]! ^= 0xff;
    await writeFile(path, data);
    const reopened = await OffsetStore.open(dir, true);
    expect(reopened.offsets.get('g')).toBe(10);
    await reopened.store.close();
    await writeFile(path, Buffer.alloc(64));
    const zeroed = await OffsetStore.open(dir, true);
    expect(zeroed.offsets.get('g')).toBe(0);
    await zeroed.store.close();
  });
});
