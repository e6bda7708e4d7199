/**
 * The map's geometry for one NUTS level: the regions (GeoJSON features keyed by `id`, named in `na`), the places
 * flows start and end at, and the grey world behind, loaded through the typed client from `/v1/geo` in whichever
 * boundary set the deployment has (NUTS 2024, or world-atlas countries as the fallback). Files are asked for under
 * their versioned URL (`v=<etag>`), so the browser keeps them; each is parsed once per page load.
 */
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry, Point as GeoPoint } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';
import { labelPoint, reportCountryCode, type LonLat } from './places.js';

export type GeoManifest = Schema<'GeoManifest'>;
type FileName = GeoManifest['files'][number]['name'];

export interface RegionProperties {
  readonly id: string;
  readonly na: string;
}
export type RegionFeature = Feature<Geometry, RegionProperties>;

export interface MapGeometry {
  readonly source: GeoManifest['source'];
  readonly level: number;
  readonly regions: readonly RegionFeature[];
  /** Countries outside the NUTS layer (the grey world), keyed as reports key countries. */
  readonly background: readonly RegionFeature[];
  /** Label points of the level's regions. */
  readonly points: ReadonlyMap<string, LonLat>;
  /** Label points of countries, by report code (`PT`, `EL`, `NG`, `GB`): where citizenship flows start. */
  readonly countries: ReadonlyMap<string, LonLat>;
}

const files = new Map<string, Promise<unknown>>();

function loadFile(manifest: GeoManifest, name: FileName): Promise<unknown> {
  const etag = manifest.files.find((f) => f.name === name)?.etag;
  const key = `${name}@${etag ?? ''}`;
  let loaded = files.get(key);
  if (loaded === undefined) {
    loaded = client
      .GET('/v1/geo/{file}', {
        params: { path: { file: name }, query: etag === undefined ? {} : { v: etag } },
      })
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        return data;
      });
    loaded.catch(() => files.delete(key));
    files.set(key, loaded);
  }
  return loaded;
}

export async function loadManifest(): Promise<GeoManifest> {
  const { data, error, response } = await client.GET('/v1/geo');
  if (data === undefined) throw failure(response, error);
  return data;
}

async function features(manifest: GeoManifest, file: FileName, object: string): Promise<RegionFeature[]> {
  const topology = (await loadFile(manifest, file)) as Topology;
  const collection = feature(topology, topology.objects[object] as GeometryCollection<RegionProperties>);
  return collection.features;
}

async function points(manifest: GeoManifest, file: FileName): Promise<Map<string, LonLat>> {
  const collection = (await loadFile(manifest, file)) as FeatureCollection<GeoPoint, { id: string }>;
  return new Map(
    collection.features.map((f) => [
      f.properties.id,
      [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!],
    ]),
  );
}

const pointsOf = (regions: readonly RegionFeature[]): Map<string, LonLat> => {
  const out = new Map<string, LonLat>();
  for (const r of regions) {
    const point = labelPoint(r);
    if (point !== undefined && r.properties.id !== '') out.set(r.properties.id, point);
  }
  return out;
};

/** The levels the deployment's boundary set has. */
export const levelsOf = (manifest: GeoManifest): number[] => manifest.levels.map((l) => l.level);

export async function loadGeometry(manifest: GeoManifest, level: number): Promise<MapGeometry> {
  const layer = manifest.levels.find((l) => l.level === level) ?? manifest.levels[0];
  const countryLayer = manifest.levels.find((l) => l.level === 0);
  if (layer === undefined || countryLayer === undefined) throw new Error('The map has no boundary files.');
  const [regions, background, levelPoints, countryPoints] = await Promise.all([
    features(manifest, layer.regions.file, layer.regions.object),
    manifest.background === undefined
      ? Promise.resolve([])
      : features(manifest, manifest.background.file, manifest.background.object),
    layer.points === undefined ? Promise.resolve(undefined) : points(manifest, layer.points),
    countryLayer.points === undefined ? Promise.resolve(undefined) : points(manifest, countryLayer.points),
  ]);
  // The background's ids are GISCO country codes (`UK`); the NUTS layer already draws the NUTS countries.
  const countryRegions =
    layer.level === 0
      ? regions
      : await features(manifest, countryLayer.regions.file, countryLayer.regions.object);
  const nuts = new Set(countryRegions.map((r) => r.properties.id));
  const world = background
    .map((f) => ({ ...f, properties: { ...f.properties, id: reportCountryCode(f.properties.id) } }))
    .filter((f) => !nuts.has(f.properties.id));
  const countries = new Map([...pointsOf(world), ...(countryPoints ?? pointsOf(countryRegions))]);
  return {
    source: manifest.source,
    level: layer.level,
    regions,
    background: world,
    points: levelPoints ?? pointsOf(regions),
    countries,
  };
}
