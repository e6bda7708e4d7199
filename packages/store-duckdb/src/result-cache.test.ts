import { describe, expect, it } from 'vitest';
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
    clock.generation++;
    expect(await cache.get('a', load)).toEqual({ n: 3 });
    expect(counter.loads).toBe(3);
  });

  it('does not keep what was read while a write started or ended', async () => {
    const { clock, cache, load } = setup();
    const slow = gate<{ n: number }>();
    const overlapping = cache.get('a', () => slow.promise);
    clock.generation++;
    slow.open({ n: 0 });
    expect(await overlapping).toEqual({ n: 0 });
    // The generation has not moved since, yet the value read across the write is not served.
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('a', load)).toEqual({ n: 1 });
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
