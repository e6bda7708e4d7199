/**
 * The map itself: an SVG drawn with d3-geo from the loaded geometry (no tiles, nothing from another origin) in an
 * equal-area projection centred on Europe. Regions are coloured by class (CSS, `data-class`), withheld ones filled
 * with a hatch pattern; each region with a count can be selected by click or by keyboard (Enter or Space). In the
 * flow view the regions are dimmed and the flows drawn over them, framed to include every origin. Overlays (see
 * `overlays.ts`) draw last, with the same projection. When a drawing is on screen it is marked for the budgets
 * script (`performance.mark('mosy:map-drawn')`).
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { geoAzimuthalEqualArea, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPoint } from 'geojson';
import { useI18n } from '../i18n/index.js';
import { cellValue } from '../cells.js';
import { classOf } from './class-breaks.js';
import type { Count, Flow } from './data.js';
import { layoutFlows, type Point } from './flow-layout.js';
import type { MapGeometry } from './geometry.js';
import type { MapDrawContext } from './overlays.js';
import { countryOfIso, type LonLat } from './places.js';

export const WIDTH = 960;
export const HEIGHT = 680;
const MARGIN = 12;

/** Mainland Europe and its neighbours (lon −25…45, lat 34…72), as points along the box's edges. */
const EUROPE: LonLat[] = [];
for (let lon = -25; lon <= 45; lon += 5) EUROPE.push([lon, 34], [lon, 72]);
for (let lat = 34; lat <= 72; lat += 2) EUROPE.push([-25, lat], [45, lat]);

export interface MapViewProps {
  readonly geometry: MapGeometry;
  readonly counts: ReadonlyMap<string, Count>;
  readonly bounds: readonly number[];
  readonly label: string;
  readonly names: (code: string) => string;
  readonly format: (value: number | null) => string;
  /** Drawn over dimmed regions when given (the flow view). */
  readonly flows?: readonly Flow[];
  readonly selected?: string;
  /** Frame the regions with a count instead of mainland Europe. */
  readonly zoom?: boolean;
  readonly onSelect: (code: string) => void;
  /** Identifies what is drawn; set as `data-drawn` once it is on screen. */
  readonly drawnKey: string;
  readonly overlays?: (draw: MapDrawContext) => ComponentChildren;
}

export function MapView(props: MapViewProps) {
  const { geometry, counts, bounds, flows, selected, onSelect, names, format, zoom = false } = props;
  const { t } = useI18n();
  const svg = useRef<SVGSVGElement>(null);

  // Where flows start and end: a region's label point at this level, else a country's.
  const locate = useMemo(
    () =>
      (code: string): LonLat | undefined =>
        geometry.points.get(code) ??
        geometry.countries.get(code) ??
        geometry.countries.get(countryOfIso(code)),
    [geometry],
  );

  const projection = useMemo(() => {
    // Zoomed: the regions of the level with a count (withheld ones included; countries far away on the world
    // layer are not framed); else mainland Europe.
    const counted = zoom
      ? geometry.regions.filter((f) => {
          const count = counts.get(f.properties.id);
          return count !== undefined && count.value !== 0;
        })
      : [];
    const frame: LonLat[] = counted.length === 0 ? [...EUROPE] : [];
    for (const f of flows ?? []) {
      if (f.value === 0) continue;
      const [a, b] = [locate(f.origin), locate(f.destination)];
      if (a !== undefined && b !== undefined) frame.push(a, b);
    }
    const points: Feature<MultiPoint> = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'MultiPoint', coordinates: frame.map(([x, y]) => [x, y]) },
    };
    const target: FeatureCollection = { type: 'FeatureCollection', features: [...counted, points] };
    return geoAzimuthalEqualArea()
      .rotate([-10, -52])
      .fitExtent(
        [
          [MARGIN, MARGIN],
          [WIDTH - MARGIN, HEIGHT - MARGIN],
        ],
        target,
      );
  }, [flows, locate, zoom, counts, geometry]);
  const path = useMemo(() => geoPath(projection), [projection]);

  const shapes = useMemo(
    () => ({
      regions: geometry.regions.map((f) => ({ id: f.properties.id, d: path(f) ?? '' })),
      world: geometry.background.map((f) => ({ id: f.properties.id, d: path(f) ?? '' })),
    }),
    [geometry, path],
  );

  const lines = useMemo(() => {
    if (flows === undefined) return undefined;
    return layoutFlows(flows, (code) => {
      const at = locate(code);
      const xy = at === undefined ? null : projection([at[0], at[1]]);
      return xy === null ? undefined : ([xy[0], xy[1]] as Point);
    }).lines;
  }, [flows, locate, projection]);

  useEffect(() => {
    const el = svg.current;
    if (el === null) return;
    // After the browser has painted this drawing.
    const frame = requestAnimationFrame(() => {
      el.dataset.drawn = props.drawnKey;
      performance.mark('mosy:map-drawn');
    });
    return () => cancelAnimationFrame(frame);
  }, [props.drawnKey, shapes, lines]);

  const region = (layer: 'region' | 'world', id: string, d: string) => {
    const count = counts.get(id);
    if (d === '' || (layer === 'world' && count === undefined)) return null;
    // A withheld count (null) stays withheld: never `?? 0` here.
    const cls = classOf(count === undefined ? undefined : count.value, bounds);
    const text = `${names(id)}: ${count === undefined ? format(0) : format(count.value)}`;
    const select = () => onSelect(id);
    return (
      <path
        key={`${layer}-${id}`}
        class={`region${id === selected ? ' selected' : ''}`}
        d={d}
        data-region={id}
        data-class={cls}
        {...(count === undefined
          ? {}
          : {
              'data-cell': count.cell,
              'data-value': cellValue(count.value),
              tabindex: 0,
              role: 'button',
              'aria-label': text,
              'aria-pressed': id === selected,
            })}
        onClick={select}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            select();
          }
        }}
      >
        <title>{text}</title>
      </path>
    );
  };

  return (
    <svg
      ref={svg}
      class={`map${flows === undefined ? '' : ' flows'}`}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="group"
      aria-label={props.label}
    >
      <defs>
        <pattern
          id="map-withheld"
          patternUnits="userSpaceOnUse"
          width="6"
          height="6"
          patternTransform="rotate(45)"
        >
          <rect width="6" height="6" class="hatch-ground" />
          <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" />
        </pattern>
      </defs>
      <rect class="sea" width={WIDTH} height={HEIGHT} />
      <g class="world">
        {shapes.world.map(({ id, d }) =>
          counts.has(id) ? region('world', id, d) : <path key={`w-${id}`} class="land" d={d} />,
        )}
      </g>
      <g class="regions">{shapes.regions.map(({ id, d }) => region('region', id, d))}</g>
      {lines === undefined ? null : (
        <g class="flow-lines">
          {lines.map((l) => (
            <path
              key={`${l.origin}>${l.destination}`}
              class={`flow${l.value === null ? ' withheld' : ''}`}
              d={l.d}
              stroke-width={l.width}
              data-flow={`${l.origin}>${l.destination}`}
              data-cell={l.cell}
              data-value={cellValue(l.value)}
            >
              <title>{`${names(l.origin)} → ${names(l.destination)}: ${format(l.value)}`}</title>
            </path>
          ))}
          {[...new Set(lines.map((l) => l.origin))].map((origin) => {
            const at = lines.find((l) => l.origin === origin)!.from;
            return (
              <g key={`o-${origin}`} class="origin">
                <circle cx={at[0]} cy={at[1]} r={3} />
                <text x={at[0] + 5} y={at[1] - 5}>
                  {origin}
                </text>
              </g>
            );
          })}
        </g>
      )}
      {props.overlays?.({ geometry, projection, path, width: WIDTH, height: HEIGHT })}
      <text class="unit-note" x={WIDTH - MARGIN} y={HEIGHT - MARGIN} text-anchor="end">
        {geometry.source === 'nuts-2024' ? '© EuroGeographics' : 'Natural Earth'}
      </text>
      <desc>{t.map.selectHint}</desc>
    </svg>
  );
}
