/**
 * The geometries and region typologies the spatial analysis reads from the geo data folder (`MOSY_GEO_DIR`,
 * Eurostat GISCO NUTS 2024 files): the TopoJSON of NUTS levels 0, 2 and 3 and of the world's countries, and the
 * typologies `urbn_type`, `coast_type`, `mount_type` of `nuts_regions_2024.csv`. Read at run time, on first use,
 * and kept; never copied into the repository (their licence forbids it). Without the folder the spatial routes
 * answer 400 with what to configure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { MosyError, type Topology } from '@mosy/core';
import { NUTS_REGIONS_FILE } from '../regions.js';

/** The maps: NUTS levels 0, 2, 3, and the world's countries (for citizenship). */
export type MapKind = 'nuts0' | 'nuts2' | 'nuts3' | 'world';

/** GISCO typology codes of a NUTS 3 region; absent where the file leaves them empty. */
export interface Typology {
  readonly urbn_type?: string;
  readonly coast_type?: string;
  readonly mount_type?: string;
}

export interface SpatialGeo {
  /** The topology of a map and the object holding its regions. @throws MosyError without the geo folder */
  topology(kind: MapKind): { readonly topology: Topology; readonly object: string };
  /** Typologies by NUTS code (only regions with at least one). */
  typologies(): ReadonlyMap<string, Typology>;
}

const FILES: Readonly<Record<MapKind, { file: string; object: string }>> = {
  nuts0: { file: 'nutsrg_0.topojson', object: 'nutsrg' },
  nuts2: { file: 'nutsrg_2.topojson', object: 'nutsrg' },
  nuts3: { file: 'nutsrg_3.topojson', object: 'nutsrg' },
  world: { file: 'cntrg_world.topojson', object: 'cntrg' },
};

const missing = (what: string) =>
  new MosyError(
    'invalid-query',
    `The spatial analysis needs ${what} from the geo data folder: set MOSY_GEO_DIR to the folder holding nuts/2024 (Eurostat GISCO NUTS 2024 files).`,
  );

/** Geometries and typologies read lazily from `geoDir` (undefined: none configured). */
export function createSpatialGeo(geoDir: string | undefined): SpatialGeo {
  const topologies = new Map<MapKind, Topology>();
  let typologies: Map<string, Typology> | undefined;
  return {
    topology(kind) {
      const { file, object } = FILES[kind];
      let topology = topologies.get(kind);
      if (topology === undefined) {
        const path = geoDir === undefined ? undefined : join(geoDir, 'nuts', '2024', file);
        if (path === undefined || !existsSync(path)) throw missing(file);
        topology = JSON.parse(readFileSync(path, 'utf8')) as Topology;
        topologies.set(kind, topology);
      }
      return { topology, object };
    },
    typologies() {
      if (typologies === undefined) {
        const path = geoDir === undefined ? undefined : join(geoDir, NUTS_REGIONS_FILE);
        if (path === undefined || !existsSync(path)) throw missing('nuts_regions_2024.csv');
        const rows = parse<Record<string, string>>(readFileSync(path, 'utf8'), { columns: true, bom: true });
        typologies = new Map();
        for (const row of rows) {
          const entry: Record<string, string> = {};
          for (const key of ['urbn_type', 'coast_type', 'mount_type'] as const)
            if (row[key]) entry[key] = row[key];
          if (row.id && Object.keys(entry).length > 0) typologies.set(row.id, entry);
        }
      }
      return typologies;
    },
  };
}
