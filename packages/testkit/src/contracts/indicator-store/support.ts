/**
 * What the parts of the `IndicatorStore` contract share: its options, the store of the running test with queries
 * over it, query defaults, and cells in a canonical order so that tests compare sets of cells.
 */
import type { Cell, IndicatorStore, NormalizedRecord, StoreQuery, StoreResult } from '@mosy/core';
import { buildNormalizedRecord as rec, type NormalizedRecordOverrides } from '../../builders.js';

export interface IndicatorStoreContractOptions {
  /** A fresh, empty store (the suite calls `migrate` itself) and how to dispose of it. */
  readonly create: () => Promise<{ readonly store: IndicatorStore; readonly close: () => Promise<void> }>;
  /** Random histories in the comparison with the reference. @defaultValue 25 */
  readonly propertyRuns?: number;
  /**
   * Whether the store answers `keySums` (the cell key method of disclosure control); checked when true.
   * @defaultValue false
   */
  readonly keySums?: boolean;
  /**
   * Whether the store answers the optional `timeliness` (data quality); checked when true.
   * @defaultValue false
   */
  readonly timeliness?: boolean;
}

/** A query with defaults: victims, records, no breakdown, no filter. */
export const q = (query: Partial<StoreQuery> = {}): StoreQuery => ({
  kind: 'victim',
  unit: 'records',
  by: [],
  filters: {},
  ...query,
});

const cellOrder = (cell: Cell): string =>
  JSON.stringify([Object.entries(cell.key).sort(), cell.period ?? '']);

/** Cells in a canonical order, so tests compare sets of cells. */
export const sortCells = (cells: readonly Cell[]): Cell[] =>
  [...cells].sort((a, b) => (cellOrder(a) < cellOrder(b) ? -1 : cellOrder(a) > cellOrder(b) ? 1 : 0));

/** A result in a form two stores' answers to the same query can be compared in: cells in one order. */
export const comparableResult = (result: StoreResult) => ({
  cells: sortCells(result.cells),
  total: result.total,
  totalKeySum: result.totalKeySum,
});

/** One cell per code of a single breakdown dimension. */
export const cellsBy = (dimension: string, counts: Record<string, number>): Cell[] =>
  sortCells(Object.entries(counts).map(([code, value]) => ({ key: { [dimension]: code }, value })));

/** One cell per period, without breakdown. */
export const cellsPer = (counts: Record<string, number>): Cell[] =>
  sortCells(Object.entries(counts).map(([period, value]) => ({ key: {}, period, value })));

/** A victim record (the builder's default kind), named for what the tests write. */
export const victim = (overrides: NormalizedRecordOverrides): NormalizedRecord => rec(overrides);

/** The store of the running test and queries over it, for the parts of the contract. */
export interface StoreUnderTest {
  /** The fresh, migrated store of the running test (read it in a test or a hook). */
  readonly current: () => IndicatorStore;
  /** The cells of a query (with the defaults of `q`), in canonical order. */
  readonly cells: (query: Partial<StoreQuery>) => Promise<Cell[]>;
  /** The total of a query (with the defaults of `q`). */
  readonly total: (query: Partial<StoreQuery>) => Promise<number>;
  /** The victims' cells by sex. */
  readonly sexOf: () => Promise<Cell[]>;
}

/** Queries over whichever store `current` gives when they run. */
export function storeUnderTest(current: () => IndicatorStore): StoreUnderTest {
  const cells = async (query: Partial<StoreQuery>): Promise<Cell[]> =>
    sortCells((await current().query(q(query))).cells);
  const total = async (query: Partial<StoreQuery>): Promise<number> =>
    (await current().query(q(query))).total;
  const sexOf = async (): Promise<Cell[]> => cells({ by: ['sex'] });
  return { current, cells, total, sexOf };
}
