/**
 * Local Getis–Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) on values per region, such as rates: the share of the
 * total that falls in a region and its neighbours. A high Gi* z marks a hot spot (high values together), a low
 * one a cold spot. The statistic and its analytical expectation, variance and z follow esda's
 * `G_Local(y, w, transform, star=True)` exactly (self-weight 1 before the transform), so results can be checked
 * against PySAL; significance comes from conditional permutations (`permutation.ts`), as in esda.
 */
import { MosyError } from '../errors.js';
import { conditionalPermutationP } from './permutation.js';
import type { PermutationOptions } from './permutation.js';
import { starWeights, transformWeights, valuesInOrder } from './weights.js';
import type { SpatialWeights, WeightsTransform } from './weights.js';

export interface GetisOrdOptions extends PermutationOptions {
  /** Weights after adding the self-weight: row-standardised (esda's default "R") or binary. @defaultValue 'row' */
  readonly transform?: WeightsTransform;
}

/** Gi* of one region. */
export interface LocalGStar {
  readonly id: string;
  /** The statistic (esda `Gs`). */
  readonly g: number;
  /** Its expectation under randomisation (`EGs`). */
  readonly expected: number;
  /** Its variance under randomisation (`VGs`). */
  readonly variance: number;
  /** (g − expected) / √variance (`Zs`): positive for a hot spot, negative for a cold one. */
  readonly z: number;
  /** Two-sided conditional permutation pseudo p-value. */
  readonly pValue: number;
}

/** Local Gi* of every region of `weights` (binary contiguity, no self-weights), values by region id. */
export function localGetisOrdStar(
  values: Readonly<Record<string, number>>,
  weights: SpatialWeights,
  options: GetisOrdOptions,
): LocalGStar[] {
  const y = valuesInOrder(weights, values);
  const n = y.length;
  if (n < 3) throw new MosyError('invalid-request', 'Gi* needs at least three regions.');
  if (y.some((v) => v < 0))
    throw new MosyError('invalid-request', 'Gi* needs values of at least 0, such as rates.');
  const sum = y.reduce((a, b) => a + b, 0);
  const mean = sum / n;
  const variance = y.reduce((a, v) => a + v * v, 0) / n - mean * mean;
  if (!(variance > 0)) throw new MosyError('invalid-request', 'Gi* needs values that are not all equal.');
  // Each row starts with the region itself (starWeights puts it first; transforms keep the order).
  const w = transformWeights(starWeights(weights), options.transform ?? 'row');
  return w.ids.map((id, i) => {
    const row = w.weights[i] ?? [];
    const cells = w.neighbours[i] ?? [];
    const lag = row.reduce((a, wij, k) => a + wij * (y[cells[k] ?? 0] ?? 0), 0);
    const g = lag / sum;
    const cardinality = row.reduce((a, b) => a + b, 0);
    const expected = cardinality / n;
    const gVariance = ((cardinality * (n - cardinality)) / (n - 1) / n ** 2) * (variance / mean ** 2);
    const selfTerm = (row[0] ?? 0) * (y[i] ?? 0);
    const pValue = conditionalPermutationP(i, y, row.slice(1), g, (l) => (selfTerm + l) / sum, options);
    return { id, g, expected, variance: gVariance, z: (g - expected) / Math.sqrt(gVariance), pValue };
  });
}
