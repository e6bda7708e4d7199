/**
 * Where things are on the map: a label point for a region without one in the data (the centroid of its largest
 * part, so France's point is in Europe, not between it and Guyane), and the codes countries go by in the
 * different sources: reports use ISO 3166-1 alpha-2 with NUTS's `EL` for Greece; citizenship and country of
 * recruitment are plain ISO (`GR`); GISCO's world layer writes `UK` for the United Kingdom.
 */
import { geoArea, geoCentroid } from 'd3-geo';
import type { Feature, Polygon } from 'geojson';

export type LonLat = readonly [number, number];

/** The centroid of the feature's largest polygon, or undefined for a feature with no area. */
export function labelPoint(f: Feature): LonLat | undefined {
  const g = f.geometry;
  const polygons: Polygon[] =
    g?.type === 'Polygon'
      ? [g]
      : g?.type === 'MultiPolygon'
        ? g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }))
        : [];
  let best: Polygon | undefined;
  let bestArea = 0;
  for (const p of polygons) {
    const area = geoArea(p);
    if (area > bestArea) [best, bestArea] = [p, area];
  }
  return best === undefined ? undefined : geoCentroid(best);
}

/** A GISCO country id as reports write it: `UK` is `GB` outside NUTS. */
export const reportCountryCode = (gisco: string): string => (gisco === 'UK' ? 'GB' : gisco);

/** An ISO country code (citizenship, country of recruitment) as reports write countries: `GR` is `EL`. */
export const countryOfIso = (iso: string): string => (iso === 'GR' ? 'EL' : iso);
