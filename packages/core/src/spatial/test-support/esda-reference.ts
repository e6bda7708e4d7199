/**
 * Test support (not built): the esda reference fixture (fixtures/esda-reference.json, made by
 * fixtures/esda-reference.py) typed, its cases turned into weights and values, and the largest absolute
 * difference between two series, which the tests bound and report.
 */
import fixture from '../fixtures/esda-reference.json' with { type: 'json' };
import { weightsFromNeighbours } from '../weights.js';
import type { SpatialWeights } from '../weights.js';

export interface EsdaOutputs {
  readonly Gs: number[];
  readonly EGs: number[];
  readonly VGs: number[];
  readonly Zs: number[];
  readonly Is: number[];
  readonly EI: number[];
  readonly VI: number[];
  readonly EIc: number[];
  readonly VIc: number[];
  /** esda quadrants: 1 HH, 2 LH, 3 LL, 4 HL. */
  readonly q: number[];
}

export interface EsdaCase {
  readonly name: string;
  readonly neighbours: Record<string, string[]>;
  readonly values: Record<string, number>;
  readonly R: EsdaOutputs;
  readonly B: EsdaOutputs;
}

// Through unknown: the JSON's inferred type gives each case its own literal set of region ids.
export const esdaReference = fixture as unknown as {
  esda: string;
  libpysal: string;
  cases: EsdaCase[];
  bh: { p: number[]; adjusted: number[] };
};

/** A case's weights, regions in the fixture's order. */
export const weightsOf = (c: EsdaCase): SpatialWeights =>
  weightsFromNeighbours(Object.keys(c.neighbours), c.neighbours);

/** The largest absolute difference between two series of the same length (Infinity when lengths differ). */
export function maxAbsDifference(actual: readonly number[], expected: readonly number[]): number {
  if (actual.length !== expected.length) return Infinity;
  return actual.reduce((max, value, k) => Math.max(max, Math.abs(value - (expected[k] ?? Number.NaN))), 0);
}
