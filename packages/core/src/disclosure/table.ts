/**
 * The frequency table that secondary suppression protects: 1 to 4 breakdown dimensions (say `sex`, `exploitation`
 * and `period`), every cell, every marginal sub-total and the grand total, as a report publishes them together.
 * Margins may be plain sums of their cells (records of a single-valued field) or distinct-person totals that are
 * not (persons, or any multi-valued field such as `exploitation`); `protectTable` handles both with one rule.
 */
import type { ProtectedValue } from './primary.js';

/** A table entry: codes for some dimensions, and a count. */
export interface TableEntry {
  /**
   * The entry's code for each dimension it names. A cell names every dimension of the table; a margin names a
   * strict, non-empty subset of them and counts over every code of the dimensions it leaves out.
   */
  readonly key: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * A table with all its margins. Cells and margins that are absent count as 0 (stores return no empty cells), so a
 * margin may be left out only when every cell under it is 0. Margins satisfy, line by line, `max(cells) ≤ margin ≤
 * sum(cells)`: equality with the sum for additive counts, less for distinct persons.
 */
export interface FrequencyTable {
  /** Breakdown dimensions, 1 to 4, e.g. `['sex', 'period']`. */
  readonly dims: readonly string[];
  readonly cells: readonly TableEntry[];
  /** Every marginal sub-total: for 2 dimensions the row and column totals, for 3 also the 2-dimension ones. */
  readonly margins: readonly TableEntry[];
  /** The grand total. */
  readonly total: number;
}

/** A table entry as published. */
export interface ProtectedEntry extends ProtectedValue {
  readonly key: Readonly<Record<string, string>>;
}

/** A protected table: the input's entries in the input's order, withheld ones as `null` with the flag `c`. */
export interface ProtectedTable {
  readonly dims: readonly string[];
  readonly cells: readonly ProtectedEntry[];
  readonly margins: readonly ProtectedEntry[];
  readonly total: ProtectedValue;
  /** How many entries (cells, margins and total) are withheld, by primary and secondary suppression together. */
  readonly withheld: number;
}

/** Options of `protectTable`. */
export interface ProtectTableOptions {
  /**
   * Counts with 0 < n < threshold are withheld.
   * @defaultValue 5
   */
  readonly threshold?: number;
}
