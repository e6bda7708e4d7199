/**
 * Whole published tables against the reference computation: a table's expected entries are one `referenceQuery`
 * per subset of its dimensions (the cells, every margin and the total), keyed like the published entries, so a
 * report is compared in one assertion.
 */
import type { Dimension, StoreQuery } from '@mosy/core';
import type { TruthRecord } from '@mosy/synthetic';
import { referenceQuery } from './reference-query.js';

/** A table entry's identity: its codes sorted by dimension, as JSON. */
export const entryId = (key: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Every entry of the table of `query.by` (+ `period` with an interval) with its margins and total. */
export function expectedTable(truth: readonly TruthRecord[], query: StoreQuery): Map<string, number> {
  const dims: string[] = [...query.by, ...(query.interval === undefined ? [] : ['period'])];
  const expected = new Map<string, number>();
  for (let mask = 0; mask < 1 << dims.length; mask++) {
    const part = dims.filter((_, i) => (mask & (1 << i)) !== 0);
    const { interval, ...rest } = query;
    const result = referenceQuery(truth, {
      ...rest,
      by: query.by.filter((d) => part.includes(d)),
      ...(interval !== undefined && part.includes('period') ? { interval } : {}),
    });
    if (part.length === 0) expected.set(entryId({}), result.total);
    else
      for (const cell of result.cells) {
        const key: Record<string, string> = {};
        for (const d of part) key[d] = d === 'period' ? cell.period! : cell.key[d as Dimension]!;
        expected.set(entryId(key), cell.value);
      }
  }
  return expected;
}

/** A published table (cells, margins, total; withheld values are `null`). */
export interface PublishedTableBody {
  readonly dims: readonly string[];
  readonly cells: readonly { key: Record<string, string>; value: number | null; flag?: string }[];
  readonly margins: readonly { key: Record<string, string>; value: number | null; flag?: string }[];
  readonly total: { value: number | null; flag?: string };
}

/** A published table as the same map as `expectedTable`'s (withheld entries as `null`). */
export function publishedTable(body: PublishedTableBody): Map<string, number | null> {
  const published = new Map<string, number | null>();
  for (const e of [...body.cells, ...body.margins]) published.set(entryId(e.key), e.value);
  published.set(entryId({}), body.total.value);
  return published;
}
