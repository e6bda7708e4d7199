import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCountersRefresher } from './counters-refresher.js';

describe('createCountersRefresher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one refresh per burst of pokes, after the delay', async () => {
    const refresh = vi.fn(() => Promise.resolve(3));
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
      return 1;
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
      return 1;
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
    const refresh = vi.fn(() => Promise.reject(new Error('server gone')));
    const refresher = createCountersRefresher(refresh, 10, (error) => errors.push(error));
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toHaveLength(1);
    refresher.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(refresh).toHaveBeenCalledTimes(2);
    refresher.poke();
    await refresher.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(refresh).toHaveBeenCalledTimes(2);
  });
});
