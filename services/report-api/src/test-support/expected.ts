/**
 * Test support (not built): expected report numbers from the reference computation. A table's expected entries
 * are one `referenceQuery` per subset of its dimensions — the cells, every margin and the total — keyed the way
 * the tests key the published entries, so a whole report is compared in one assertion.
 */
import type { StoreQuery } from '@mosy/core';
import {
  entryId,
  expectedTable as expectedReferenceTable,
  type PublishedTableBody,
  type SyntheticDataset,
} from '@mosy/testkit';

export { entryId, publishedTable, type PublishedTableBody } from '@mosy/testkit';

/** Every entry of the table of `query.by` (+ `period` with an interval) with its margins and total. */
export const expectedTable = (dataset: SyntheticDataset, query: StoreQuery): Map<string, number> =>
  expectedReferenceTable(dataset.truth, query);

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
