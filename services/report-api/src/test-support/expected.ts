/**
 * Test support (not built): expected report numbers from the reference computation. A table's expected entries
 * are one `referenceQuery` per subset of its dimensions — the cells, every margin and the total — keyed the way
 * the tests key the published entries, so a whole report is compared in one assertion.
 */
import type { Dimension, StoreQuery } from '@mosy/core';
import { referenceQuery, type SyntheticDataset } from '@mosy/testkit';

/** A table entry's identity: its codes sorted by dimension, as JSON. */
export const entryId = (key: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Every entry of the table of `query.by` (+ `period` with an interval) with its margins and total. */
export function expectedTable(dataset: SyntheticDataset, query: StoreQuery): Map<string, number> {
  const dims: string[] = [...query.by, ...(query.interval === undefined ? [] : ['period'])];
  const expected = new Map<string, number>();
  for (let mask = 0; mask < 1 << dims.length; mask++) {
    const part = dims.filter((_, i) => (mask & (1 << i)) !== 0);
    const { interval, ...rest } = query;
    const result = referenceQuery(dataset.truth, {
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

/** A published table as the same map (withheld entries as `null`). */
export interface PublishedTableBody {
  readonly dims: readonly string[];
  readonly cells: readonly { key: Record<string, string>; value: number | null; flag?: string }[];
  readonly margins: readonly { key: Record<string, string>; value: number | null; flag?: string }[];
  readonly total: { value: number | null; flag?: string };
}

export function publishedTable(body: PublishedTableBody): Map<string, number | null> {
  const published = new Map<string, number | null>();
  for (const e of [...body.cells, ...body.margins]) published.set(entryId(e.key), e.value);
  published.set(entryId({}), body.total.value);
  return published;
}

/** Every line of the table: entries that share all coordinates but one dimension's, with that line's margin. */
export function lines(body: PublishedTableBody): { entries: (number | null)[]; margin: number | null }[] {
  const all = [...body.cells, ...body.margins, { key: {}, value: body.total.value }];
  const result: { entries: (number | null)[]; margin: number | null }[] = [];
  for (const dim of body.dims) {
    const groups = new Map<string, { entries: (number | null)[]; margin: number | null }>();
    for (const e of all) {
      const { [dim]: code, ...rest } = e.key;
      const id = entryId(rest);
      const line = groups.get(id) ?? { entries: [], margin: null };
      if (code === undefined) line.margin = e.value;
      else line.entries.push(e.value);
      groups.set(id, line);
    }
    for (const [id, line] of groups) {
      const marginEntry = all.find((e) => entryId(e.key) === id);
      result.push({ entries: line.entries, margin: marginEntry?.value ?? null });
    }
  }
  return result;
}

/** Registered victims: the victims indicators' default filter. */
export const REGISTERED = ['IDENTIFIED', 'PRESUMED'] as const;
