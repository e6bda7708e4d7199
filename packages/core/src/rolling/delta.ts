/**
 * The change one record makes to the rolling counts when its current version is replaced (a new version, a
 * correction, a withdrawal, or a first version): every finest cell of the old version loses it, every cell of the
 * new one gains it, and what both share cancels out. Records are counted directly, with their key sum. A person key
 * made from the record alone (`r:`) belongs to that one record, so such persons are counted directly too (they add
 * up across cells, months and providers). Persons with an identity (`p:`) are kept as a reference count per (cell,
 * person), the number of that person's current records in the cell; a read counts the distinct persons whose count
 * is above 0 in the cells it selects.
 */
import { personKeyNumber } from '../disclosure/cell-key.js';
import { rollingCellId, rollingCellsOf, type CellSource, type RollingCell } from './cells.js';
import { ROLLING_GROUPINGS, type RollingGrouping } from './groupings.js';

/** The change to one cell's directly counted values. */
export interface RollingCellChange {
  readonly cell: RollingCell;
  /** Records: signed. */
  readonly records: number;
  /** Signed change to the sum of record keys (reduced modulo 2^32 only when stored or read). */
  readonly recordKeySum: number;
  /** Persons keyed by their record (`r:`): signed. */
  readonly persons: number;
  /** Signed change to the sum of those persons' key numbers. */
  readonly personKeySum: number;
}

/** The change to one (cell, person) reference count, for persons with an identity. */
export interface PersonRefChange {
  readonly cell: RollingCell;
  readonly personKey: string;
  /** Signed. */
  readonly refs: number;
}

export interface RollingDelta {
  readonly cells: readonly RollingCellChange[];
  readonly personRefs: readonly PersonRefChange[];
}

/** Whether a person key names the person of one record only (no identity was given). */
export const isRecordPerson = (personKey: string): boolean => personKey.startsWith('r:');

interface MutableCellChange {
  cell: RollingCell;
  records: number;
  recordKeySum: number;
  persons: number;
  personKeySum: number;
}

/**
 * The delta from `previous` (the stored current version, undefined when none or withdrawn) to `next` (the new
 * current version, undefined for a withdrawal). Only non-zero changes are returned.
 */
export function rollingDelta(
  previous: CellSource | undefined,
  next: CellSource | undefined,
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): RollingDelta {
  const cells = new Map<string, MutableCellChange>();
  const refs = new Map<string, { cell: RollingCell; personKey: string; refs: number }>();
  const add = (source: CellSource, sign: 1 | -1): void => {
    const own = isRecordPerson(source.personKey);
    const number = own ? personKeyNumber(source.personKey) : 0;
    for (const cell of rollingCellsOf(source, groupings)) {
      const id = rollingCellId(cell);
      let change = cells.get(id);
      if (change === undefined) {
        change = { cell, records: 0, recordKeySum: 0, persons: 0, personKeySum: 0 };
        cells.set(id, change);
      }
      change.records += sign;
      change.recordKeySum += sign * source.recordKey;
      if (own) {
        change.persons += sign;
        change.personKeySum += sign * number;
        continue;
      }
      const refKey = `${id}\n${source.personKey}`;
      const ref = refs.get(refKey);
      if (ref === undefined) refs.set(refKey, { cell, personKey: source.personKey, refs: sign });
      else ref.refs += sign;
    }
  };
  if (previous !== undefined) add(previous, -1);
  if (next !== undefined) add(next, 1);
  return {
    cells: [...cells.values()].filter(
      (c) => c.records !== 0 || c.recordKeySum !== 0 || c.persons !== 0 || c.personKeySum !== 0,
    ),
    personRefs: [...refs.values()].filter((ref) => ref.refs !== 0),
  };
}
