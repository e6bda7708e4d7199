import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('keyed mutex', () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const withLock = createKeyedMutex();
    const log: string[] = [];
    const job = (name: string) =>
      withLock('p', async () => {
        log.push(`${name}:start`);
        await tick();
        log.push(`${name}:end`);
      });
    await Promise.all([job('a'), job('b'), job('c')]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('lets different keys run concurrently and survives a failing job', async () => {
    const withLock = createKeyedMutex();
    const log: string[] = [];
    const failing = withLock('p', () => Promise.reject(new Error('boom')));
    const other = withLock('q', async () => {
      log.push('q');
      await tick();
    });
    await expect(failing).rejects.toThrow('boom');
    await other;
    await withLock('p', () => Promise.resolve(log.push('p-after')));
    expect(log).toEqual(['q', 'p-after']);
  });
});

describe('keyed mutex limits', () => {
  it('refuses a waiter after maxWaitMs with a retriable unavailable, and keeps the order for the others', async () => {
    const withLock = createKeyedMutex({ maxWaitMs: 20 });
    let finish!: () => void;
    const slow = withLock('p', () => new Promise<void>((resolve) => (finish = resolve)));
    await expect(withLock('p', () => Promise.resolve('late'))).rejects.toMatchObject({
      code: 'unavailable',
      retriable: true,
    });
    const log: string[] = [];
    const next = withLock('p', () => Promise.resolve(log.push('next')));
    await tick();
    expect(log).toEqual([]);
    finish();
    await slow;
    await next;
    expect(log).toEqual(['next']);
  });

  it('refuses at once when maxWaiting requests already wait for the key, not for other keys', async () => {
    const withLock = createKeyedMutex({ maxWaiting: 2 });
    let finish!: () => void;
    const slow = withLock('p', () => new Promise<void>((resolve) => (finish = resolve)));
    const waiters = [withLock('p', () => Promise.resolve(1)), withLock('p', () => Promise.resolve(2))];
    await expect(withLock('p', () => Promise.resolve(3))).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/2 are waiting/),
    });
    expect(await withLock('q', () => Promise.resolve('other key'))).toBe('other key');
    finish();
    await slow;
    expect(await Promise.all(waiters)).toEqual([1, 2]);
    expect(await withLock('p', () => Promise.resolve(4))).toBe(4);
  });
});
