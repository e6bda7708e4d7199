// Local Moran's I against PySAL's esda on the same weights and values (fixtures/esda-reference.json), quadrants,
// and its conditional permutation p-values.
import { describe, expect, it } from 'vitest';
import { localMoran } from './local-moran.js';
import type { MoranQuadrant } from './local-moran.js';
import { seededRandom } from './random.js';
import { esdaReference, maxAbsDifference, weightsOf } from './test-support/esda-reference.js';
import { weightsFromNeighbours } from './weights.js';

const ESDA_QUADRANT: Record<number, MoranQuadrant> = { 1: 'HH', 2: 'LH', 3: 'LL', 4: 'HL' };

describe('localMoran against esda Moran_Local', () => {
  for (const c of esdaReference.cases) {
    for (const transform of ['row', 'binary'] as const) {
      it(`${c.name}, ${transform} weights: Is, EI, VI, EIc, VIc match to 1e-6 and quadrants equal q`, () => {
        const reference = transform === 'row' ? c.R : c.B;
        const results = localMoran(c.values, weightsOf(c), {
          transform,
          permutations: 9,
          random: seededRandom(1),
        });
        expect(
          maxAbsDifference(
            results.map((r) => r.i),
            reference.Is,
          ),
        ).toBeLessThan(1e-6);
        expect(
          maxAbsDifference(
            results.map((r) => r.expected),
            reference.EI,
          ),
        ).toBeLessThan(1e-6);
        expect(
          maxAbsDifference(
            results.map((r) => r.variance),
            reference.VI,
          ),
        ).toBeLessThan(1e-6);
        expect(
          maxAbsDifference(
            results.map((r) => r.conditionalExpected),
            reference.EIc,
          ),
        ).toBeLessThan(1e-6);
        expect(
          maxAbsDifference(
            results.map((r) => r.conditionalVariance),
            reference.VIc,
          ),
        ).toBeLessThan(1e-6);
        expect(results.map((r) => r.quadrant)).toEqual(reference.q.map((q) => ESDA_QUADRANT[q]));
      });
    }
  }
});

describe('localMoran permutation p-values', () => {
  const c = esdaReference.cases[2]!;

  it('are reproducible from the seed and within (0, 1]', () => {
    const run = (seed: number) =>
      localMoran(c.values, weightsOf(c), { random: seededRandom(seed) }).map((r) => r.pValue);
    expect(run(11)).toEqual(run(11));
    expect(run(11).every((p) => p >= 2 / 1000 && p <= 1)).toBe(true);
  });

  it('give p = 1 to a region at the mean, whose statistic is 0 whatever its neighbours', () => {
    const values = { ...c.values };
    const mean = Object.values(values).reduce((a, b) => a + b, 0) / Object.keys(values).length;
    // Moving A to the mean changes the mean, so solve for the value that equals the mean of all.
    const others = Object.entries(values).filter(([id]) => id !== 'A');
    values.A = others.reduce((a, [, v]) => a + v, 0) / others.length;
    expect(mean).not.toBe(values.A);
    const a = localMoran(values, weightsOf(c), { random: seededRandom(5) })[0]!;
    expect(Math.abs(a.i)).toBeLessThan(1e-12);
    expect(a.pValue).toBe(1);
  });

  it('refuses constant values and too few regions', () => {
    const w = weightsOf(c);
    const constant = Object.fromEntries(Object.keys(c.values).map((id) => [id, 3]));
    expect(() => localMoran(constant, w, { random: seededRandom(1) })).toThrow(/not all equal/);
    const three = weightsFromNeighbours(['a', 'b', 'c'], { a: ['b'], b: ['a', 'c'], c: ['b'] });
    expect(() => localMoran({ a: 1, b: 2, c: 3 }, three, { random: seededRandom(1) })).toThrow(
      /at least four/,
    );
  });
});
