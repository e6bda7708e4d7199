/**
 * Test support (not built): reads Eurostat's NUTS 2024 TopoJSON and label points from the shared geo folder —
 * `MOSY_GEO_DIR`, else `../shared/geo` next to the repository, as the standalone runtime finds it — so tests run on
 * the real borders without copying them into the repository. A missing folder fails the test with what to do.
 */
// eslint-disable-next-line no-restricted-imports -- tests read the shared NUTS files; core itself does no I/O
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Position, Topology } from '../topojson.js';

/** The repository root, from this file's place in it (packages/core/src/spatial/test-support). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');

export type NutsLevel = 0 | 1 | 2 | 3;

/** The NUTS 2024 folder: `$MOSY_GEO_DIR/nuts/2024`, by default `../shared/geo/nuts/2024` next to the repository. */
export function nutsDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(resolve(env.MOSY_GEO_DIR ?? join(REPO_ROOT, '..', 'shared', 'geo')), 'nuts', '2024');
  if (!existsSync(dir)) {
    throw new Error(
      `NUTS 2024 geometries not found in ${dir}: put Eurostat's nutsrg_*.topojson and nutspt_*.geojson there ` +
        '(../shared/geo/nuts/2024 next to the repository) or set MOSY_GEO_DIR to the folder holding nuts/2024.',
    );
  }
  return dir;
}

/** The NUTS regions of one level as a topology (object `nutsrg`, region id in `properties.id`). */
export const readNutsTopology = (level: NutsLevel): Topology =>
  JSON.parse(readFileSync(join(nutsDir(), `nutsrg_${level}.topojson`), 'utf8')) as Topology;

/** Eurostat's label point (longitude, latitude) of each region of one level. */
export function readNutsLabelPoints(level: NutsLevel): Record<string, Position> {
  const collection = JSON.parse(readFileSync(join(nutsDir(), `nutspt_${level}.geojson`), 'utf8')) as {
    features: { properties: { id: string }; geometry: { coordinates: Position } }[];
  };
  return Object.fromEntries(collection.features.map((f) => [f.properties.id, f.geometry.coordinates]));
}

/** The ids of a topology's regions in the given countries (NUTS country codes such as PT, ES), in file order. */
export function nutsIdsOf(topology: Topology, countries: readonly string[]): string[] {
  return (topology.objects.nutsrg?.geometries ?? []).flatMap((g) => {
    const id = g.properties?.id;
    return typeof id === 'string' && countries.includes(id.slice(0, 2)) ? [id] : [];
  });
}
