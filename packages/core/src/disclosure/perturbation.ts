/**
 * The perturbation table of the cell key method (ABS; contract §6) and the lookup that perturbs one count. For
 * each count n the table holds a distribution over changes −D..D: unbiased (mean 0), with variance V, never
 * taking a positive count below 1, and of maximum entropy among such distributions (as the `ptable` package of
 * Destatis builds them). The cell key, uniform in [0, 1), picks the change by inverting the cumulative
 * distribution, so a cell's published value is a function of its true count and of the set of records in it: the
 * same records always get the same value, and averaging repeated queries learns nothing. Zero stays 0, and a
 * perturbed count below the threshold is withheld (`null`, flag `c`), as primary suppression would.
 */
import { MosyError } from '../errors.js';
import { DEFAULT_THRESHOLD, WITHHELD, assertCount, assertThreshold } from './primary.js';
import type { ProtectedValue } from './primary.js';

/** Options of `createPerturbationTable`. */
export interface PerturbationOptions {
  /**
   * D: the largest change; a published count is within ±D of the true one.
   * @defaultValue 2
   */
  readonly maxPerturbation?: number;
  /**
   * V: the variance of the change, at most D²/2. Rows for counts so small that their allowed changes cannot reach
   * V comfortably get half of the largest variance they allow instead (see `PerturbationRow.variance`).
   * @defaultValue 1
   */
  readonly variance?: number;
  /**
   * Perturbed counts with 0 < n < threshold are withheld.
   * @defaultValue 5
   */
  readonly threshold?: number;
}

/** The distribution of changes for one count. */
export interface PerturbationRow {
  /** The count the row is for; the last row is for that count and every larger one. */
  readonly count: number;
  /** The possible changes, ascending: max(−D, 1 − count) .. D. */
  readonly changes: readonly number[];
  readonly probabilities: readonly number[];
  /** Cumulative probabilities: change i is chosen for a cell key in [upper[i − 1], upper[i]); the last is 1. */
  readonly upper: readonly number[];
  /** The row's variance: V, or half the largest variance its changes allow when that is smaller. */
  readonly variance: number;
}

/** A perturbation table: rows for the counts 1..D + 1 (the last for every count above D too). */
export interface PerturbationTable {
  readonly maxPerturbation: number;
  readonly variance: number;
  readonly threshold: number;
  readonly rows: readonly PerturbationRow[];
}

/** The default parameters: D = 2, V = 1, threshold 5. */
export const DEFAULT_PERTURBATION = Object.freeze({
  maxPerturbation: 2,
  variance: 1,
  threshold: DEFAULT_THRESHOLD,
});

/**
 * Builds the perturbation table for D, V and the threshold.
 * @throws MosyError `internal` when D is not an integer ≥ 1 or V is not in (0, D²/2].
 */
export function createPerturbationTable(options: PerturbationOptions = {}): PerturbationTable {
  const maxPerturbation = options.maxPerturbation ?? DEFAULT_PERTURBATION.maxPerturbation;
  const variance = options.variance ?? DEFAULT_PERTURBATION.variance;
  const threshold = options.threshold ?? DEFAULT_PERTURBATION.threshold;
  assertThreshold(threshold);
  if (!Number.isSafeInteger(maxPerturbation) || maxPerturbation < 1)
    throw new MosyError(
      'internal',
      `The maximum perturbation must be an integer ≥ 1, not ${maxPerturbation}.`,
    );
  if (!(variance > 0 && variance <= (maxPerturbation * maxPerturbation) / 2))
    throw new MosyError(
      'internal',
      `The perturbation variance must be in (0, D²/2] = (0, ${(maxPerturbation * maxPerturbation) / 2}], not ${variance}.`,
    );
  const rows: PerturbationRow[] = [];
  for (let count = 1; count <= maxPerturbation + 1; count++) {
    const lo = Math.max(-maxPerturbation, 1 - count);
    const changes = Array.from({ length: maxPerturbation - lo + 1 }, (_, i) => lo + i);
    // Mean 0 with no negative change allowed (count 1) leaves only "no change".
    const target = Math.min(variance, (-lo * maxPerturbation) / 2);
    const probabilities = lo === 0 ? changes.map((j) => (j === 0 ? 1 : 0)) : maxEntropy(changes, target);
    let cumulative = 0;
    const upper = probabilities.map((p, i) => (i === probabilities.length - 1 ? 1 : (cumulative += p)));
    rows.push({ count, changes, probabilities, upper, variance: lo === 0 ? 0 : target });
  }
  return { maxPerturbation, variance, threshold, rows };
}

/** The table with the default parameters, built once. */
let defaultTable: PerturbationTable | undefined;
export function defaultPerturbationTable(): PerturbationTable {
  return (defaultTable ??= createPerturbationTable());
}

/**
 * The perturbation table of a call's options: the given one, or the default one for the threshold.
 * @throws MosyError `internal` when both are given and their thresholds differ.
 */
export function resolvePerturbationTable(options: {
  readonly threshold?: number;
  readonly perturbation?: PerturbationTable;
}): PerturbationTable {
  const { perturbation, threshold } = options;
  if (perturbation === undefined)
    return threshold === undefined || threshold === DEFAULT_THRESHOLD
      ? defaultPerturbationTable()
      : createPerturbationTable({ threshold });
  if (threshold !== undefined && threshold !== perturbation.threshold)
    throw new MosyError(
      'internal',
      `The threshold ${threshold} contradicts the perturbation table's threshold ${perturbation.threshold}.`,
    );
  return perturbation;
}

/**
 * The perturbed count before withholding: `value` plus the change its row assigns to `cellKey`. Reports publish
 * `perturb` instead, which withholds small results.
 */
export function perturbedCount(value: number, cellKey: number, table: PerturbationTable): number {
  assertCount(value, 'A perturbed count');
  if (!(cellKey >= 0 && cellKey < 1))
    throw new MosyError('internal', `A cell key must be in [0, 1), not ${cellKey}.`);
  if (value === 0) return 0;
  const row = table.rows[Math.min(value, table.rows.length) - 1]!;
  const i = row.upper.findIndex((u) => cellKey < u);
  return value + row.changes[i]!;
}

/**
 * Perturbs one count by the cell key method: 0 stays 0; otherwise the count moves by the change its row assigns to
 * the cell key (at most D either way, never below 1) and is withheld when the result or the count itself is below
 * the threshold, so no count below the threshold is ever published, not even moved up to it (contract §6).
 * @param cellKey the cell's key in [0, 1), `cellKeyOf(keySum)`.
 */
export function perturb(value: number, cellKey: number, table: PerturbationTable): ProtectedValue {
  const perturbed = perturbedCount(value, cellKey, table);
  return Math.min(value, perturbed) > 0 && Math.min(value, perturbed) < table.threshold
    ? WITHHELD
    : { value: perturbed };
}

/**
 * The maximum-entropy distribution on `support` (containing negative and positive values) with mean 0 and the
 * given variance: p(j) ∝ exp(a·j + b·j²). For each b, the mean increases with a, so bisection finds the a with
 * mean 0 (by Newton's method kept inside a bisection bracket); along that curve the second moment increases with b
 * (it is the derivative of a convex dual), so bisection finds b. Slower than a joint Newton iteration, but it
 * cannot fail to converge, and rows are few and small.
 */
function maxEntropy(support: readonly number[], variance: number): number[] {
  const distribution = (a: number, b: number): number[] => {
    const exponents = support.map((j) => a * j + b * j * j);
    const shift = Math.max(...exponents);
    const weights = exponents.map((e) => Math.exp(e - shift));
    const z = weights.reduce((s, w) => s + w, 0);
    return weights.map((w) => w / z);
  };
  const moment = (p: readonly number[], power: number): number =>
    support.reduce((s, j, i) => s + p[i]! * j ** power, 0);
  const bisect = (lo: number, hi: number, increasing: (x: number) => number): number => {
    for (let i = 0; i < 200 && lo < hi; i++) {
      const mid = (lo + hi) / 2;
      if (mid === lo || mid === hi) break;
      if (increasing(mid) < 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  // The mean's derivative in a is the variance, so Newton's method, kept inside the bracket, finds a quickly.
  const centred = (b: number): number => {
    let [lo, hi, a] = [-BOUND, BOUND, 0];
    for (let i = 0; i < 200; i++) {
      const p = distribution(a, b);
      const mean = moment(p, 1);
      if (Math.abs(mean) < 1e-15) break;
      if (mean < 0) lo = a;
      else hi = a;
      const next = a - mean / (moment(p, 2) - mean * mean);
      a = next > lo && next < hi ? next : (lo + hi) / 2;
    }
    return a;
  };
  const b = bisect(-BOUND, BOUND, (x) => moment(distribution(centred(x), x), 2) - variance);
  const p = distribution(centred(b), b);
  if (Math.abs(moment(p, 1)) > 1e-12 || Math.abs(moment(p, 2) - variance) > 1e-12)
    throw new MosyError(
      'internal',
      `No perturbation distribution on ${support.join(',')} has variance ${variance}.`,
    );
  return p;
}

/** Bisection bracket for a and b: far beyond what variances in (0, D²/2] need. */
const BOUND = 100;
