/**
 * The table of `table.ts` as a dense grid for secondary suppression: each dimension's sorted codes plus one more
 * coordinate, TOTAL, for "all codes", so cells, margins and the grand total are entries of one array and every
 * additive or distinct-person relation is a line: the entries along one dimension with the others fixed, whose
 * TOTAL entry is the line's margin. Building the grid validates the table, since an inconsistent one cannot be
 * protected by reasoning about its lines.
 */
import { MosyError } from '../errors.js';
import { assertCount } from './primary.js';
import type { FrequencyTable, TableEntry } from './table.js';

/** More dimensions make the 2^d corners of the secondary suppression search too many to be worth it. */
export const MAX_DIMS = 4;
/** A guard against tables that would take minutes to protect. */
export const MAX_GRID_ENTRIES = 2_000_000;

export interface Grid {
  readonly dims: readonly string[];
  /** Sorted codes per dimension; the coordinate `codes[d].length` is TOTAL. */
  readonly codes: readonly (readonly string[])[];
  /** Coordinate of each code per dimension. */
  readonly codeIndex: readonly ReadonlyMap<string, number>[];
  /** Coordinate stride per dimension in the flat index. */
  readonly strides: readonly number[];
  readonly values: Float64Array;
  /**
   * For each dimension and each entry that is TOTAL in it: the largest value among the line's cells, the
   * coordinate holding it, and the second largest. Secondary suppression needs "the largest other than one".
   */
  readonly top1: readonly Float64Array[];
  readonly top1At: readonly Int32Array[];
  readonly top2: readonly Float64Array[];
  /** The flat index of each of the table's cells, then of each of its margins, in the table's order. */
  readonly entryIndex: Int32Array;
}

const fail = (message: string): never => {
  throw new MosyError('internal', `Cannot protect the table: ${message}`);
};

/** TOTAL coordinate of dimension d. */
export const totalOf = (grid: Grid, d: number): number => grid.codes[d]!.length;

/** Coordinates of a flat index. */
export function coordsOf(grid: Grid, index: number): number[] {
  return grid.strides.map((stride, d) => Math.floor(index / stride) % (totalOf(grid, d) + 1));
}

/** How many coordinates of a flat index are TOTAL: 0 for a cell, the number of dimensions for the grand total. */
export function levelOf(grid: Grid, index: number): number {
  let level = 0;
  for (let d = 0; d < grid.strides.length; d++) {
    const total = grid.codes[d]!.length;
    if (Math.floor(index / grid.strides[d]!) % (total + 1) === total) level++;
  }
  return level;
}

/** Builds and validates the grid; entries absent from the table are 0 (margins only when every cell under them is). */
export function buildGrid(table: FrequencyTable): Grid {
  const { dims } = table;
  if (dims.length < 1 || dims.length > MAX_DIMS)
    fail(`it has ${dims.length} dimensions; 1 to ${MAX_DIMS} are supported`);
  if (new Set(dims).size !== dims.length) fail(`a dimension is listed twice in ${dims.join(', ')}`);
  const codeSets = dims.map(() => new Set<string>());
  const checkKey = (entry: TableEntry, isCell: boolean): void => {
    const named = Object.keys(entry.key);
    for (const dim of named) if (!dims.includes(dim)) fail(`an entry names ${dim}, which is not a dimension`);
    if (isCell && named.length !== dims.length)
      fail(`the cell ${JSON.stringify(entry.key)} lacks a dimension`);
    if (!isCell && (named.length === 0 || named.length === dims.length))
      fail(`the margin ${JSON.stringify(entry.key)} must name some but not all dimensions`);
    // Named lazily: describing every entry up front was a good part of protecting a large table.
    assertCount(entry.value, () => `The entry ${JSON.stringify(entry.key)}`);
    dims.forEach((dim, d) => {
      const code = entry.key[dim];
      if (code !== undefined) codeSets[d]!.add(code);
    });
  };
  for (const cell of table.cells) checkKey(cell, true);
  for (const margin of table.margins) checkKey(margin, false);
  assertCount(table.total, 'The total');

  const codes = codeSets.map((set) => [...set].sort());
  const strides: number[] = [];
  let size = 1;
  for (const list of codes) {
    strides.push(size);
    size *= list.length + 1;
  }
  if (size > MAX_GRID_ENTRIES)
    fail(`it has ${size} entries with margins; at most ${MAX_GRID_ENTRIES} are supported`);
  const values = new Float64Array(size);
  const given = new Uint8Array(size);
  const codeIndex = codes.map((list) => new Map(list.map((code, c) => [code, c])));
  const top1 = dims.map(() => new Float64Array(size));
  const top1At = dims.map(() => new Int32Array(size).fill(-1));
  const top2 = dims.map(() => new Float64Array(size));
  const entryIndex = new Int32Array(table.cells.length + table.margins.length);
  const grid: Grid = { dims, codes, codeIndex, strides, values, top1, top1At, top2, entryIndex };
  const put = (entry: TableEntry | undefined, value: number): number => {
    const index = entry === undefined ? size - 1 : indexOf(grid, entry.key);
    if (given[index] === 1) fail(`the entry ${JSON.stringify(entry?.key ?? {})} is given twice`);
    given[index] = 1;
    values[index] = value;
    return index;
  };
  let at = 0;
  for (const cell of table.cells) entryIndex[at++] = put(cell, cell.value);
  for (const margin of table.margins) entryIndex[at++] = put(margin, margin.value);
  put(undefined, table.total);

  // Lines are checked from cells up (by the number of TOTAL coordinates), so each margin is validated against
  // entries that are already settled.
  const levels = new Uint8Array(size);
  for (let index = 0; index < size; index++) levels[index] = levelOf(grid, index);
  for (let level = 1; level <= dims.length; level++)
    for (let index = 0; index < size; index++) if (levels[index] === level) checkLines(index);

  function checkLines(index: number): void {
    const coords = coordsOf(grid, index);
    coords.forEach((c, d) => {
      if (c !== totalOf(grid, d)) return;
      const stride = strides[d]!;
      const base = index - c * stride;
      let sum = 0;
      let first = 0;
      let firstAt = -1;
      let second = 0;
      for (let i = 0; i < c; i++) {
        const v = values[base + i * stride]!;
        sum += v;
        if (v > first) [second, first, firstAt] = [first, v, i];
        else if (v > second) second = v;
      }
      if (given[index] === 0) {
        if (sum > 0) fail(`the margin over ${dims[d]} at ${describe(grid, coords)} is missing`);
        given[index] = 1;
      }
      const margin = values[index]!;
      if (margin < first || margin > sum)
        fail(
          `the margin over ${dims[d]} at ${describe(grid, coords)} is ${margin}, outside [${first}, ${sum}] ` +
            '(the largest and the sum of its cells)',
        );
      top1[d]![index] = first;
      top1At[d]![index] = firstAt;
      top2[d]![index] = second;
    });
  }
  return grid;
}

/** Flat index of an entry's key (dimensions it leaves out are TOTAL). */
export function indexOf(grid: Grid, key: Readonly<Record<string, string>>): number {
  let index = 0;
  for (let d = 0; d < grid.dims.length; d++) {
    const code = key[grid.dims[d]!];
    const c = code === undefined ? totalOf(grid, d) : grid.codeIndex[d]!.get(code)!;
    index += c * grid.strides[d]!;
  }
  return index;
}

const describe = (grid: Grid, coords: readonly number[]): string =>
  JSON.stringify(
    Object.fromEntries(
      coords.flatMap((c, d) => (c === totalOf(grid, d) ? [] : [[grid.dims[d]!, grid.codes[d]![c]!]])),
    ),
  );
