/**
 * Benjamini–Hochberg control of the false-discovery rate over the many local tests of a map: among the regions
 * declared significant, the expected share of false discoveries stays at most q (for independent or positively
 * dependent tests, which neighbouring local statistics are taken to be). Adjusted p-values ("q-values") let a map
 * be redrawn at another q without recomputing.
 */
import { MosyError } from '../errors.js';

export const DEFAULT_FDR = 0.05;

/** BH-adjusted p-values, in the input order: min over j ≥ rank of p_(j) · m / j, at most 1 (scipy's `false_discovery_control`). */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  if (pValues.some((p) => !(p >= 0 && p <= 1))) {
    throw new MosyError('invalid-request', 'p-values must lie between 0 and 1.');
  }
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = order[rank - 1];
    if (entry === undefined) continue;
    running = Math.min(running, (entry.p * m) / rank);
    adjusted[entry.i] = running;
  }
  return adjusted;
}

/** Which tests are discoveries at false-discovery rate `q`. */
export function significantAtFdr(pValues: readonly number[], q = DEFAULT_FDR): boolean[] {
  if (!(q > 0 && q < 1)) throw new MosyError('invalid-request', `q must lie between 0 and 1, got ${q}.`);
  return benjaminiHochberg(pValues).map((adjusted) => adjusted <= q);
}
