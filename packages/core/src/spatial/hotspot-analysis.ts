/**
 * One call for a map's hot-spot layer: Gi* and local Moran's I of the same values over the same weights, each
 * with seeded conditional permutations and Benjamini–Hochberg control at false-discovery rate q, joined per
 * region. The seed fixes the permutations, so the same request always draws the same map; Gi* and Moran draw from
 * two streams derived from it.
 */
import { MosyError } from '../errors.js';
import { classifyHotspots, classifyMoranClusters } from './clusters.js';
import type { HotspotKind } from './clusters.js';
import { DEFAULT_FDR } from './false-discovery.js';
import { localGetisOrdStar } from './getis-ord.js';
import { localMoran } from './local-moran.js';
import type { MoranQuadrant } from './local-moran.js';
import { DEFAULT_PERMUTATIONS } from './permutation.js';
import { seededRandom } from './random.js';
import type { SpatialWeights } from './weights.js';

export interface HotspotAnalysisOptions {
  /** Seeds the permutations. @defaultValue 1 */
  readonly seed?: number;
  /** @defaultValue 999 */
  readonly permutations?: number;
  /** False-discovery rate. @defaultValue 0.05 */
  readonly q?: number;
}

/** A region's Gi* and local Moran's I with their pseudo p-values, BH q-values and classes. */
export interface RegionHotspot {
  readonly id: string;
  readonly value: number;
  readonly gi: {
    readonly z: number;
    readonly p: number;
    readonly q: number;
    readonly kind: HotspotKind;
  };
  readonly moran: {
    readonly i: number;
    /** (I − E[I]) / √Var[I] under total randomisation. */
    readonly z: number;
    readonly p: number;
    readonly q: number;
    /** Where the region and its neighbours fall against the mean, significant or not. */
    readonly quadrant: MoranQuadrant;
    /** The quadrant where significant at the chosen q, else `none`. */
    readonly kind: MoranQuadrant | 'none';
  };
}

/** Gi* and local Moran's I of `values` (by region id, every region of `weights`), classified at FDR q. */
export function analyseHotspots(
  values: Readonly<Record<string, number>>,
  weights: SpatialWeights,
  options: HotspotAnalysisOptions = {},
): RegionHotspot[] {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new MosyError('invalid-request', `seed must be a whole number of at least 0, got ${seed}.`);
  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
  const q = options.q ?? DEFAULT_FDR;
  const gi = localGetisOrdStar(values, weights, { permutations, random: seededRandom(seed) });
  // A second stream, far from the first in mulberry32's sequence of states.
  const moran = localMoran(values, weights, { permutations, random: seededRandom(seed ^ 0x5bd1e995) });
  const hot = classifyHotspots(gi, q);
  const clusters = classifyMoranClusters(moran, q);
  return weights.ids.map((id, k) => {
    const g = gi[k];
    const m = moran[k];
    const h = hot[k];
    const c = clusters[k];
    if (g === undefined || m === undefined || h === undefined || c === undefined)
      throw new MosyError('internal', `No statistic for region "${id}".`);
    return {
      id,
      value: values[id] ?? 0,
      gi: { z: g.z, p: g.pValue, q: h.qValue, kind: h.kind },
      moran: {
        i: m.i,
        z: (m.i - m.expected) / Math.sqrt(m.variance),
        p: m.pValue,
        q: c.qValue,
        quadrant: m.quadrant,
        kind: c.kind,
      },
    };
  });
}
