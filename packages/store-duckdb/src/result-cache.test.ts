import { describe, expect, it } from 'vitest';
import { toCount } from '@mosy/sql';
import { DuckDbDatabase } from './database.js';
import { ResultCache } from './result-cache.js';

/** A promise and the function that resolves it, to order a read and a write by hand. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** A cache over a generation the test moves, and a loader counting its calls. */
function setup(capacity?: number) {
  const clock = { generation: 0 };
  const cache = new ResultCache<{ n: number } | undefined>(() => clock.generation, capacity);
  const counter = { loads: 0 };
  const load = () => Promise.resolve({ n: ++counter.loads });
  return { clock, cache, counter, load };
}

describe('ResultCache', () => {
  it('hands back the same object while the generation stays, and reads again once it moved', async () => {
    const { clock, cache, counter, load } = setup();
    const first = await cache.get('a', load);
    expect(await cache.get('a', load)).toBe(first);
    expect(await cache.get('b', load)).toEqual({ n: 2 });
    clock.generation += 2;
    expect(await cache.get('a', load)).toEqual({ n: 3 });
    expect(counter.loads).toBe(3);
  });

  it('does not keep what was read while a write started or ended', async () => {
    const { clock, cache, load } = setup();
    const slow = gate<{ n: number }>();
    const overlapping = cache.get('a', () => slow.promise);
    // A whole write (started and ended) while the read ran.
    clock.generation += 2;
    slow.open({ n: 0 });
    expect(await overlapping).toEqual({ n: 0 });
    // The generation has not moved since, yet the value read across the write is not served.
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('a', load)).toEqual({ n: 1 });
  });

  it('does not keep what was read while a write was under way, even when the write has not ended since', async () => {
    const { clock, cache, load } = setup();
    clock.generation = 1;
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('a', load)).toEqual({ n: 2 });
  });

  it("over a DuckDB database, does not serve a read from before a write's commit once the commit is visible", async () => {
    const database = await DuckDbDatabase.open({ path: ':memory:', readers: 1, config: { threads: '1' } });
    try {
      await database.write((c) => c.run('CREATE TABLE t (n INTEGER)'));
      await database.write((c) => c.run('INSERT INTO t VALUES (1), (2), (3), (4)'));
      const cache = new ResultCache<number>(() => database.generation);
      const count = () =>
        database.read(async (c) =>
          toCount((await c.runAndReadAll('SELECT count(*) AS n FROM t')).getRowObjectsJS()[0]?.n),
        );
      // Reads ordered around the commit by the write itself, as an apply's would be by chance: one before the
      // commit, one after it while the write has not returned yet (an apply still removing its batch file).
      const seen = await database.write(async (c) => {
        const before = await cache.get('count', count);
        await c.run('INSERT INTO t VALUES (5)');
        const direct = await count();
        const cached = await cache.get('count', count);
        return { before, direct, cached };
      });
      expect(seen).toEqual({ before: 4, direct: 5, cached: 5 });
      // After the write: read once more, then kept.
      let loads = 0;
      const counted = () => {
        loads++;
        return count();
      };
      expect(await cache.get('count', counted)).toBe(5);
      expect(await cache.get('count', counted)).toBe(5);
      expect(loads).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('does not keep undefined', async () => {
    const { cache } = setup();
    let loads = 0;
    const load = () => Promise.resolve(++loads === 1 ? undefined : { n: loads });
    expect(await cache.get('a', load)).toBeUndefined();
    expect(await cache.get('a', load)).toEqual({ n: 2 });
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const { cache, counter, load } = setup(2);
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('a', load);
    await cache.get('c', load);
    expect(counter.loads).toBe(3);
    // `b` was the least recently used: read again; `a` and `c` are kept.
    await cache.get('a', load);
    await cache.get('c', load);
    expect(counter.loads).toBe(3);
    expect(await cache.get('b', load)).toEqual({ n: 4 });
  });
});
