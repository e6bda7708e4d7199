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
