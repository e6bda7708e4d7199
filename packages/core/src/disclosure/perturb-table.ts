/**
 * The cell key method for a whole table (contract §6, ad-hoc queries): every cell, margin and the total is
 * perturbed by its own cell key, so the same set of records always gets the same published value in whatever
 * table or query it appears, and two overlapping tables (all providers against all but one, NUTS 1 against
 * NUTS 2) cannot be subtracted to reveal a small count. Entries whose perturbed value falls below the threshold
 * are withheld, and secondary suppression around them — the hypercube method of `protectTable`, reasoned on the
 * true values — keeps them from being recovered from the rest of the same table even by an attacker who knew
 * every published value exactly. A table without dimensions is its total alone.
 */
import { MosyError } from '../errors.js';
import { cellKeyOf } from './cell-key.js';
import { buildGrid } from './grid.js';
import { perturb, resolvePerturbationTable } from './perturbation.js';
import type { PerturbationTable } from './perturbation.js';
import { WITHHELD } from './primary.js';
import type { ProtectedValue } from './primary.js';
import { placed, suppressAround } from './protect-table.js';
import type { FrequencyTable, ProtectedEntry, ProtectedTable, TableEntry } from './table.js';

/**
 * A table entry with its key sum: for records the sum of the record keys, for persons the sum of the person key
 * numbers of its distinct persons, modulo 2^32 (see `KeyedCell`). Required by `perturbTable`.
 */
export interface KeyedTableEntry extends TableEntry {
  readonly keySum?: number;
}

/** A frequency table whose entries carry key sums. */
export interface KeyedFrequencyTable extends FrequencyTable {
  readonly cells: readonly KeyedTableEntry[];
  readonly margins: readonly KeyedTableEntry[];
  readonly totalKeySum?: number;
}

export interface PerturbTableOptions {
  /**
   * Perturbed counts with 0 < n < threshold are withheld.
   * @defaultValue 5, or the perturbation table's threshold
   */
  readonly threshold?: number;
  /** @defaultValue `createPerturbationTable({ threshold })`: D = 2, V = 1 */
  readonly perturbation?: PerturbationTable;
}

/** A table protected by the cell key method, with the parameters used. */
export interface PerturbedTable extends ProtectedTable {
  readonly perturbation: PerturbationTable;
}

/**
 * Perturbs every entry of the table by its cell key and withholds the small results with the entries that would
 * give them away. Published values are within ±D of the truth; zeros stay 0; a published non-zero value is at
 * least the threshold; cells need not add up to their margins (each entry has its own perturbation).
 * @throws MosyError `internal` when an entry lacks its key sum, or the table is malformed.
 */
export function perturbTable(table: KeyedFrequencyTable, options: PerturbTableOptions = {}): PerturbedTable {
  const perturbation = resolvePerturbationTable(options);
  const keyOf = (keySum: number | undefined, key: Readonly<Record<string, string>>): number => {
    if (keySum === undefined)
      throw new MosyError(
        'internal',
        `The cell key method needs a key sum for the entry ${JSON.stringify(key)}; the store returned none.`,
      );
    return cellKeyOf(keySum);
  };
  const total = perturb(table.total, keyOf(table.totalKeySum, {}), perturbation);
  // A table of its total alone (no breakdown) has nothing to subtract it from.
  if (table.dims.length === 0) {
    if (table.cells.length > 0 || table.margins.length > 0)
      throw new MosyError('internal', 'A table without dimensions has only its total.');
    return { dims: [], cells: [], margins: [], total, withheld: total.value === null ? 1 : 0, perturbation };
  }
  const grid = buildGrid(table);
  const totalIndex = grid.values.length - 1;
  // By grid index; entries absent from the table are zeros, published as 0 whatever their key.
  const published: (ProtectedValue | undefined)[] = new Array<ProtectedValue | undefined>(grid.values.length);
  const primary: number[] = [];
  const put = (index: number, value: ProtectedValue): void => {
    published[index] = value;
    if (value.value === null) primary.push(index);
  };
  let at = 0;
  for (const list of [table.cells, table.margins])
    for (const entry of list)
      put(grid.entryIndex[at++]!, perturb(entry.value, keyOf(entry.keySum, entry.key), perturbation));
  put(totalIndex, total);
  const withheld = suppressAround(grid, primary, perturbation.threshold);
  const publish = (index: number): ProtectedValue =>
    withheld[index] === 1 ? WITHHELD : (published[index] ?? { value: 0 });
  const entries = (list: readonly TableEntry[], from: number): ProtectedEntry[] =>
    list.map((entry, i) => placed(entry.key, publish(grid.entryIndex[from + i]!)));
  return {
    dims: table.dims,
    cells: entries(table.cells, 0),
    margins: entries(table.margins, table.cells.length),
    total: publish(totalIndex),
    withheld: withheld.reduce((n, w) => n + w, 0),
    perturbation,
  };
}
