/**
 * Spearman's rank correlation between two series over the same regions (regional rates against a regional
 * indicator such as unemployment): Pearson's correlation of the ranks, ties given their average rank, as scipy's
 * `spearmanr`. A 95 % interval comes from Fisher's z with the standard error √(1.06 / (n − 3)) of Fieller,
 * Hartley and Pearson (1957), so it needs at least four regions. It describes places, not persons.
 */
import { MosyError } from '../errors.js';
import { Z_95 } from './rate-ratio.js';

export interface RankCorrelation {
  /** Spearman's rho, in [−1, 1]. */
  readonly rho: number;
  readonly n: number;
  /** 95 % interval, absent for fewer than four regions or |rho| = 1. */
  readonly lower?: number;
  readonly upper?: number;
}

/** Ranks 1..n, ties sharing their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.v === order[start]?.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]?.i ?? 0] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = (x[k] ?? 0) - mx;
    const dy = (y[k] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's rho of paired values, or undefined when either series is constant (no ranking to correlate).
 * @throws MosyError for series of different lengths or fewer than three pairs.
 */
export function spearman(x: readonly number[], y: readonly number[]): RankCorrelation | undefined {
  if (x.length !== y.length)
    throw new MosyError('invalid-request', 'A rank correlation needs two series of the same length.');
  const n = x.length;
  if (n < 3) throw new MosyError('invalid-request', 'A rank correlation needs at least three regions.');
  const rho = pearson(averageRanks(x), averageRanks(y));
  if (!Number.isFinite(rho)) return undefined;
  if (n < 4 || Math.abs(rho) >= 1) return { rho, n };
  const z = Math.atanh(rho);
  const half = Z_95 * Math.sqrt(1.06 / (n - 3));
  return { rho, n, lower: Math.tanh(z - half), upper: Math.tanh(z + half) };
}
