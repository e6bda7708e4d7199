/**
 * A pure, in-memory implementation of rolling counts: the counting rules of `counting/rules.ts` (per provider and
 * record the highest version wins, replays and late versions change nothing, a withdrawal removes the record) with
 * each applied record's `rollingDelta` folded into finest cell counts and person reference counts, as the stores do
 * in SQL. Tests compare its reads (`rollingResultOf`) with counts computed afresh from the current records.
 */
import { latestPerRecord } from '../counting/rules.js';
import type { NormalizedRecord } from '../records.js';
import { KEY_SPACE } from '../disclosure/cell-key.js';
import { cellSourceOf, rollingCellId, type RollingCell } from './cells.js';
import { rollingDelta } from './delta.js';
import { ROLLING_GROUPINGS, type RollingGrouping } from './groupings.js';

/** The directly counted values of one finest cell (key sums modulo 2^32). */
export interface RollingCount {
  readonly cell: RollingCell;
  readonly records: number;
  readonly recordKeySum: number;
  /** Persons keyed by their record (`r:`). */
  readonly persons: number;
  readonly personKeySum: number;
}

/** How many current records of a person with an identity lie in one finest cell (always above 0). */
export interface RollingRef {
  readonly cell: RollingCell;
  readonly personKey: string;
  readonly refs: number;
}

/** The stored state of rolling counts: non-empty cells and non-zero references. */
export interface RollingState {
  readonly cells: readonly RollingCount[];
  readonly refs: readonly RollingRef[];
}

export interface RollingReference {
  /** Applies a batch by the counting rules; returns how many of its records changed the current state. */
  apply(records: readonly NormalizedRecord[]): { applied: number; ignored: number };
  state(): RollingState;
}

const mod = (value: number): number => ((value % KEY_SPACE) + KEY_SPACE) % KEY_SPACE;

/** An empty reference store of rolling counts over `groupings`. */
export function createRollingReference(
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): RollingReference {
  const current = new Map<string, NormalizedRecord>();
  const counters = new Map<string, RollingCount>();
  const refs = new Map<string, RollingRef>();
  return {
    apply(records) {
      let applied = 0;
      // As the stores do: a batch is first reduced to the highest version per record.
      for (const record of latestPerRecord(records)) {
        const key = JSON.stringify([record.providerId, record.recordId]);
        const stored = current.get(key);
        if (stored !== undefined && record.version <= stored.version) continue;
        const previous = stored === undefined ? undefined : cellSourceOf(stored);
        const delta = rollingDelta(previous, cellSourceOf(record), groupings);
        for (const change of delta.cells) {
          const id = rollingCellId(change.cell);
          const before = counters.get(id);
          const next: RollingCount = {
            cell: change.cell,
            records: (before?.records ?? 0) + change.records,
            recordKeySum: mod((before?.recordKeySum ?? 0) + change.recordKeySum),
            persons: (before?.persons ?? 0) + change.persons,
            personKeySum: mod((before?.personKeySum ?? 0) + change.personKeySum),
          };
          if (next.records === 0) counters.delete(id);
          else counters.set(id, next);
        }
        for (const change of delta.personRefs) {
          const id = `${rollingCellId(change.cell)}\n${change.personKey}`;
          const after = (refs.get(id)?.refs ?? 0) + change.refs;
          if (after === 0) refs.delete(id);
          else refs.set(id, { cell: change.cell, personKey: change.personKey, refs: after });
        }
        current.set(key, record);
        applied += 1;
      }
      return { applied, ignored: records.length - applied };
    },
    state: () => ({ cells: [...counters.values()], refs: [...refs.values()] }),
  };
}
