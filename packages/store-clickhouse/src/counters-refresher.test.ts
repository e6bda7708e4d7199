import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_RETRY_MS, createCountersRefresher } from './counters-refresher.js';
import { leaseWaitMs, type CountersRefresh } from './person-counters.js';

describe('createCountersRefresher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one refresh per burst of pokes, after the delay', async () => {
    const refresh = vi.fn(() => Promise.resolve({ certified: 3, leaseEndsInMs: undefined }));
    const refresher = createCountersRefresher(refresh, 1000, () => undefined);
    refresher.poke();
    refresher.poke();
    await vi.advanceTimersByTimeAsync(999);
    expect(refresh).toHaveBeenCalledTimes(0);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(refresh).toHaveBeenCalledTimes(1);
    await refresher.stop();
  });

  it('refreshes again after a refresh during which a batch was applied, never two at once', async () => {
    let finish: () => void = () => undefined;
    let running = 0;
    let most = 0;
    const refresh = vi.fn(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => (finish = resolve));
      running -= 1;
      return { certified: 1, leaseEndsInMs: undefined };
    });
    // No rest after a refresh: only the rerun is under test.
    const refresher = createCountersRefresher(refresh, 10, () => undefined, 0);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(refresh).toHaveBeenCalledTimes(1);
    // Poked while the first runs: its timer fires, finds it running, and asks for another once it ends.
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(refresh).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(refresh).toHaveBeenCalledTimes(2);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
    await refresher.stop();
  });

  it('waits three times as long as the previous refresh took before the next, so refreshes take a quarter of the time', async () => {
    const refresh = vi.fn(async () => {
      await new Promise<void>((resolve) => setTimeout(resolve, 2000));
      return { certified: 1, leaseEndsInMs: undefined };
    });
    const refresher = createCountersRefresher(refresh, 1000, () => undefined);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(refresh).toHaveBeenCalledTimes(1);
    // The refresh ends at 3000 ms; poked then, the next waits 3 × 2000 ms rather than the 1000 ms delay.
    await vi.advanceTimersByTimeAsync(2000);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(5999);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(2);
    // Once rested, a poke waits the delay alone.
    await vi.advanceTimersByTimeAsync(2000 + 6000);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(999);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(2000);
    await refresher.stop();
  });

  it('reports a failed refresh and tries again at the next poke; stop cancels a pending one', async () => {
    const errors: unknown[] = [];
    const refresh = vi.fn((): Promise<CountersRefresh> => Promise.reject(new Error('server gone')));
    const refresher = createCountersRefresher(refresh, 10, (error) => errors.push(error));
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toHaveLength(1);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(refresh).toHaveBeenCalledTimes(2);
    refresher.poke();
    await refresher.stop();
    await vi.advanceTimersByTimeAsync(100_000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('retries a failed refresh with no poke, waiting twice as long after each failure, up to a minute', async () => {
    const errors: unknown[] = [];
    // Three failures, then the refresh that certifies the periods nothing else would have poked for.
    const refresh = vi.fn((): Promise<CountersRefresh> =>
      refresh.mock.calls.length <= 3
        ? Promise.reject(new Error('server gone'))
        : Promise.resolve({ certified: 5, leaseEndsInMs: undefined }),
    );
    const refresher = createCountersRefresher(refresh, 1000, (error) => errors.push(error));
    refresher.poke();
    const calls: number[] = [];
    for (let ms = 0; ms < 10_000; ms += 100) {
      await vi.advanceTimersByTimeAsync(100);
      calls.push(refresh.mock.calls.length);
    }
    // Called at 1 s (the poke's delay), then 1 s, 2 s and 4 s after each failure: at 1, 2, 4 and 8 s.
    expect([1, 2, 4, 8].map((s) => [calls[s * 10 - 2], calls[s * 10 - 1]])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(errors).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(refresh).toHaveBeenCalledTimes(4);
    await refresher.stop();
  });

  it('waits at most a minute between retries of a refresh that keeps failing', async () => {
    const refresh = vi.fn((): Promise<CountersRefresh> => Promise.reject(new Error('server gone')));
    const refresher = createCountersRefresher(refresh, 1000, () => undefined);
    refresher.poke();
    // 1 s, then retries after 1, 2, 4, 8, 16, 32, 60, 60 s: the ninth at 184 s.
    await vi.advanceTimersByTimeAsync(183_999);
    expect(refresh).toHaveBeenCalledTimes(8);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(9);
    expect(MAX_RETRY_MS).toBe(60_000);
    await refresher.stop();
  });
  it('refreshes again once the earliest lease a refresh was kept from ran out, without a poke', async () => {
    // The first refresh leaves periods under a lease that runs out 5 s after its stamp; the second certifies them.
    const outcomes: CountersRefresh[] = [
      { certified: 2, leaseEndsInMs: 5000 },
      { certified: 4, leaseEndsInMs: undefined },
    ];
    const refresh = vi.fn(() => Promise.resolve(outcomes[refresh.mock.calls.length - 1]!));
    const refresher = createCountersRefresher(refresh, 10, () => undefined);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(2);
    // No lease left: nothing more.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    await refresher.stop();
  });

  it('lets a poke before the lease ran out supersede its refresh, and stop cancel it', async () => {
    const refresh = vi.fn(() => Promise.resolve({ certified: 0, leaseEndsInMs: 5000 }));
    const refresher = createCountersRefresher(refresh, 10, () => undefined);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    // A poke at 2 s: its refresh reports the lease again, from its own stamp (5 s on, at 7 s).
    await vi.advanceTimersByTimeAsync(1990);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4999);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(3);
    await refresher.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refresh).toHaveBeenCalledTimes(3);
  });
});

describe('leaseWaitMs', () => {
  it('waits for the first whole second at or past the earliest lease end, from the stamp', () => {
    expect(leaseWaitMs([], 5000)).toBeUndefined();
    // A lease ending 1 ms into a second: the stamps of that second are whole seconds below it.
    expect(leaseWaitMs([8001, 9000], 5000)).toBe(4000);
    expect(leaseWaitMs([9000, 8000], 5000)).toBe(3000);
    expect(leaseWaitMs([5001], 5000)).toBe(1000);
    // A stamp ahead of the server's second (stamps within one second).
    expect(leaseWaitMs([5500], 5002)).toBe(998);
  });
});
