/**
 * Local Moran's I (Anselin 1995) on values per region: whether a region resembles its neighbours (high among high,
 * low among low) or stands out from them (high among low, low among high). Values are standardised with the
 * population standard deviation and I_i = (n − 1) z_i Σ_j w_ij z_j / Σ z², with the expectation and variance under
 * total randomisation (Sokal et al. 1998, A3 and A4*) and under conditional randomisation (A7 and A8), all as
 * esda's `Moran_Local` computes them; significance comes from conditional permutations (`permutation.ts`).
 */
import { MosyError } from '../errors.js';
import { conditionalPermutationP } from './permutation.js';
import type { PermutationOptions } from './permutation.js';
import { transformWeights, valuesInOrder } from './weights.js';
import type { SpatialWeights, WeightsTransform } from './weights.js';

/** High-High, Low-Low (clusters), High-Low, Low-High (outliers): the region's value, then its neighbours'. */
export type MoranQuadrant = 'HH' | 'LL' | 'HL' | 'LH';

export interface LocalMoranOptions extends PermutationOptions {
  /** Row-standardised (esda's default "r") or binary weights. @defaultValue 'row' */
  readonly transform?: WeightsTransform;
}

/** Local Moran's I of one region. */
export interface LocalMoran {
  readonly id: string;
  /** The statistic (esda `Is`). */
  readonly i: number;
  /** Expectation and variance under total randomisation (esda `EI`, `VI`). */
  readonly expected: number;
  readonly variance: number;
  /** Expectation and variance under conditional randomisation (esda `EIc`, `VIc`). */
  readonly conditionalExpected: number;
  readonly conditionalVariance: number;
  /** Where the region and its spatial lag fall against the mean (esda `q`: 1 HH, 2 LH, 3 LL, 4 HL). */
  readonly quadrant: MoranQuadrant;
  /** Two-sided conditional permutation pseudo p-value. */
  readonly pValue: number;
}

function quadrantOf(z: number, lag: number): MoranQuadrant {
  // As esda: a value exactly at the mean counts as low.
  if (z > 0) return lag > 0 ? 'HH' : 'HL';
  return lag > 0 ? 'LH' : 'LL';
}

/** Local Moran's I of every region of `weights` (no self-weights), values by region id. */
export function localMoran(
  values: Readonly<Record<string, number>>,
  weights: SpatialWeights,
  options: LocalMoranOptions,
): LocalMoran[] {
  const y = valuesInOrder(weights, values);
  const n = y.length;
  if (n < 4) throw new MosyError('invalid-request', "Local Moran's I needs at least four regions.");
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(y.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  if (!(sd > 0))
    throw new MosyError('invalid-request', "Local Moran's I needs values that are not all equal.");
  const z = y.map((v) => (v - mean) / sd);
  const den = z.reduce((a, v) => a + v * v, 0);
  const m2 = den / n;
  const b2 = z.reduce((a, v) => a + v ** 4, 0) / n / m2 ** 2;
  const w = transformWeights(weights, options.transform ?? 'row');
  return w.ids.map((id, i) => {
    const row = w.weights[i] ?? [];
    const cells = w.neighbours[i] ?? [];
    const zi = z[i] ?? 0;
    const lag = row.reduce((a, wij, k) => a + wij * (z[cells[k] ?? 0] ?? 0), 0);
    const scale = ((n - 1) * zi) / den;
    const wi = row.reduce((a, b) => a + b, 0);
    const wi2 = row.reduce((a, b) => a + b * b, 0);
    const n1 = n - 1;
    return {
      id,
      i: scale * lag,
      expected: -wi / n1,
      variance: (wi2 * (n - b2)) / n1 + ((wi * wi - wi2) * (2 * b2 - n)) / (n1 * (n - 2)) - (wi / n1) ** 2,
      conditionalExpected: -(zi * zi * wi) / (n1 * m2),
      conditionalVariance: (zi / m2) ** 2 * (n / (n - 2)) * (wi2 - (wi * wi) / n1) * (m2 - (zi * zi) / n1),
      quadrant: quadrantOf(zi, lag),
      pValue: conditionalPermutationP(i, z, row, scale * lag, (l) => scale * l, options),
    };
  });
}
