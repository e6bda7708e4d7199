/**
 * What a map shows: hot and cold spots from Gi* and clusters and outliers from local Moran's I, each kept only
 * where its permutation p-value survives Benjamini–Hochberg at the chosen false-discovery rate.
 */
import { DEFAULT_FDR, benjaminiHochberg, significantAtFdr } from './false-discovery.js';
import type { LocalGStar } from './getis-ord.js';
import type { LocalMoran, MoranQuadrant } from './local-moran.js';

/** A significant high-value cluster (`hot`), low-value cluster (`cold`), or neither. */
export type HotspotKind = 'hot' | 'cold' | 'none';

export interface Hotspot {
  readonly id: string;
  readonly kind: HotspotKind;
  /** The BH-adjusted p-value: the smallest q at which the region is a discovery. */
  readonly qValue: number;
}

export interface MoranCluster {
  readonly id: string;
  /** The quadrant where significant at the chosen q, else `none`. */
  readonly kind: MoranQuadrant | 'none';
  readonly qValue: number;
}

/** Hot spots (z > 0) and cold spots (z < 0) among the Gi* results significant at false-discovery rate `q`. */
export function classifyHotspots(results: readonly LocalGStar[], q = DEFAULT_FDR): Hotspot[] {
  const pValues = results.map((r) => r.pValue);
  const adjusted = benjaminiHochberg(pValues);
  const significant = significantAtFdr(pValues, q);
  return results.map((r, k) => {
    const qValue = adjusted[k] ?? 1;
    const kind: HotspotKind = significant[k] !== true || r.z === 0 ? 'none' : r.z > 0 ? 'hot' : 'cold';
    return { id: r.id, kind, qValue };
  });
}

/** The Moran quadrant of the local Moran results significant at false-discovery rate `q`. */
export function classifyMoranClusters(results: readonly LocalMoran[], q = DEFAULT_FDR): MoranCluster[] {
  const pValues = results.map((r) => r.pValue);
  const adjusted = benjaminiHochberg(pValues);
  const significant = significantAtFdr(pValues, q);
  return results.map((r, k) => ({
    id: r.id,
    kind: significant[k] === true ? r.quadrant : 'none',
    qValue: adjusted[k] ?? 1,
  }));
}
