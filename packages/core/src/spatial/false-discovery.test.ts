// Benjamini–Hochberg against scipy's false_discovery_control (fixtures/esda-reference.json) and by hand.
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, significantAtFdr } from './false-discovery.js';
import { esdaReference, maxAbsDifference } from './test-support/esda-reference.js';

describe('benjaminiHochberg', () => {
  it("equals scipy's adjusted p-values to 1e-12", () => {
    const { p, adjusted } = esdaReference.bh;
    expect(maxAbsDifference(benjaminiHochberg(p), adjusted)).toBeLessThan(1e-12);
  });

  it('steps up: a p-value above its own threshold passes when a larger one passes', () => {
    // m = 4, q = 0.05: thresholds 0.0125, 0.025, 0.0375, 0.05. p = 0.03 at rank 2 fails its 0.025 but rank 3
    // (0.035 ≤ 0.0375) passes, so ranks 1–3 are discoveries.
    const p = [0.035, 0.001, 0.5, 0.03];
    expect(benjaminiHochberg(p).map((v) => Number(v.toFixed(6)))).toEqual([0.046667, 0.004, 0.5, 0.046667]);
    expect(significantAtFdr(p)).toEqual([true, true, false, true]);
    expect(significantAtFdr(p, 0.01)).toEqual([false, true, false, false]);
  });

  it('handles no tests and refuses p-values or q outside [0, 1]', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([0.5, 1.2])).toThrow(/between 0 and 1/);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(/between 0 and 1/);
    expect(() => significantAtFdr([0.1], 0)).toThrow(/q must lie/);
  });
});
