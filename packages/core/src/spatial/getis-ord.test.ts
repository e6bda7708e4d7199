// Gi* against PySAL's esda on the same weights and values (fixtures/esda-reference.json), and the behaviour of its
// conditional permutation p-values.
import { describe, expect, it } from 'vitest';
import { localGetisOrdStar } from './getis-ord.js';
import { seededRandom } from './random.js';
import { esdaReference, maxAbsDifference, weightsOf } from './test-support/esda-reference.js';
import { weightsFromNeighbours } from './weights.js';

describe('localGetisOrdStar against esda G_Local(star=True)', () => {
  it(`uses the fixture of esda ${esdaReference.esda}, libpysal ${esdaReference.libpysal}`, () => {
    expect(esdaReference.cases.map((c) => c.name)).toEqual([
      'rook-lattice-6x5',
      'queen-lattice-5x5',
      'hand-drawn-12',
    ]);
  });

  for (const c of esdaReference.cases) {
    for (const transform of ['row', 'binary'] as const) {
      it(`${c.name}, ${transform} weights: Gs, EGs, VGs and Zs match to 1e-6`, () => {
        const reference = transform === 'row' ? c.R : c.B;
        const results = localGetisOrdStar(c.values, weightsOf(c), {
          transform,
          permutations: 9,
          random: seededRandom(1),
        });
        expect(results.map((r) => r.id)).toEqual(Object.keys(c.values));
        expect(
          maxAbsDifference(
            results.map((r) => r.g),
            reference.Gs,
          ),
        ).toBeLessThan(1e-6);
        expect(
          maxAbsDifference(
            results.map((r) => r.expected),
            reference.EGs,
          ),
        ).toBeLessThan(1e-6);
        expect(
          maxAbsDifference(
            results.map((r) => r.variance),
            reference.VGs,
          ),
        ).toBeLessThan(1e-6);
        expect(
          maxAbsDifference(
            results.map((r) => r.z),
            reference.Zs,
          ),
        ).toBeLessThan(1e-6);
      });
    }
  }
});

describe('localGetisOrdStar permutation p-values', () => {
  const c = esdaReference.cases[0]!;

  it('are reproducible from the seed, two-sided and within (0, 1]', () => {
    const run = (seed: number) =>
      localGetisOrdStar(c.values, weightsOf(c), { random: seededRandom(seed) }).map((r) => r.pValue);
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8)).not.toEqual(first);
    expect(first.every((p) => p >= 2 / 1000 && p <= 1)).toBe(true);
  });

  it('approach the exact permutation p-value of a region whose neighbourhood holds the top values', () => {
    // A chain a-b-c-…: the three largest values side by side at one end. Gi* of b sums a, b and c; of the
    // C(11, 2) = 55 equally likely pairs of redrawn neighbours only {a, c} reaches it, so the exact one-sided
    // p-value is 1/55 and the two-sided one 2/55 ≈ 0.036. With 999 permutations the estimate lies within ±0.02 of it
    // (≈ 2.4 binomial standard deviations; the seed makes the run the same every time).
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
    const w = weightsFromNeighbours(
      ids,
      Object.fromEntries(ids.map((id, k) => [id, [ids[k - 1], ids[k + 1]].filter((x) => x !== undefined)])),
    );
    const values = Object.fromEntries(ids.map((id, k) => [id, k < 3 ? 10 + k : 1 + (k % 3)]));
    const b = localGetisOrdStar(values, w, { permutations: 999, random: seededRandom(3) })[1]!;
    expect(Math.abs(b.pValue - 2 / 55)).toBeLessThan(0.02);
    expect(b.z).toBeGreaterThan(0);
  });

  it('refuses negative, constant or missing values and bad permutation counts', () => {
    const w = weightsOf(c);
    const random = seededRandom(1);
    expect(() => localGetisOrdStar({ ...c.values, R00: -1 }, w, { random })).toThrow(/at least 0/);
    const constant = Object.fromEntries(Object.keys(c.values).map((id) => [id, 2]));
    expect(() => localGetisOrdStar(constant, w, { random })).toThrow(/not all equal/);
    expect(() => localGetisOrdStar({ R00: 1 }, w, { random })).toThrow(/"R01" has no finite value/);
    expect(() => localGetisOrdStar(c.values, w, { random, permutations: 0 })).toThrow(/permutations/);
  });
});
