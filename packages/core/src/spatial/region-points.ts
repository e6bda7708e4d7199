/**
 * A point for each region and the distance between two of them, used to join islands (regions that share no
 * border within the chosen set) to their nearest regions. The point is the area-weighted centroid of the region's
 * polygons, computed in the plane of its coordinates (holes subtracted); callers may pass label points instead
 * (e.g. Eurostat's `nutspt_*` files), which stay inside the region where a centroid may not.
 */
import type { Position } from './topojson.js';
import { decodeArcs, polygonsOf, ringCoordinates } from './topojson.js';
import type { TopoGeometry, Topology } from './topojson.js';

/** How distances between region points are measured: on the sphere for longitude/latitude, else in the plane. */
export type DistanceKind = 'great-circle' | 'planar';

const EARTH_RADIUS_KM = 6371.0088;

/** Distance between two points: kilometres on the sphere (lon/lat in degrees), or coordinate units in the plane. */
export function pointDistance(a: Position, b: Position, kind: DistanceKind): number {
  if (kind === 'planar') return Math.hypot(a[0] - b[0], a[1] - b[1]);
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Signed area and the area-weighted centre of a closed ring (shoelace formula). */
function ringMoments(ring: readonly Position[]): { area: number; cx: number; cy: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let k = 0; k < ring.length; k++) {
    const [x0, y0] = ring[k] ?? [0, 0];
    const [x1, y1] = ring[(k + 1) % ring.length] ?? [0, 0];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  area /= 2;
  return area === 0 ? { area, cx: 0, cy: 0 } : { area, cx: cx / (6 * area), cy: cy / (6 * area) };
}

/** Area-weighted centroids of geometries, undefined for a geometry without polygons or area. */
export function centroidsOf(
  topology: Topology,
  geometries: readonly TopoGeometry[],
): (Position | undefined)[] {
  const arcs = decodeArcs(topology);
  return geometries.map((geometry) => {
    let total = 0;
    let mx = 0;
    let my = 0;
    for (const polygon of polygonsOf(geometry)) {
      polygon.forEach((ring, r) => {
        const { area, cx, cy } = ringMoments(ringCoordinates(ring, arcs));
        // Winding conventions differ between producers: the exterior ring adds its area, holes take theirs away.
        const weight = r === 0 ? Math.abs(area) : -Math.abs(area);
        total += weight;
        mx += cx * weight;
        my += cy * weight;
      });
    }
    return total > 0 ? ([mx / total, my / total] as const) : undefined;
  });
}
