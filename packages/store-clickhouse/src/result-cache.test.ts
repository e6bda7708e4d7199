import { describe, expect, it } from 'vitest';
import { ResultCache, STATE_SQL, UNREAD_TABLES } from './result-cache.js';

/** A promise and the function that resolves it, to order reads by hand. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** A cache over a state the test moves, counting how often it is read, and a loader counting its calls. */
function setup(maxWeight?: number, weigh: (value: { n: number } | undefined) => number = () => 1) {
  const server = { state: 's1', reads: 0 };
  const cache = new ResultCache<{ n: number } | undefined>(
    () => {
      server.reads++;
      return Promise.resolve(server.state);
    },
    weigh,
    maxWeight,
  );
  const counter = { loads: 0 };
  const load = () => Promise.resolve({ n: ++counter.loads });
  return { server, cache, counter, load };
}

describe('ResultCache', () => {
  it('hands back the same object while the state stays, reading the state once per read, and reads again once it moved', async () => {
    const { server, cache, counter, load } = setup();
    const first = await cache.get('a', load);
    expect(await cache.get('a', load)).toBe(first);
    expect(await cache.get('b', load)).toEqual({ n: 2 });
    server.state = 's2';
    expect(await cache.get('a', load)).toEqual({ n: 3 });
    expect(await cache.get('b', load)).toEqual({ n: 4 });
    expect(counter.loads).toBe(4);
    expect(server.reads).toBe(5);
  });

  it('keeps a value under the state read before it was loaded, so a change during the load drops it', async () => {
    const { server, cache, load } = setup();
    // The load reads the tables, then a write lands before anything else looks at the state.
    const stale = await cache.get('a', () => {
      server.state = 's2';
      return Promise.resolve({ n: 0 });
    });
    expect(stale).toEqual({ n: 0 });
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('a', load)).toEqual({ n: 1 });
  });

  it('does not keep a value once another read saw a later state', async () => {
    const { server, cache, load } = setup();
    const slow = gate<{ n: number }>();
    const overlapping = cache.get('a', () => slow.promise);
    await Promise.resolve();
    server.state = 's2';
    // Another read sees the later state (and reads 'a' itself) while the first one still loads.
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    slow.open({ n: 0 });
    expect(await overlapping).toEqual({ n: 0 });
    expect(await cache.get('a', load)).toEqual({ n: 1 });
  });

  it('shares a load of the same key running from the same state, and only that', async () => {
    const { server, cache, counter } = setup();
    const slow = gate<{ n: number }>();
    const load = () => {
      counter.loads++;
      return slow.promise;
    };
    const first = cache.get('a', load);
    const second = cache.get('a', load);
    // Another key, and the same key once the state moved, run loads of their own.
    const other = cache.get('b', () => Promise.resolve({ n: 10 }));
    await Promise.resolve();
    server.state = 's2';
    const later = cache.get('a', () => Promise.resolve({ n: 20 }));
    slow.open({ n: 1 });
    const [a1, a2] = await Promise.all([first, second]);
    expect(a1).toEqual({ n: 1 });
    expect(a2).toBe(a1);
    expect(counter.loads).toBe(1);
    expect(await other).toEqual({ n: 10 });
    expect(await later).toEqual({ n: 20 });
    expect(server.reads).toBe(4);
  });

  it('shares a failed load with the reads waiting on it, and loads again after', async () => {
    const { cache } = setup();
    const slow = gate<{ n: number }>();
    let loads = 0;
    const failing = () => {
      loads++;
      return slow.promise.then(() => Promise.reject(new Error('server gone')));
    };
    const first = cache.get('a', failing);
    const second = cache.get('a', failing);
    slow.open({ n: 0 });
    await expect(first).rejects.toThrow('server gone');
    await expect(second).rejects.toThrow('server gone');
    expect(loads).toBe(1);
    expect(await cache.get('a', () => Promise.resolve({ n: 2 }))).toEqual({ n: 2 });
  });

  it('does not keep undefined', async () => {
    const { cache } = setup();
    let loads = 0;
    const load = () => Promise.resolve(++loads === 1 ? undefined : { n: loads });
    expect(await cache.get('a', load)).toBeUndefined();
    expect(await cache.get('a', load)).toEqual({ n: 2 });
  });

  it('keeps at most its weight, dropping the least recently used', async () => {
    // Each value weighs 2 of 16: eight are kept.
    const { cache, counter, load } = setup(16, () => 2);
    for (const key of 'abcdefgh') await cache.get(key, load);
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('i', load)).toEqual({ n: 9 });
    expect(counter.loads).toBe(9);
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('c', load)).toEqual({ n: 3 });
    expect(await cache.get('b', load)).toEqual({ n: 10 });
  });

  it('does not keep a value heavier than an eighth of its weight, nor count it', async () => {
    // Loads 1, 2, 3… weigh 1, 2, 3…: with a weight of 16, values up to 2 are kept.
    const { cache, counter, load } = setup(16, (value) => value?.n ?? 0);
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('c', load);
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('b', load)).toEqual({ n: 2 });
    expect(await cache.get('c', load)).toEqual({ n: 4 });
    expect(counter.loads).toBe(4);
  });
});

describe('STATE_SQL', () => {
  it('leaves out only the tables named unread, and none that an indicator read reads', () => {
    expect(STATE_SQL).toContain(`table NOT IN (${UNREAD_TABLES.map((t) => `'${t}'`).join(', ')})`);
    for (const read of ['records_current', 'person_links', 'rolling_state', 'rolling_periods'])
      expect(UNREAD_TABLES).not.toContain(read);
    expect(UNREAD_TABLES.filter((table) => table.startsWith('rolling_'))).toEqual([]);
  });
});
