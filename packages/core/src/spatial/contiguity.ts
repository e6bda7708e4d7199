/**
 * Contiguity weights from a TopoJSON topology, by shared arcs ("rook by arc"): two regions are neighbours when
 * their rings use a common arc, that is when they share a stretch of border. Regions that meet at a single point
 * share no arc and are not neighbours, which keeps corner contacts (a quadripoint, two regions meeting at a river
 * mouth) from linking regions that have no border between them. TopoJSON built from a clean planar partition such
 * as Eurostat's NUTS files splits arcs at every junction, so a shared border is always a shared arc.
 *
 * Only the chosen regions take part (`ids`: one country's NUTS 2 regions, or those with values). A region left
 * without a neighbour in that set — an island such as the Açores, or a region whose neighbours were left out — is
 * joined to its k nearest regions (k = 1 by default) by the distance between their points, both ways, so every
 * region has a neighbour and the weights stay symmetric. Island groups may form components of their own.
 */
import { MosyError } from '../errors.js';
import { centroidsOf, pointDistance } from './region-points.js';
import type { DistanceKind } from './region-points.js';
import { arcIndex, polygonsOf } from './topojson.js';
import type { Position, TopoGeometry, Topology } from './topojson.js';
import { indexOfIds } from './weights.js';
import type { SpatialWeights } from './weights.js';

export interface ContiguityOptions {
  /** The topology object holding the regions; by default its only object. */
  readonly object?: string;
  /** The regions to use, in this order; by default every polygon geometry of the object, in its order. */
  readonly ids?: readonly string[];
  /** A geometry's region id; by default `properties.id`, else the geometry's `id`. */
  readonly idOf?: (geometry: TopoGeometry) => string | undefined;
  /** Points to measure island distances between (e.g. label points); by default area-weighted centroids. */
  readonly points?: Readonly<Record<string, Position>>;
  /** How many nearest regions an island is joined to. @defaultValue 1 */
  readonly islandNeighbours?: number;
  /** `great-circle` for longitude/latitude coordinates, `planar` for projected ones. @defaultValue 'great-circle' */
  readonly distance?: DistanceKind;
}

/** Binary contiguity weights, with the regions that had no bordering neighbour and were joined by distance. */
export interface ContiguityWeights extends SpatialWeights {
  readonly islands: readonly string[];
}

const defaultIdOf = (geometry: TopoGeometry): string | undefined => {
  const fromProperties = geometry.properties?.id;
  if (typeof fromProperties === 'string' || typeof fromProperties === 'number') return String(fromProperties);
  return geometry.id === undefined ? undefined : String(geometry.id);
};

function objectOf(topology: Topology, name: string | undefined): readonly TopoGeometry[] {
  const names = Object.keys(topology.objects);
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  const object = chosen === undefined ? undefined : topology.objects[chosen];
  if (object === undefined) {
    throw new MosyError(
      'invalid-request',
      name === undefined
        ? `The topology has ${names.length} objects (${names.join(', ')}); name the one holding the regions.`
        : `The topology has no object "${name}".`,
    );
  }
  return object.geometries;
}

/** Binary rook-by-arc contiguity weights over a topology's regions, islands joined to their nearest regions. */
export function contiguityWeights(topology: Topology, options: ContiguityOptions = {}): ContiguityWeights {
  const idOf = options.idOf ?? defaultIdOf;
  const byId = new Map<string, TopoGeometry>();
  for (const geometry of objectOf(topology, options.object)) {
    const id = idOf(geometry);
    if (id !== undefined && polygonsOf(geometry).length > 0) byId.set(id, geometry);
  }
  const ids = options.ids === undefined ? [...byId.keys()] : [...options.ids];
  indexOfIds(ids);
  const geometries = ids.map((id) => {
    const geometry = byId.get(id);
    if (geometry === undefined)
      throw new MosyError('invalid-request', `The topology has no polygon region "${id}".`);
    return geometry;
  });
  if (ids.length < 2) throw new MosyError('invalid-request', 'Contiguity needs at least two regions.');

  // Which chosen regions use each arc; every pair of them borders along it.
  const users = new Map<number, number[]>();
  geometries.forEach((geometry, i) => {
    for (const polygon of polygonsOf(geometry)) {
      for (const ring of polygon) {
        for (const entry of ring) {
          const list = users.get(arcIndex(entry)) ?? [];
          if (!list.includes(i)) list.push(i);
          users.set(arcIndex(entry), list);
        }
      }
    }
  });
  const sets = ids.map(() => new Set<number>());
  for (const list of users.values()) {
    for (const a of list) for (const b of list) if (a !== b) sets[a]?.add(b);
  }

  const islands = ids.filter((_, i) => sets[i]?.size === 0);
  if (islands.length > 0) joinIslands(topology, ids, geometries, sets, options);
  const neighbours = sets.map((set) => [...set].sort((a, b) => a - b));
  return { ids, neighbours, weights: neighbours.map((list) => list.map(() => 1)), islands };
}

/** Joins each region without neighbours to its k nearest regions, in both directions. */
function joinIslands(
  topology: Topology,
  ids: readonly string[],
  geometries: readonly TopoGeometry[],
  sets: readonly Set<number>[],
  options: ContiguityOptions,
): void {
  const k = options.islandNeighbours ?? 1;
  if (!Number.isInteger(k) || k < 1) {
    throw new MosyError(
      'invalid-request',
      `islandNeighbours must be a whole number of at least 1, got ${k}.`,
    );
  }
  const kind = options.distance ?? 'great-circle';
  const centroids = options.points === undefined ? centroidsOf(topology, geometries) : [];
  const points = ids.map((id, i) => {
    const point = options.points === undefined ? centroids[i] : options.points[id];
    if (point === undefined)
      throw new MosyError('invalid-request', `Region "${id}" has no point to measure from.`);
    return point;
  });
  const islands = sets.flatMap((set, i) => (set.size === 0 ? [i] : []));
  for (const i of islands) {
    const origin = points[i] ?? [0, 0];
    const nearest = points
      .map((point, j) => ({ j, d: pointDistance(origin, point, kind) }))
      .filter(({ j }) => j !== i)
      // Ties broken by order, so the result does not depend on the sort's stability.
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, k);
    for (const { j } of nearest) {
      sets[i]?.add(j);
      sets[j]?.add(i);
    }
  }
}
