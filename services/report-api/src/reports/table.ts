/**
 * Tables with margins, the shape of every report but the single ad-hoc query: the cells of up to four breakdowns
 * (a `period` dimension when the query has an interval), every marginal sub-total and the grand total, each
 * answered by the store (all subsets of the dimensions in one read where it has one, else one query per subset),
 * so persons margins are distinct over the margin and never the sum of cells. Reports are ad-hoc (any provider subset, time frame and variables), so analysts get
 * them through the deployment's ad-hoc method: by default the cell key method with secondary suppression
 * (`perturbTable`), so that two overlapping tables cannot be subtracted either; or suppression alone
 * (`protectTable`). Readers who may see unprotected values get them as they are.
 */
import {
  perturbTable,
  protectTable,
  type Dimension,
  type DisclosureInfo,
  type IndicatorStore,
  type KeyedFrequencyTable,
  type KeyedTableEntry,
  type ProtectedValue,
  type StoreQuery,
} from '@mosy/core';
import type { Protection } from '../audit.js';
import { publishConsistent } from './consistent.js';
import type { DisclosureSettings } from '../settings.js';

/** The table dimension holding the time bucket. */
export const PERIOD = 'period';

/** A table entry as published. */
export interface PublishedEntry extends ProtectedValue {
  readonly key: Readonly<Record<string, string>>;
}

/** A published table: cells, margins (every sub-total) and the total, with what was done to them. */
export interface PublishedTable {
  /** The table's dimensions: the breakdowns in order, then `period` when the query has an interval. */
  readonly dims: readonly string[];
  readonly cells: readonly PublishedEntry[];
  readonly margins: readonly PublishedEntry[];
  readonly total: ProtectedValue;
  /** What was done to the numbers; with the cell key method, `withheld` counts secondary suppressions too. */
  readonly disclosure: DisclosureInfo;
}

/** Every subset of `items`, as lists in the items' order (the empty one first). */
function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]);
}

/** The table key of a store cell. */
function keyOf(
  cell: { key: { readonly [D in Dimension]?: string }; period?: string },
  dims: readonly string[],
) {
  const key: Record<string, string> = {};
  for (const dim of dims) {
    const code = dim === PERIOD ? cell.period : cell.key[dim as Dimension];
    if (code !== undefined) key[dim] = code;
  }
  return key;
}

/**
 * Codes of a dimension regrouped: each target code counts what any of its source codes counts (say Eurostat's
 * `UNK` sex for MoSy's `X` and `UNK`). Counted by the store with a filter per target, so persons stay distinct.
 */
export type Recode = { readonly [D in Dimension]?: Readonly<Record<string, readonly string[]>> };

/** Every combination of one element per list. */
const product = <T>(lists: readonly (readonly T[])[]): T[][] =>
  lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);

/** A count with its key sum when the store gave one. */
const counted = ({ value, keySum }: { value: number; keySum?: number | undefined }) => ({
  value,
  ...(keySum === undefined ? {} : { keySum }),
});

/** The entries of one subset of the dimensions: one store query, or one per combination of recoded codes. */
async function queryPart(
  store: IndicatorStore,
  query: StoreQuery,
  part: readonly string[],
  recode: Recode,
): Promise<{ entries: KeyedTableEntry[]; total: number; totalKeySum?: number }> {
  const { interval, ...rest } = query;
  const recoded = query.by.filter((d) => part.includes(d) && recode[d] !== undefined);
  const by = query.by.filter((d) => part.includes(d) && !recoded.includes(d));
  const base = { ...rest, by, ...(interval !== undefined && part.includes(PERIOD) ? { interval } : {}) };
  if (recoded.length === 0) {
    const result = await store.query(base);
    return {
      entries: result.cells.map((cell) => ({ key: keyOf(cell, part), ...counted(cell) })),
      total: result.total,
      ...(result.totalKeySum === undefined ? {} : { totalKeySum: result.totalKeySum }),
    };
  }
  const targets = product(recoded.map((d) => Object.keys(recode[d]!).sort()));
  const entries: KeyedTableEntry[] = [];
  for (const combination of targets) {
    const filters: { [D in Dimension]?: readonly string[] } = { ...query.filters };
    let empty = false;
    recoded.forEach((d, i) => {
      const sources = recode[d]![combination[i]!]!;
      const allowed = query.filters[d];
      const codes = allowed === undefined ? sources : sources.filter((c) => allowed.includes(c));
      if (codes.length === 0) empty = true;
      filters[d] = codes;
    });
    if (empty) continue;
    const result = await store.query({ ...base, filters });
    const label = Object.fromEntries(recoded.map((d, i) => [d, combination[i]!]));
    // Without other breakdowns the target's count is the query's total.
    if (by.length === 0 && !part.includes(PERIOD))
      entries.push({ key: label, ...counted({ value: result.total, keySum: result.totalKeySum }) });
    else
      for (const cell of result.cells)
        entries.push({ key: { ...keyOf(cell, part), ...label }, ...counted(cell) });
  }
  return { entries: entries.filter((e) => e.value > 0), total: 0 };
}

/** Every part from one read of the store, where it has one and no dimension is recoded; else undefined. */
async function queryParts(
  store: IndicatorStore,
  query: StoreQuery,
  parts: readonly string[][],
  recode: Recode,
): Promise<{ entries: KeyedTableEntry[]; total: number; totalKeySum?: number }[] | undefined> {
  if (store.queryParts === undefined || query.by.some((d) => recode[d] !== undefined)) return undefined;
  const results = await store.queryParts(query, parts);
  return results?.map((result, index) => ({
    entries: result.cells.map((cell) => ({ key: keyOf(cell, parts[index]!), ...counted(cell) })),
    total: result.total,
    ...(result.totalKeySum === undefined ? {} : { totalKeySum: result.totalKeySum }),
  }));
}

/**
 * Queries the table of `query.by` (and `period` with `query.interval`) with all its margins from the store,
 * with the codes of `recode`'s dimensions regrouped, and the key sums of every entry with `query.keySums`.
 * Cells come sorted by their codes in dimension order.
 */
export async function queryTable(
  store: IndicatorStore,
  query: StoreQuery,
  recode: Recode = {},
): Promise<KeyedFrequencyTable> {
  const dims: string[] = [...query.by, ...(query.interval === undefined ? [] : [PERIOD])];
  const parts = subsets(dims);
  const results =
    (await queryParts(store, query, parts, recode)) ??
    (await Promise.all(parts.map((part) => queryPart(store, query, part, recode))));
  const entries = (index: number): KeyedTableEntry[] => results[index]!.entries;
  const full = parts.length - 1;
  const compare = (a: KeyedTableEntry, b: KeyedTableEntry): number => {
    for (const dim of dims) {
      const x = a.key[dim] ?? '';
      const y = b.key[dim] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  const margins: KeyedTableEntry[] = [];
  for (let i = 1; i < full; i++) margins.push(...entries(i));
  return {
    dims,
    cells: dims.length === 0 ? [] : entries(full).sort(compare),
    margins: margins.sort((a, b) => Object.keys(b.key).length - Object.keys(a.key).length || compare(a, b)),
    total: results[0]!.total,
    ...(results[0]!.totalKeySum === undefined ? {} : { totalKeySum: results[0]!.totalKeySum }),
  };
}

/**
 * Queries and publishes a report's table: as it is for `none`, else by the deployment's ad-hoc method (the store
 * adds key sums for the cell key method).
 */
export async function reportTable(
  store: IndicatorStore,
  query: StoreQuery,
  protection: Protection,
  disclosure: DisclosureSettings,
  recode: Recode = {},
): Promise<PublishedTable> {
  const mode = protection === 'none' ? 'none' : disclosure.adHoc;
  return publishConsistent(
    () => queryTable(store, mode === 'perturb' ? { ...query, keySums: true } : query, recode),
    (table) => publishTable(table, mode, disclosure.threshold),
  );
}

/** Publishes a table: as it is, by the cell key method with secondary suppression, or by suppression alone. */
export function publishTable(
  table: KeyedFrequencyTable,
  mode: 'none' | DisclosureSettings['adHoc'],
  threshold: number,
): PublishedTable {
  const entry = ({ key, value }: KeyedTableEntry): PublishedEntry => ({ key, value });
  switch (mode) {
    case 'none':
      return {
        dims: table.dims,
        cells: table.cells.map(entry),
        margins: table.margins.map(entry),
        total: { value: table.total },
        disclosure: { method: 'none' },
      };
    case 'perturb': {
      const published = perturbTable(table, { threshold });
      const { maxPerturbation, variance } = published.perturbation;
      return {
        dims: table.dims,
        cells: published.cells,
        margins: published.margins,
        total: published.total,
        disclosure: {
          method: 'cell-key',
          threshold,
          maxPerturbation,
          variance,
          withheld: published.withheld,
        },
      };
    }
    case 'suppress': {
      if (table.dims.length === 0) {
        const withheld = table.total > 0 && table.total < threshold;
        return {
          dims: table.dims,
          cells: [],
          margins: [],
          total: withheld ? { value: null, flag: 'c' } : { value: table.total },
          disclosure: { method: 'suppression', threshold, withheld: withheld ? 1 : 0 },
        };
      }
      const published = protectTable(table, { threshold });
      return {
        dims: table.dims,
        cells: published.cells,
        margins: published.margins,
        total: published.total,
        disclosure: { method: 'suppression', threshold, withheld: published.withheld },
      };
    }
  }
}
