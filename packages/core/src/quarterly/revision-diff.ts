/**
 * Revisions of a published report: the exact difference between two versions of its cells, as the published values
 * and flags (never the true counts behind withheld ones). A revision lists each cell that was added, removed, or
 * whose value or flag changed, and nothing else, so a user can see what late data changed and the metadata sheet
 * can say it. A cell is named by its series key (every dimension with its code, the table or indicator included),
 * so the same observation matches across versions whatever the order of rows.
 */
import { MosyError } from '../errors.js';

/** One published observation of a report version. */
export interface ReportCell {
  /** Every dimension of the observation with its code, e.g. `{ indicator: 'victims', sex: 'F', period: '2026-Q1' }`. */
  readonly key: Readonly<Record<string, string>>;
  /** The published value; `null` when withheld. */
  readonly value: number | null;
  /** The published flag, e.g. `c` for confidential; absent when none. */
  readonly flag?: string;
}

/** A cell as one version publishes it. */
export interface PublishedObservation {
  readonly value: number | null;
  readonly flag?: string;
}

export type CellChange =
  | { readonly kind: 'added'; readonly key: ReportCell['key']; readonly after: PublishedObservation }
  | { readonly kind: 'removed'; readonly key: ReportCell['key']; readonly before: PublishedObservation }
  | {
      readonly kind: 'changed';
      readonly key: ReportCell['key'];
      /** What differs: the value, the flag, or both (a value newly withheld changes both). */
      readonly fields: readonly ('value' | 'flag')[];
      readonly before: PublishedObservation;
      readonly after: PublishedObservation;
    };

export interface RevisionDiff {
  /** Every changed cell, sorted by key; unchanged cells are not listed. */
  readonly changes: readonly CellChange[];
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** Cells in both versions with the same value and flag. */
  readonly unchanged: number;
}

/** A series key's dimensions with their codes, sorted by dimension. */
export const sortedDimensions = (key: ReportCell['key']): [string, string][] =>
  Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The canonical name of a series key: its dimensions sorted, so key order does not matter. */
const seriesKey = (key: ReportCell['key']): string => JSON.stringify(sortedDimensions(key));

/**
 * The cells that differ between the previous and the next version of a report.
 * @throws MosyError `internal` when a version holds the same series key twice.
 */
export function diffReportVersions(
  previous: readonly ReportCell[],
  next: readonly ReportCell[],
): RevisionDiff {
  const before = byKey(previous, 'previous');
  const after = byKey(next, 'next');
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: CellChange[] = [];
  let unchanged = 0;
  for (const name of names) {
    const old = before.get(name);
    const now = after.get(name);
    if (old === undefined) changes.push({ kind: 'added', key: now!.key, after: observation(now!) });
    else if (now === undefined) changes.push({ kind: 'removed', key: old.key, before: observation(old) });
    else {
      const fields: ('value' | 'flag')[] = [];
      if (old.value !== now.value) fields.push('value');
      if (old.flag !== now.flag) fields.push('flag');
      if (fields.length === 0) unchanged++;
      else
        changes.push({
          kind: 'changed',
          key: now.key,
          fields,
          before: observation(old),
          after: observation(now),
        });
    }
  }
  const count = (kind: CellChange['kind']): number => changes.filter((c) => c.kind === kind).length;
  return { changes, added: count('added'), removed: count('removed'), changed: count('changed'), unchanged };
}

function byKey(cells: readonly ReportCell[], version: string): Map<string, ReportCell> {
  const map = new Map<string, ReportCell>();
  for (const cell of cells) {
    const name = seriesKey(cell.key);
    if (map.has(name))
      throw new MosyError('internal', `The ${version} version holds the cell ${name} twice.`);
    map.set(name, cell);
  }
  return map;
}

const observation = ({ value, flag }: ReportCell): PublishedObservation =>
  flag === undefined ? { value } : { value, flag };
