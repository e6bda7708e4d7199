import { describe, expect, it } from 'vitest';
import { ReadCache } from './read-cache.js';

/** A promise and the function that resolves it, to order a read and a write by hand. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

describe('ReadCache', () => {
  it('loads a key once, and again after a write', async () => {
    const cache = new ReadCache<string>();
    let loads = 0;
    const load = () => Promise.resolve(`v${++loads}`);
    expect(await cache.get('a', load)).toBe('v1');
    expect(await cache.get('a', load)).toBe('v1');
    expect(await cache.writing(() => Promise.resolve('written'))).toBe('written');
    expect(await cache.get('a', load)).toBe('v2');
    expect(loads).toBe(2);
  });

  it('does not keep a miss', async () => {
    const cache = new ReadCache<string>();
    let loads = 0;
    const load = () => Promise.resolve(++loads === 1 ? undefined : 'now');
    expect(await cache.get('a', load)).toBeUndefined();
    expect(await cache.get('a', load)).toBe('now');
  });

  it('does not keep what a read overlapping a write read', async () => {
    const cache = new ReadCache<string>();
    const read = gate<string>();
    const write = gate<void>();
    // The read starts before the write and answers the old value after the write has ended.
    const stale = cache.get('a', () => read.promise);
    const written = cache.writing(() => write.promise);
    write.open();
    await written;
    read.open('old');
    expect(await stale).toBe('old');
    expect(await cache.get('a', () => Promise.resolve('new'))).toBe('new');
    // A read that started during a write is not kept either.
    const during = gate<void>();
    const writing = cache.writing(() => during.promise);
    const inside = cache.get('b', () => Promise.resolve('before commit'));
    expect(await inside).toBe('before commit');
    during.open();
    await writing;
    expect(await cache.get('b', () => Promise.resolve('after commit'))).toBe('after commit');
  });

  it('drops the entries when a write fails', async () => {
    const cache = new ReadCache<string>();
    expect(await cache.get('a', () => Promise.resolve('old'))).toBe('old');
    await expect(cache.writing(() => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(await cache.get('a', () => Promise.resolve('reread'))).toBe('reread');
  });
});
