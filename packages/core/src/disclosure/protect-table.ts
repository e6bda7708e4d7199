/**
 * Secondary suppression (contract §6) by the hypercube method: after primary suppression, each small entry gets a
 * "hypercube" of withheld entries around it, 2^d corners chosen one pair of coordinates per dimension, such
 * that moving the corners by +k and −k alternately yields another table that agrees with every published value
 * and every relation between cells and margins. So no subtraction, and no linear or integer reasoning over the
 * same table, can pin a withheld entry to one value; and k is large enough that a primary cell could as well be at
 * the threshold, so an attacker cannot even prove it is small. See README.md for the rule and its guarantees.
 */
import { MosyError } from '../errors.js';
import { coordsOf, buildGrid, levelOf, totalOf } from './grid.js';
import type { Grid } from './grid.js';
import { DEFAULT_THRESHOLD, WITHHELD, assertThreshold, isSensitive } from './primary.js';
import type { ProtectedValue } from './primary.js';
import type { FrequencyTable, ProtectTableOptions, ProtectedEntry, ProtectedTable } from './table.js';

/**
 * Protects a table with primary and secondary suppression: every count with 0 < n < threshold is withheld, then
 * further entries (smallest first) until each withheld entry is a corner of a hypercube move as described above.
 * Deterministic: the same table, in any order of its entries, gets the same suppressions.
 * @throws MosyError `internal` when the table is malformed or its margins contradict its cells.
 */
export function protectTable(table: FrequencyTable, options: ProtectTableOptions = {}): ProtectedTable {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  assertThreshold(threshold);
  const grid = buildGrid(table);
  const primary: number[] = [];
  for (let index = 0; index < grid.values.length; index++)
    if (isSensitive(grid.values[index]!, threshold)) primary.push(index);
  const withheld = suppressAround(grid, primary, threshold);
  const publish = (index: number): ProtectedValue =>
    withheld[index] === 1 ? WITHHELD : { value: grid.values[index]! };
  const entries = (list: FrequencyTable['cells'], from: number): ProtectedEntry[] =>
    list.map((entry, i) => placed(entry.key, publish(grid.entryIndex[from + i]!)));
  return {
    dims: table.dims,
    cells: entries(table.cells, 0),
    margins: entries(table.margins, table.cells.length),
    total: publish(grid.values.length - 1),
    withheld: withheld.reduce((n, w) => n + w, 0),
  };
}

/** An entry as published: `{ key, value }`, and `flag` when withheld (built directly: spreading showed). */
export const placed = (key: ProtectedEntry['key'], { value, flag }: ProtectedValue): ProtectedEntry =>
  flag === undefined ? { key, value } : { key, value, flag };

/**
 * Marks the withheld entries of the grid: the primary ones (non-zero entries by grid index: the small counts, or
 * for the cell key method those whose perturbed value is withheld), then the corners of one hypercube per primary
 * entry, so that none of them can be recovered from the true values of the rest of the table.
 */
export function suppressAround(grid: Grid, primary: readonly number[], threshold: number): Uint8Array {
  const withheld = new Uint8Array(grid.values.length);
  for (const index of primary) {
    if (grid.values[index]! < 1)
      throw new MosyError('internal', 'A zero is never withheld: it discloses nobody.');
    withheld[index] = 1;
  }
  // Nothing to protect (most tables): none of the search's structures is built.
  if (primary.length === 0) return withheld;
  // Cells before margins, so margins are withheld only where cells cannot protect each other.
  const level = new Map(primary.map((index) => [index, levelOf(grid, index)]));
  const ordered = [...primary].sort((a, b) => level.get(a)! - level.get(b)! || a - b);
  // Room for one dimension's candidate edges, reused by every search: allocating it per withheld entry showed.
  const scratch = grid.codes.map((codes) => new Float64Array(codes.length));
  const line = grid.dims.length === 1 ? new OneLine(grid.values, withheld) : undefined;
  for (const index of ordered) {
    const cube = cheapestHypercube(grid, withheld, index, threshold, scratch, line);
    if (cube === undefined)
      throw new MosyError(
        'internal',
        'No hypercube protects a withheld entry; the table passed validation, so this is a bug.',
      );
    for (const corner of cube) {
      if (withheld[corner] === 0) line?.withhold(corner);
      withheld[corner] = 1;
    }
  }
  return withheld;
}

/**
 * The single line of a one-dimension table (a store result's cells and total, as `protectResult` protects it;
 * index = coordinate): its coordinates by value then coordinate, sorted once, and its withheld coordinates in
 * order. A withheld entry's candidate edges then come in the search's order (cost 0 first, by coordinate; then by
 * value and coordinate) from the withheld ones and the head of the sorted list, instead of a pass over the whole
 * line for each withheld entry, which was a third of the time of protecting a catalogue table of hundreds of cells.
 */
class OneLine {
  readonly byValue: Int32Array;
  /** Withheld coordinates, ascending. */
  readonly withheld: number[] = [];

  constructor(
    readonly values: Float64Array,
    withheld: Uint8Array,
  ) {
    this.byValue = Int32Array.from(values.keys()).sort((a, b) => values[a]! - values[b]! || a - b);
    for (let o = 0; o < withheld.length; o++) if (withheld[o] === 1) this.withheld.push(o);
  }

  withhold(o: number): void {
    let at = this.withheld.length;
    while (at > 0 && this.withheld[at - 1]! > o) at--;
    this.withheld.splice(at, 0, o);
  }

  /**
   * The candidate edges of coordinate `c` (with `k` and the table's withheld flags), as `cheapestHypercube` would
   * key and order them: withheld ones at cost 0 by coordinate, then the others by value and coordinate; each edge
   * passes the same test of its value.
   */
  candidates(c: number, k: number, flags: Uint8Array): Ascending {
    const { values, byValue, withheld } = this;
    const total = values.length - 1;
    const span = total + 1;
    const passes = (o: number): boolean => {
      const value = values[o]!;
      return !(value < 1 || (c !== total && o !== total && value < 1 + k));
    };
    const keys: number[] = [];
    let inWithheld = 0;
    let inSorted = 0;
    const next = (): boolean => {
      while (inWithheld < withheld.length) {
        const o = withheld[inWithheld++]!;
        if (o === c || !passes(o)) continue;
        keys.push(o);
        return true;
      }
      while (inSorted < byValue.length) {
        const o = byValue[inSorted++]!;
        if (o === c || flags[o] === 1 || !passes(o)) continue;
        keys.push(values[o]! * span + o);
        return true;
      }
      return false;
    };
    return {
      at(i: number): number | undefined {
        while (keys.length <= i) if (!next()) return undefined;
        return keys[i];
      },
    };
  }
}

/**
 * The hypercube around `index` whose not yet withheld corners have the smallest sum (then the fewest of them,
 * then the first in code order), among those whose ±k move keeps the table consistent; its corners' indices.
 */
function cheapestHypercube(
  grid: Grid,
  withheld: Uint8Array,
  index: number,
  threshold: number,
  scratch: readonly Float64Array[],
  line: OneLine | undefined,
): number[] | undefined {
  const { values, strides } = grid;
  const dims = grid.dims.length;
  const coords = coordsOf(grid, index);
  // Enough room to move the cell up to the threshold: a primary cell might then as well not be small at all.
  const k = Math.max(1, threshold - values[index]!);
  // Per dimension, the other coordinates whose edge may be a corner, by cost (0 when already withheld) then
  // coordinate. Each is one number, cost × (TOTAL + 1) + coordinate (exact: counts are integers), so plain number
  // order is that order. They are put in order only as far as the search reads them: it mostly stops at the
  // first feasible edge, and sorting every candidate, for each withheld cell of a table of hundreds, was most of
  // the time of protecting it.
  const candidates = coords.map((c, d) => {
    const total = totalOf(grid, d);
    const span = total + 1;
    if (line !== undefined) return { keys: line.candidates(c, k, withheld), span };
    const keys = scratch[d]!;
    let count = 0;
    let smallest = -1;
    let second = -1;
    for (let o = 0; o <= total; o++) {
      if (o === c || (c === total && o === total)) continue;
      const edge = index + (o - c) * strides[d]!;
      const value = values[edge]!;
      const minus = c !== total && o !== total;
      if (value < 1 || (minus && value < 1 + k)) continue;
      const key = (withheld[edge] === 1 ? 0 : value) * span + o;
      if (smallest < 0 || key < keys[smallest]!) {
        second = smallest;
        smallest = count;
      } else if (second < 0 || key < keys[second]!) second = count;
      keys[count++] = key;
    }
    return { keys: ascending(keys.subarray(0, count), smallest, second), span };
  });

  let best: { cost: number; added: number; corners: number[] } | undefined;
  const chosen: number[] = new Array<number>(dims).fill(0);
  const search = (d: number, lowerBound: number): void => {
    if (best !== undefined && (best.cost === 0 || lowerBound > best.cost)) return;
    if (d === dims) {
      const cube = evaluate(grid, withheld, index, coords, chosen, k);
      if (
        cube !== undefined &&
        (best === undefined || cube.cost < best.cost || (cube.cost === best.cost && cube.added < best.added))
      )
        best = cube;
      return;
    }
    const { keys, span } = candidates[d]!;
    for (let i = 0; ; i++) {
      const key = keys.at(i);
      if (key === undefined) return;
      const cost = Math.floor(key / span);
      // Sorted by cost: once one edge is too dear, every later one is; and nothing beats a cost of 0 (as the check
      // on entry says), so the rest need not even be put in order.
      if (best !== undefined && (best.cost === 0 || lowerBound + cost > best.cost)) return;
      chosen[d] = key - cost * span;
      search(d + 1, lowerBound + cost);
    }
  };
  search(0, 0);
  return best?.corners;
}

/**
 * Distinct numbers read in ascending order, the i-th at `at(i)` (undefined past the last), ordered only up to the
 * largest i read yet.
 */
interface Ascending {
  at(i: number): number | undefined;
}

/** Reads past this many smallest sort the rest at once, so a search that reads far stays O(n log n). */
const SELECTED = 8;

/**
 * Orders `keys` (distinct, taken over) lazily: the first few reads each move the smallest of the rest to the
 * front (one pass; the first two are known from building the keys), and a read past them sorts the rest. The
 * search reads one or two of hundreds mostly: the cheapest edge, and the next to see that it costs more.
 */
function ascending(keys: Float64Array, smallestAt: number, secondAt: number): Ascending {
  const count = keys.length;
  let ordered = 0;
  return {
    at(i: number): number | undefined {
      if (i >= count) return undefined;
      while (ordered <= i) {
        if (ordered === SELECTED) {
          keys.subarray(ordered).sort();
          ordered = count;
          break;
        }
        let smallest: number;
        // The second smallest moved where the smallest was if it was at the front.
        if (ordered === 0) smallest = smallestAt;
        else if (ordered === 1) smallest = secondAt === 0 ? smallestAt : secondAt;
        else {
          smallest = ordered;
          for (let j = ordered + 1; j < count; j++) if (keys[j]! < keys[smallest]!) smallest = j;
        }
        const key = keys[smallest]!;
        keys[smallest] = keys[ordered]!;
        keys[ordered++] = key;
      }
      return keys[i]!;
    },
  };
}

/**
 * Checks the hypercube with the other coordinates `chosen` and prices it; undefined when its move is not feasible.
 * The move adds s·k to each corner, s the product over dimensions of +1 for the cell's own coordinate and for any
 * pair with TOTAL, −1 for the other code of a pair of codes: every line then keeps `sum(cells) − margin`.
 */
function evaluate(
  grid: Grid,
  withheld: Uint8Array,
  index: number,
  coords: readonly number[],
  chosen: readonly number[],
  k: number,
): { cost: number; added: number; corners: number[] } | undefined {
  const { values, strides } = grid;
  const dims = coords.length;
  const steps = coords.map((c, d) => (chosen[d]! - c) * strides[d]!);
  const pairSign = coords.map((c, d) => (c === totalOf(grid, d) || chosen[d] === totalOf(grid, d) ? 1 : -1));
  const corners: number[] = [];
  const signs: number[] = [];
  let cost = 0;
  let added = 0;
  for (let mask = 0; mask < 1 << dims; mask++) {
    let corner = index;
    let sign = 1;
    for (let d = 0; d < dims; d++)
      if (mask & (1 << d)) {
        corner += steps[d]!;
        sign *= pairSign[d]!;
      }
    const value = values[corner]!;
    // Withheld entries are known to be at least 1, so the move must keep every corner there.
    if (value < 1 || (sign < 0 && value < 1 + k)) return undefined;
    corners.push(corner);
    signs.push(sign);
    if (withheld[corner] === 0) {
      cost += value;
      added += 1;
    }
  }
  // Lines of distinct-person counts also need `cell ≤ margin` after the move (additive lines always keep it).
  for (let d = 0; d < dims; d++) {
    const total = totalOf(grid, d);
    const withTotal = coords[d] === total || chosen[d] === total;
    for (let mask = 0; mask < 1 << dims; mask++) {
      if (mask & (1 << d)) continue;
      const a = corners[mask]!;
      const b = corners[mask | (1 << d)]!;
      const sign = signs[mask]!;
      if (!withTotal) {
        const [up, at] = sign > 0 ? [a, coords[d]!] : [b, chosen[d]!];
        const margin = up + (total - at) * strides[d]!;
        if (values[up]! + k > values[margin]!) return undefined;
      } else if (sign < 0) {
        const [margin, at] = coords[d] === total ? [a, chosen[d]!] : [b, coords[d]!];
        const otherMax = grid.top1At[d]![margin] === at ? grid.top2[d]![margin]! : grid.top1[d]![margin]!;
        if (otherMax > values[margin]! - k) return undefined;
      }
    }
  }
  return { cost, added, corners };
}
