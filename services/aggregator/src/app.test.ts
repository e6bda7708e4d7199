// The aggregator tells its store of every partition assignment, before the batches of the partitions it was given:
// the previous owner's writes may still be running (the ClickHouse store then waits for them, `takeOver`).
import { describe, expect, it } from 'vitest';
import type { ConsumeOptions, EventBus, IndicatorStore } from '@mosy/core';
import { createAggregator } from './app.js';

describe('createAggregator', () => {
  it("calls the store's takeOver on each assignment of the records topic", async () => {
    let options: ConsumeOptions | undefined;
    const bus = {
      consume: (_topic: string, _group: string, _handler: unknown, given?: ConsumeOptions) => {
        options = given;
        return Promise.resolve({ stop: () => Promise.resolve() });
      },
    } as unknown as EventBus;
    let takenOver = 0;
    const store = {
      apply: () => Promise.resolve({ applied: 0, ignored: 0 }),
      takeOver: () => takenOver++,
    } as unknown as IndicatorStore;
    const aggregator = createAggregator({ bus, store, maxBatch: 7 });
    await aggregator.start();
    expect(options?.maxBatch).toBe(7);
    options?.onAssigned?.();
    options?.onAssigned?.();
    expect(takenOver).toBe(2);
    await aggregator.stop();
  });
});
