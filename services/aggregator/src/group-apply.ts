/**
 * Group commit of the aggregator's batches. A bus with partitions hands over the batches of one fetch side by side,
 * and a store's apply costs a few round trips whatever its size (ClickHouse: the lookup of the stored versions, then
 * one insert), so the batches that arrive together are applied in one call: fewer, larger inserts. Batches handed
 * over at once never share a record key, so applying them together changes nothing but the number of calls. When
 * the joint apply fails for good (a record the store refuses), each batch is applied on its own, so only the batch
 * at fault fails for good and is dead-lettered; a retriable failure rejects every batch, each delivered again.
 */
import { isMosyError, type NormalizedRecord } from '@mosy/core';

export type Apply = (records: readonly NormalizedRecord[]) => Promise<void>;

interface Waiting {
  readonly records: readonly NormalizedRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * `apply` that joins the calls made while an apply runs, or in the same turn of the event loop, into one call of
 * the wrapped `apply`; each call resolves once its records are applied.
 */
export function groupApply(apply: Apply): Apply {
  let waiting: Waiting[] = [];
  let running: Promise<void> | undefined;

  const applyAlone = async (entry: Waiting): Promise<void> => {
    try {
      await apply(entry.records);
      entry.resolve();
    } catch (error) {
      entry.reject(error);
    }
  };

  const applyTogether = async (group: readonly Waiting[]): Promise<void> => {
    if (group.length === 1) return applyAlone(group[0]!);
    try {
      await apply(group.flatMap((entry) => entry.records));
    } catch (error) {
      if (isMosyError(error) && !error.retriable) {
        for (const entry of group) await applyAlone(entry);
      } else for (const entry of group) entry.reject(error);
      return;
    }
    for (const entry of group) entry.resolve();
  };

  const run = async (): Promise<void> => {
    // The other batches of the fetch arrive within this turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      await applyTogether(group);
    }
    running = undefined;
  };

  return (records) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ records, resolve, reject });
      running ??= run();
    });
}
