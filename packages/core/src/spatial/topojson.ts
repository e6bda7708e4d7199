/**
 * The part of TopoJSON (https://github.com/topojson/topojson-specification) that contiguity needs: the types of a
 * topology with polygon objects, and the decoding of its arcs into coordinates. An arc index `k` in a ring is arc
 * `k` read forwards, `~k` (that is `-k - 1`) arc `k` read backwards; quantized topologies store each arc as deltas
 * from its previous point, scaled by the topology's `transform`. Written here rather than taken from
 * topojson-client because contiguity needs only these few lines and core takes no dependency for them.
 */

export type Position = readonly [number, number];

export interface TopologyTransform {
  readonly scale: Position;
  readonly translate: Position;
}

interface TopoGeometryBase {
  readonly id?: string | number;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** A geometry of a topology's object; only polygons are regions, other types (points, lines, null) are ignored. */
export type TopoGeometry =
  | (TopoGeometryBase & { readonly type: 'Polygon'; readonly arcs: readonly (readonly number[])[] })
  | (TopoGeometryBase & {
      readonly type: 'MultiPolygon';
      readonly arcs: readonly (readonly (readonly number[])[])[];
    })
  | (TopoGeometryBase & {
      readonly type: string | null;
      readonly arcs?: unknown;
      readonly coordinates?: unknown;
    });

export interface TopoGeometryCollection {
  readonly type: 'GeometryCollection';
  readonly geometries: readonly TopoGeometry[];
}

export interface Topology {
  readonly type: 'Topology';
  readonly objects: Readonly<Record<string, TopoGeometryCollection>>;
  readonly arcs: readonly (readonly Position[])[];
  readonly transform?: TopologyTransform;
}

/** The polygons of a geometry as lists of rings of arc indexes (exterior ring first); none for other types. */
export function polygonsOf(geometry: TopoGeometry): readonly (readonly (readonly number[])[])[] {
  if (geometry.type === 'Polygon' && 'arcs' in geometry) {
    return [geometry.arcs as readonly (readonly number[])[]];
  }
  if (geometry.type === 'MultiPolygon' && 'arcs' in geometry) {
    return geometry.arcs as readonly (readonly (readonly number[])[])[];
  }
  return [];
}

/** The index of the arc that a ring entry refers to, whichever direction it is read in. */
export const arcIndex = (entry: number): number => (entry < 0 ? ~entry : entry);

/** Every arc of the topology as absolute coordinates (quantized arcs decoded). */
export function decodeArcs(topology: Topology): Position[][] {
  const t = topology.transform;
  if (t === undefined) return topology.arcs.map((arc) => arc.map(([x, y]) => [x, y] as const));
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]] as const;
    });
  });
}

/** The coordinates of a ring: its arcs joined in order, each read in its direction. */
export function ringCoordinates(ring: readonly number[], arcs: readonly (readonly Position[])[]): Position[] {
  const points: Position[] = [];
  for (const entry of ring) {
    const arc = arcs[arcIndex(entry)] ?? [];
    const ordered = entry < 0 ? [...arc].reverse() : arc;
    // Consecutive arcs share their junction point; keep it once.
    points.push(...(points.length === 0 ? ordered : ordered.slice(1)));
  }
  return points;
}
