/**
 * Serialises work per key (here: per provider) inside one process, so that two concurrent submissions of the same
 * record cannot both pass the version check before either is recorded. The wait is bounded, in time and in
 * length: when the work in hand is slow (a broker or database that is down makes each publish wait for its
 * deadline), later requests must not pile up in memory or wait for minutes; they are refused with a retriable
 * `unavailable` (503 with Retry-After) instead.
 */
import { MosyError } from '@mosy/core';

export interface KeyedMutexLimits {
  /** Longest wait for the lock. @defaultValue 15_000 */
  readonly maxWaitMs?: number;
  /** Requests waiting for one key's lock, at most; more are refused at once. @defaultValue 8 */
  readonly maxWaiting?: number;
}

const busy = (key: string, why: string): MosyError =>
  new MosyError(
    'unavailable',
    `Earlier submissions of ${key} are still being written (${why}); send this one again later.`,
  );

export function createKeyedMutex({ maxWaitMs = 15_000, maxWaiting = 8 }: KeyedMutexLimits = {}) {
  const tails = new Map<string, Promise<void>>();
  const waiting = new Map<string, number>();
  return async function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(key);
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => current);
    const done = (): void => {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    };
    if (previous !== undefined) {
      const queued = waiting.get(key) ?? 0;
      if (queued >= maxWaiting) throw busy(key, `${queued} are waiting`);
      tails.set(key, tail);
      waiting.set(key, queued + 1);
      let timer: NodeJS.Timeout | undefined;
      const acquired = await Promise.race([
        previous.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), maxWaitMs))),
      ]);
      clearTimeout(timer);
      const left = (waiting.get(key) ?? 1) - 1;
      if (left === 0) waiting.delete(key);
      else waiting.set(key, left);
      if (!acquired) {
        // Its turn still comes after `previous`, and passes at once to the next in line.
        void previous.then(done);
        throw busy(key, `waited ${maxWaitMs} ms`);
      }
    } else {
      tails.set(key, tail);
    }
    try {
      return await work();
    } finally {
      done();
    }
  };
}
