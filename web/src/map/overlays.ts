/**
 * Where other map layers plug in. A *measure* is what colours the regions: counts (from the geo report) here;
 * rates per 100,000 residents plug in as another measure. An *overlay* draws on top of the regions (a hotspot layer,
 * for instance) with the map's projection, and gets a checkbox in the page's "Layers" group. Add one entry to
 * `MEASURES` or `OVERLAYS`; the page, its legend and its tests need no other change.
 */
import type { FunctionComponent } from 'preact';
import type { GeoPath, GeoProjection } from 'd3-geo';
import type { Messages } from '../i18n/en.js';
import { loadCounts, type MapQuery, type RegionCounts } from './data.js';
import type { MapGeometry } from './geometry.js';
import { HotspotLayer, HotspotLegend } from './Hotspots.js';
import { loadRates } from './spatial.js';

/** What a layer draws with: the geometry on screen, its projection and path generator, the SVG's size. */
export interface MapDrawContext {
  readonly geometry: MapGeometry;
  readonly projection: GeoProjection;
  readonly path: GeoPath;
  readonly width: number;
  readonly height: number;
}

export interface MapMeasure {
  readonly id: string;
  readonly label: (t: Messages) => string;
  /**
   * The value of each region for the query; `null` values are withheld and drawn hatched. Values are written in
   * the locale's number format and classed by `classBreaks`, which keeps fractional bounds for rates.
   */
  readonly load: (query: MapQuery) => Promise<RegionCounts>;
}

export interface OverlayProps {
  readonly draw: MapDrawContext;
  readonly query: MapQuery;
  readonly onError: (error: unknown) => void;
}

export interface MapOverlay {
  readonly id: string;
  readonly label: (t: Messages) => string;
  /** Rendered inside the map's SVG, above the regions and flows. */
  readonly Layer: FunctionComponent<OverlayProps>;
  /** Legend entries for the layer, shown under the map's legend while it is on. */
  readonly Legend?: FunctionComponent<{ readonly query: MapQuery }>;
}

export const MEASURES: readonly MapMeasure[] = [
  { id: 'counts', label: (t) => t.map.measures.counts, load: loadCounts },
  { id: 'rates', label: (t) => t.spatial.rates, load: loadRates },
];

export const OVERLAYS: readonly MapOverlay[] = [
  { id: 'hotspots', label: (t) => t.spatial.layer, Layer: HotspotLayer, Legend: HotspotLegend },
];
