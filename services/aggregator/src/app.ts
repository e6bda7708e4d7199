/**
 * The aggregator service: consumes normalized records and applies them to the indicator store, whose `apply` is
 * idempotent and follows the counting rules (highest version wins, withdrawals remove). The bus commits a batch only
 * after `apply` resolved, i.e. after the effect is durable, so a crash replays at most that batch and replaying it
 * changes nothing. Batches handed over together (the partitions of one fetch) are applied together (group-apply.ts).
 * `onApplied` lets the composition root publish live updates.
 */
import type { ApplyOutcome, EventBus, IndicatorStore, NormalizedRecord, Subscription } from '@mosy/core';
import { groupApply } from './group-apply.js';

export interface AggregatorDeps {
  readonly bus: EventBus;
  readonly store: IndicatorStore;
  /** @defaultValue "aggregator" */
  readonly group?: string;
  readonly maxBatch?: number;
  /** Called after each apply is durable in the store, with what it applied (one or several batches). */
  readonly onApplied?: (outcome: ApplyOutcome, records: readonly NormalizedRecord[]) => void;
}

export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createAggregator(deps: AggregatorDeps): Service {
  let subscription: Subscription | undefined;
  const apply = groupApply(async (records) => {
    const outcome = await deps.store.apply(records);
    deps.onApplied?.(outcome, records);
  });
  return {
    async start() {
      subscription = await deps.bus.consume(
        'records',
        deps.group ?? 'aggregator',
        (batch) => apply(batch.map((m) => m.value)),
        {
          ...(deps.maxBatch === undefined ? {} : { maxBatch: deps.maxBatch }),
          // Partitions another replica had: its inserts may still run, and the next apply reads after them.
          onAssigned: () => deps.store.takeOver?.(),
        },
      );
    },
    async stop() {
      await subscription?.stop();
      subscription = undefined;
    },
  };
}
