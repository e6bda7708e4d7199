/**
 * Disclosure control of one query result, as the report API applies it in one call: `suppress` (primary and
 * secondary suppression of the cells and the total, which form one line: every cell is counted in the total),
 * `perturb` (the cell key method, for ad-hoc queries that overlap other queries) or `none` (privileged readers).
 * The result says which method was applied and with which parameters, for the report's metadata.
 */
import type { Cell, StoreResult } from '../query/model.js';
import type { PerturbationTable } from './perturbation.js';
import { perturbTable } from './perturb-table.js';
import { DEFAULT_THRESHOLD, assertThreshold, primarySuppress } from './primary.js';
import type { ProtectedValue } from './primary.js';
import { protectTable } from './protect-table.js';

export type DisclosureMode = 'suppress' | 'perturb' | 'none';
export const DISCLOSURE_MODES: readonly DisclosureMode[] = ['suppress', 'perturb', 'none'];

/**
 * A store cell with its key sum, which the cell key method needs: for `records`, the sum of the `recordKey` of
 * the cell's records; for `persons`, the sum of `personKeyNumber(personKey)` over the cell's distinct persons;
 * both modulo 2^32.
 */
export interface KeyedCell extends Cell {
  readonly keySum?: number;
}

/** A store result with key sums (required for `perturb`, ignored otherwise). */
export interface KeyedResult extends StoreResult {
  readonly cells: readonly KeyedCell[];
  /** Key sum over the whole filter (distinct persons for `persons`), as `KeyedCell.keySum`. */
  readonly totalKeySum?: number;
}

/** A cell as published. */
export interface ProtectedCell extends ProtectedValue {
  readonly key: Cell['key'];
  readonly period?: string;
}

/** What was done to the numbers, for the report's metadata. */
export type DisclosureInfo =
  | { readonly method: 'none' }
  | {
      readonly method: 'suppression';
      /** Counts with 0 < n < threshold are withheld, with further cells so none can be recovered from the total. */
      readonly threshold: number;
      /** Withheld values, the total included. */
      readonly withheld: number;
    }
  | {
      readonly method: 'cell-key';
      /** Perturbed counts with 0 < n < threshold are withheld. */
      readonly threshold: number;
      /** Published counts are within ±maxPerturbation of the true ones; cells need not add up to the total. */
      readonly maxPerturbation: number;
      readonly variance: number;
      readonly withheld: number;
    };

export interface ProtectedResult {
  readonly cells: readonly ProtectedCell[];
  readonly total: ProtectedValue;
  readonly disclosure: DisclosureInfo;
}

export interface ProtectResultOptions {
  /**
   * Counts (or perturbed counts) with 0 < n < threshold are withheld.
   * @defaultValue 5, or the perturbation table's threshold
   */
  readonly threshold?: number;
  /**
   * The perturbation table for `perturb`.
   * @defaultValue `createPerturbationTable({ threshold })`: D = 2, V = 1
   */
  readonly perturbation?: PerturbationTable;
}

/**
 * Applies disclosure control to a store result. Zero stays 0 in every mode; withheld values are `null` with
 * the flag `c`. Cells keep their order, keys and periods.
 * @throws MosyError `internal` for `perturb` without key sums, for contradictory options, or for a result whose
 * total exceeds the sum of its cells or is below one of them.
 */
export function protectResult(
  result: KeyedResult,
  mode: DisclosureMode,
  options: ProtectResultOptions = {},
): ProtectedResult {
  // Built directly, in the order key, period, value, flag: spreading optional members showed in the profile.
  const place = ({ key, period }: Cell, { value, flag }: ProtectedValue): ProtectedCell => {
    if (period === undefined) return flag === undefined ? { key, value } : { key, value, flag };
    return flag === undefined ? { key, period, value } : { key, period, value, flag };
  };
  switch (mode) {
    case 'none':
      return {
        cells: result.cells.map((cell) => place(cell, { value: cell.value })),
        total: { value: result.total },
        disclosure: { method: 'none' },
      };
    case 'suppress': {
      const threshold = options.threshold ?? DEFAULT_THRESHOLD;
      assertThreshold(threshold);
      if (result.cells.length === 0) {
        const total = primarySuppress(result.total, threshold);
        return {
          cells: [],
          total,
          disclosure: { method: 'suppression', threshold, withheld: total.value === null ? 1 : 0 },
        };
      }
      // Cells and total are one line of a one-dimension table whose codes are the cells' keys and periods.
      const cellId = cellIds();
      const table = protectTable(
        {
          // Without cells the table is its total alone.
          dims: result.cells.length === 0 ? [] : ['cell'],
          cells: result.cells.map((cell) => ({ key: { cell: cellId(cell) }, value: cell.value })),
          margins: [],
          total: result.total,
        },
        { threshold },
      );
      return {
        cells: result.cells.map((cell, i) => place(cell, table.cells[i]!)),
        total: table.total,
        disclosure: { method: 'suppression', threshold, withheld: table.withheld },
      };
    }
    case 'perturb': {
      // The same line as for `suppress`, perturbed entry by entry, with secondary suppression around the withheld.
      const cellId = cellIds();
      const table = perturbTable(
        {
          // Without cells the table is its total alone.
          dims: result.cells.length === 0 ? [] : ['cell'],
          // A key sum left undefined is missing all the same (`perturbTable` says so).
          cells: result.cells.map((cell) => ({
            key: { cell: cellId(cell) },
            value: cell.value,
            keySum: cell.keySum,
          })),
          margins: [],
          total: result.total,
          ...(result.totalKeySum === undefined ? {} : { totalKeySum: result.totalKeySum }),
        },
        options,
      );
      const { threshold, maxPerturbation, variance } = table.perturbation;
      return {
        cells: result.cells.map((cell, i) => place(cell, table.cells[i]!)),
        total: table.total,
        disclosure: { method: 'cell-key', threshold, maxPerturbation, variance, withheld: table.withheld },
      };
    }
  }
}

/**
 * Makes the cells' codes in the one-dimension table: `JSON.stringify([period ?? null, ...entries sorted by name])`,
 * whose order decides ties in secondary suppression. Written out piece by piece, with the same bytes, each string
 * quoted once per result (a result repeats a few codes and periods hundreds of times): stringifying the nested
 * array was a sixth of the time of protecting a result of hundreds of cells.
 */
function cellIds(): (cell: Cell) => string {
  const quoted = new Map<string, string>();
  const quote = (text: string | undefined): string => {
    if (text === undefined) return 'null';
    let json = quoted.get(text);
    if (json === undefined) quoted.set(text, (json = JSON.stringify(text)));
    return json;
  };
  return (cell) => {
    const key: Readonly<Record<string, string | undefined>> = cell.key;
    let id = `[${quote(cell.period)}`;
    // The default sort compares UTF-16 code units, as `<` does.
    for (const name of Object.keys(key).sort()) id += `,[${quote(name)},${quote(key[name])}]`;
    return `${id}]`;
  };
}
