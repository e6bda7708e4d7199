// Contiguity by shared arcs on a hand-made topology (where every expected pair is known by construction) and on
// Eurostat's NUTS 2024 borders read from the shared geo folder at test time.
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { contiguityWeights } from './contiguity.js';
import { centroidsOf } from './region-points.js';
import { nutsIdsOf, readNutsLabelPoints, readNutsTopology } from './test-support/nuts-geo.js';
import type { Position, Topology } from './topojson.js';
import { isSymmetric, neighbourIds } from './weights.js';

/**
 * Four unit squares meeting at (1, 1) — A top left, B top right, C bottom left, D bottom right — and an island E,
 * the square [5, 6] × [0, 1]. A and D (and B and C) touch only at the centre point.
 */
const ARCS: Position[][] = [
  [
    [1, 2],
    [1, 1],
  ], // 0: A | B
  [
    [1, 1],
    [1, 0],
  ], // 1: C | D
  [
    [0, 1],
    [1, 1],
  ], // 2: A | C
  [
    [1, 1],
    [2, 1],
  ], // 3: B | D
  [
    [1, 2],
    [0, 2],
    [0, 1],
  ], // 4: A's outer border
  [
    [2, 1],
    [2, 2],
    [1, 2],
  ], // 5: B's outer border
  [
    [0, 1],
    [0, 0],
    [1, 0],
  ], // 6: C's outer border
  [
    [1, 0],
    [2, 0],
    [2, 1],
  ], // 7: D's outer border
  [
    [5, 0],
    [6, 0],
    [6, 1],
    [5, 1],
    [5, 0],
  ], // 8: E
];

const squares = (arcs: Position[][], transform?: Topology['transform']): Topology => ({
  type: 'Topology',
  arcs,
  ...(transform ? { transform } : {}),
  objects: {
    regions: {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Polygon', arcs: [[~0, 4, 2]], properties: { id: 'A' } },
        { type: 'Polygon', arcs: [[3, 5, 0]], properties: { id: 'B' } },
        { type: 'Polygon', arcs: [[~2, 6, ~1]], properties: { id: 'C' } },
        { type: 'MultiPolygon', arcs: [[[1, 7, ~3]]], properties: { id: 'D' } },
        { type: 'Polygon', arcs: [[8]], id: 'E' },
        { type: 'LineString', arcs: [0], properties: { id: 'not-a-region' } },
      ],
    },
  },
});

/** The same squares quantized on a half-unit grid with delta-encoded arcs, as topojson writes them. */
const quantized = squares(
  ARCS.map((arc) =>
    arc.map(([x, y], k) => {
      const [px, py] = k === 0 ? [0, 0] : (arc[k - 1] ?? [0, 0]);
      return [(x - px) * 2, (y - py) * 2] as const;
    }),
  ),
  { scale: [0.5, 0.5], translate: [0, 0] },
);

const pairs = (w: { ids: readonly string[]; neighbours: readonly (readonly number[])[] }): string[] =>
  w.ids.flatMap((id, i) => (w.neighbours[i] ?? []).map((j) => `${id}-${w.ids[j]}`));

describe('contiguityWeights on a hand-made topology', () => {
  it('links regions that share an arc, not those that meet at a point, and joins the island to its nearest', () => {
    const w = contiguityWeights(squares(ARCS), { distance: 'planar' });
    expect(w.ids).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(pairs(w)).toEqual(['A-B', 'A-C', 'B-A', 'B-D', 'C-A', 'C-D', 'D-B', 'D-C', 'D-E', 'E-D']);
    expect(w.islands).toEqual(['E']);
    expect(w.weights.flat().every((v) => v === 1)).toBe(true);
    expect(isSymmetric(w)).toBe(true);
  });

  it('joins an island to its k nearest regions (E: D at distance 4, B at √17)', () => {
    const w = contiguityWeights(squares(ARCS), { distance: 'planar', islandNeighbours: 2 });
    expect(neighbourIds(w, 'E')).toEqual(['B', 'D']);
    expect(neighbourIds(w, 'B')).toEqual(['A', 'D', 'E']);
  });

  it('decodes quantized, delta-encoded arcs to the same centroids and weights', () => {
    const plain = squares(ARCS);
    const geometries = plain.objects.regions?.geometries.slice(0, 5) ?? [];
    expect(centroidsOf(plain, geometries)).toEqual([
      [0.5, 1.5],
      [1.5, 1.5],
      [0.5, 0.5],
      [1.5, 0.5],
      [5.5, 0.5],
    ]);
    expect(centroidsOf(quantized, quantized.objects.regions?.geometries.slice(0, 5) ?? [])).toEqual(
      centroidsOf(plain, geometries),
    );
    expect(pairs(contiguityWeights(quantized, { distance: 'planar' }))).toEqual(
      pairs(contiguityWeights(plain, { distance: 'planar' })),
    );
  });

  it('uses only the chosen regions, in the order given, and rejoins those left without a neighbour', () => {
    const w = contiguityWeights(squares(ARCS), { ids: ['D', 'A', 'B'], distance: 'planar' });
    expect(pairs(w)).toEqual(['D-B', 'A-B', 'B-D', 'B-A']);
    // Without B, A and D only meet at a point: each is an island and they are joined to each other.
    const apart = contiguityWeights(squares(ARCS), { ids: ['A', 'D'], distance: 'planar' });
    expect(apart.islands).toEqual(['A', 'D']);
    expect(pairs(apart)).toEqual(['A-D', 'D-A']);
  });

  it('measures islands from given points when passed', () => {
    const points: Record<string, Position> = { A: [0, 0], B: [9, 9], C: [0, 9], D: [9, 0], E: [1, 1] };
    expect(neighbourIds(contiguityWeights(squares(ARCS), { points, distance: 'planar' }), 'E')).toEqual([
      'A',
    ]);
  });

  it('refuses unknown regions, too few regions, and ambiguous objects', () => {
    expect(() => contiguityWeights(squares(ARCS), { ids: ['A', 'Z'] })).toThrow(/no polygon region "Z"/);
    expect(() => contiguityWeights(squares(ARCS), { ids: ['A', 'not-a-region'] })).toThrow(MosyError);
    expect(() => contiguityWeights(squares(ARCS), { ids: ['A'] })).toThrow(/at least two regions/);
    expect(() => contiguityWeights(squares(ARCS), { ids: ['A', 'A'] })).toThrow(/listed twice/);
    expect(() => contiguityWeights(squares(ARCS), { islandNeighbours: 0 })).toThrow(/islandNeighbours/);
    const two: Topology = {
      ...squares(ARCS),
      objects: {
        a: { type: 'GeometryCollection', geometries: [] },
        b: { type: 'GeometryCollection', geometries: [] },
      },
    };
    expect(() => contiguityWeights(two)).toThrow(/name the one holding the regions/);
    expect(() => contiguityWeights(two, { object: 'c' })).toThrow(/no object "c"/);
  });
});

describe('contiguityWeights on the NUTS 2024 borders', () => {
  const nuts2 = readNutsTopology(2);

  it('finds the known land borders of Portugal and Spain, across the frontier too', () => {
    const w = contiguityWeights(nuts2, { ids: nutsIdsOf(nuts2, ['PT', 'ES']) });
    // NUTS 2024 split PT16 (Centro) into PT19 (Centro) and PT1D (Oeste e Vale do Tejo); PT11 Norte borders PT19.
    expect(neighbourIds(w, 'PT11')).toEqual(['ES11', 'ES41', 'PT19']);
    expect(neighbourIds(w, 'ES30')).toEqual(['ES41', 'ES42']);
    expect(neighbourIds(w, 'PT1A')).toEqual(['PT1D']);
    expect(isSymmetric(w)).toBe(true);
    expect(w.neighbours.every((list) => list.length > 0)).toBe(true);
    // Islands and enclaves: Baleares, Ceuta, Melilla, Canarias, Açores, Madeira.
    expect(w.islands).toEqual(['ES53', 'ES63', 'ES64', 'ES70', 'PT20', 'PT30']);
    expect(neighbourIds(w, 'PT20')).toEqual(['PT30']);
    expect(neighbourIds(w, 'PT30')).toEqual(['ES70', 'PT20']);
    expect(neighbourIds(w, 'ES53')).toEqual(['ES51']);
  });

  it('joins the Açores and Madeira to their nearest Portuguese regions when Portugal stands alone', () => {
    const w = contiguityWeights(nuts2, { ids: nutsIdsOf(nuts2, ['PT']) });
    expect(w.ids).toHaveLength(9);
    expect(w.islands).toEqual(['PT20', 'PT30']);
    // The Açores' nearest is Madeira; Madeira's own nearest is the Algarve, and it keeps the Açores' link (joins go both ways).
    expect(neighbourIds(w, 'PT20')).toEqual(['PT30']);
    expect(neighbourIds(w, 'PT30')).toEqual(['PT15', 'PT20']);
    expect(isSymmetric(w)).toBe(true);
  });

  it('takes Eurostat label points for island distances when given', () => {
    const ids = nutsIdsOf(nuts2, ['PT', 'ES', 'FR']);
    const w = contiguityWeights(nuts2, { ids, points: readNutsLabelPoints(2) });
    expect(w.ids).toHaveLength(55);
    expect(neighbourIds(w, 'FRM0')).toEqual(['FRL0']); // Corse: Provence-Alpes-Côte d'Azur
    expect(neighbourIds(w, 'FRY4')).toEqual(['FRY5']); // La Réunion: Mayotte
    expect(isSymmetric(w)).toBe(true);
    expect(w.neighbours.every((list) => list.length > 0)).toBe(true);
  });

  it('refuses a region the topology does not hold', () => {
    expect(() => contiguityWeights(nuts2, { ids: ['PT11', 'PT16'] })).toThrow(/no polygon region "PT16"/);
  });
});
