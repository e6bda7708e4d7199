// Spatial weights built from neighbour lists and their transforms (binary, row-standardised, star).
import { describe, expect, it } from 'vitest';
import {
  binaryWeights,
  isSymmetric,
  neighbourIds,
  rowStandardisedWeights,
  starWeights,
  transformWeights,
  valuesInOrder,
  weightsFromNeighbours,
} from './weights.js';

const path = weightsFromNeighbours(['a', 'b', 'c'], { a: ['b'], b: ['a', 'c'], c: ['b'] });

describe('spatial weights', () => {
  it('are built from neighbour lists by id, each neighbour weighing 1', () => {
    expect(path).toEqual({
      ids: ['a', 'b', 'c'],
      neighbours: [[1], [0, 2], [1]],
      weights: [[1], [1, 1], [1]],
    });
    expect(neighbourIds(path, 'b')).toEqual(['a', 'c']);
    expect(isSymmetric(path)).toBe(true);
    expect(isSymmetric(weightsFromNeighbours(['a', 'b'], { a: ['b'] }))).toBe(false);
  });

  it('row-standardise to rows summing to 1, and binarise back', () => {
    const row = rowStandardisedWeights(path);
    expect(row.weights).toEqual([[1], [0.5, 0.5], [1]]);
    expect(binaryWeights(row).weights).toEqual(path.weights);
    expect(transformWeights(row, 'row').weights).toEqual(row.weights);
    expect(transformWeights(row, 'binary').weights).toEqual(path.weights);
  });

  it('put each region first among its own neighbours for Gi*, then transform with it', () => {
    const star = starWeights(path);
    expect(star.neighbours).toEqual([
      [0, 1],
      [1, 0, 2],
      [2, 1],
    ]);
    expect(rowStandardisedWeights(star).weights).toEqual([
      [0.5, 0.5],
      [1 / 3, 1 / 3, 1 / 3],
      [0.5, 0.5],
    ]);
    expect(() => starWeights(star)).toThrow(/already its own neighbour/);
  });

  it('refuse unknown, repeated or self neighbours and duplicate ids', () => {
    expect(() => weightsFromNeighbours(['a'], { a: ['z'] })).toThrow(/"z" of "a" is not a region/);
    expect(() => weightsFromNeighbours(['a', 'b'], { a: ['b', 'b'] })).toThrow(/twice/);
    expect(() => weightsFromNeighbours(['a'], { a: ['a'] })).toThrow(/itself/);
    expect(() => weightsFromNeighbours(['a', 'a'], {})).toThrow(/listed twice/);
    expect(() => neighbourIds(path, 'z')).toThrow(/not a region/);
  });

  it('align values with their regions and refuse a missing or non-finite one', () => {
    expect(valuesInOrder(path, { c: 3, a: 1, b: 2, extra: 9 })).toEqual([1, 2, 3]);
    expect(() => valuesInOrder(path, { a: 1, b: Number.NaN, c: 3 })).toThrow(/"b" has no finite value/);
  });
});
