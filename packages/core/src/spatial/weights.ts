/**
 * Spatial weights: which regions are neighbours of which, and how much each neighbour counts. Built from
 * geometries (`contiguity.ts`) or from neighbour lists, then transformed for a statistic: binary (every neighbour
 * weighs 1), row-standardised (each region's weights sum to 1), or "star" (the region counts as its own neighbour,
 * as Getis–Ord Gi* requires). Every transform returns a new value; none changes its input.
 */
import { MosyError } from '../errors.js';

/** Weights over `ids`: `neighbours[i]` are indexes into `ids`, `weights[i][k]` the weight of `neighbours[i][k]`. */
export interface SpatialWeights {
  readonly ids: readonly string[];
  readonly neighbours: readonly (readonly number[])[];
  readonly weights: readonly (readonly number[])[];
}

/** How a statistic weighs the neighbours: each 1 (`binary`) or each row summing to 1 (`row`, esda's "R"). */
export type WeightsTransform = 'binary' | 'row';

/**
 * Weights from neighbour lists by id, each neighbour weighing 1. Ids listed as neighbours must be in `ids`;
 * a region may not be its own neighbour (use `starWeights` for that) nor list a neighbour twice.
 */
export function weightsFromNeighbours(
  ids: readonly string[],
  neighboursOf: Readonly<Record<string, readonly string[]>>,
): SpatialWeights {
  const index = indexOfIds(ids);
  const neighbours = ids.map((id, i) => {
    const list = (neighboursOf[id] ?? []).map((other) => {
      const j = index.get(other);
      if (j === undefined)
        throw new MosyError('invalid-request', `Neighbour "${other}" of "${id}" is not a region.`);
      if (j === i) throw new MosyError('invalid-request', `Region "${id}" lists itself as a neighbour.`);
      return j;
    });
    if (new Set(list).size !== list.length) {
      throw new MosyError('invalid-request', `Region "${id}" lists a neighbour twice.`);
    }
    return list;
  });
  return { ids: [...ids], neighbours, weights: neighbours.map((list) => list.map(() => 1)) };
}

/** The same neighbours, each weighing 1. */
export const binaryWeights = (w: SpatialWeights): SpatialWeights => ({
  ids: w.ids,
  neighbours: w.neighbours,
  weights: w.neighbours.map((list) => list.map(() => 1)),
});

/** The same neighbours with each region's weights scaled to sum to 1 (a region without neighbours keeps none). */
export const rowStandardisedWeights = (w: SpatialWeights): SpatialWeights => ({
  ids: w.ids,
  neighbours: w.neighbours,
  weights: w.weights.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((weight) => weight / sum);
  }),
});

/**
 * The "star" weights of Gi*: each region also its own neighbour with `selfWeight` (esda's `star=True` on binary
 * weights uses 1). Refuses weights that already include a region among its own neighbours.
 */
export function starWeights(w: SpatialWeights, selfWeight = 1): SpatialWeights {
  return {
    ids: w.ids,
    neighbours: w.neighbours.map((list, i) => {
      if (list.includes(i)) {
        throw new MosyError('invalid-request', `Region "${w.ids[i]}" is already its own neighbour.`);
      }
      return [i, ...list];
    }),
    weights: w.weights.map((row) => [selfWeight, ...row]),
  };
}

/** Applies a `WeightsTransform`. */
export const transformWeights = (w: SpatialWeights, transform: WeightsTransform): SpatialWeights =>
  transform === 'row' ? rowStandardisedWeights(binaryWeights(w)) : binaryWeights(w);

/** True when j is a neighbour of i exactly when i is a neighbour of j (weights ignored). */
export function isSymmetric(w: SpatialWeights): boolean {
  const sets = w.neighbours.map((list) => new Set(list));
  return w.neighbours.every((list, i) => list.every((j) => sets[j]?.has(i) === true));
}

/** The neighbours of a region, by id. */
export function neighbourIds(w: SpatialWeights, id: string): string[] {
  const i = w.ids.indexOf(id);
  if (i < 0) throw new MosyError('invalid-request', `"${id}" is not a region of these weights.`);
  return (w.neighbours[i] ?? []).map((j) => w.ids[j] ?? '');
}

/** Index of each id, refusing duplicates. */
export function indexOfIds(ids: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.has(id)) throw new MosyError('invalid-request', `Region "${id}" is listed twice.`);
    index.set(id, i);
  });
  return index;
}

/** The value of each region of `w`, in the order of `w.ids`; every region needs a finite value. */
export function valuesInOrder(w: SpatialWeights, values: Readonly<Record<string, number>>): number[] {
  return w.ids.map((id) => {
    const value = values[id];
    if (value === undefined || !Number.isFinite(value)) {
      throw new MosyError('invalid-request', `Region "${id}" has no finite value.`);
    }
    return value;
  });
}
