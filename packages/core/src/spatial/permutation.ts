/**
 * Conditional permutation inference for local statistics (Anselin 1995): the focal region keeps its value and its
 * neighbours' values are redrawn, without replacement, from the other n − 1 regions, many times; the pseudo
 * p-value says how often a redrawn statistic is as extreme as the observed one. It is two-sided:
 * min(1, 2 · (min(#sim ≥ obs, #sim ≤ obs) + 1) / (permutations + 1)). esda's `p_sim` is the one-sided value in the
 * direction of the observation (without the doubling), which under no spatial pattern falls below α about 2α of
 * the time; doubling it keeps a false-discovery rate control at the level it is asked for.
 */
import { MosyError } from '../errors.js';
import type { RandomSource } from './random.js';

/** Options shared by the local statistics. */
export interface PermutationOptions {
  /** The seeded source the permutations draw from (see `seededRandom`). */
  readonly random: RandomSource;
  /** How many conditional permutations per region. @defaultValue 999 */
  readonly permutations?: number;
}

export const DEFAULT_PERMUTATIONS = 999;

/** The number of permutations asked for, checked. */
export function permutationCount(options: PermutationOptions): number {
  const count = options.permutations ?? DEFAULT_PERMUTATIONS;
  if (!Number.isInteger(count) || count < 1) {
    throw new MosyError(
      'invalid-request',
      `permutations must be a whole number of at least 1, got ${count}.`,
    );
  }
  return count;
}

/**
 * The two-sided pseudo p-value of region `focal`: `statistic(lag)` turns a weighted sum of redrawn neighbour
 * values (`neighbourWeights` applied to values drawn from every region but `focal`) into the statistic.
 */
export function conditionalPermutationP(
  focal: number,
  values: readonly number[],
  neighbourWeights: readonly number[],
  observed: number,
  statistic: (lag: number) => number,
  options: PermutationOptions,
): number {
  const permutations = permutationCount(options);
  const pool = values.flatMap((_, j) => (j === focal ? [] : [j]));
  const k = neighbourWeights.length;
  // Sums taken in another order than the observed one differ in the last bits; such values count as ties.
  const tolerance = 1e-12 * Math.max(1, Math.abs(observed));
  let above = 0;
  let below = 0;
  for (let p = 0; p < permutations; p++) {
    let lag = 0;
    // A partial Fisher–Yates shuffle draws k distinct other regions.
    for (let d = 0; d < k; d++) {
      const r = d + Math.floor(options.random() * (pool.length - d));
      const drawn = pool[r] ?? 0;
      pool[r] = pool[d] ?? 0;
      pool[d] = drawn;
      lag += (neighbourWeights[d] ?? 0) * (values[drawn] ?? 0);
    }
    const simulated = statistic(lag);
    if (simulated >= observed - tolerance) above++;
    if (simulated <= observed + tolerance) below++;
  }
  return Math.min(1, (2 * (Math.min(above, below) + 1)) / (permutations + 1));
}
