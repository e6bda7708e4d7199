import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { KEY_SPACE, cellKeyOf, keySumOf } from './cell-key.js';
import {
  createPerturbationTable,
  defaultPerturbationTable,
  perturb,
  perturbedCount,
} from './perturbation.js';
import type { PerturbationTable } from './perturbation.js';
import { keys } from './test-support/tables.js';

/** Property tests with many runs; the machine running them may be busy. */
const SLOW = 60_000;

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
const collision = (table: PerturbationTable): number =>
  sum(table.rows.at(-1)!.probabilities.map((p) => p * p));

describe('perturbation table', () => {
  it('is the maximum-entropy distribution with mean 0 and variance V for large counts (D = 2, V = 1)', () => {
    const row = defaultPerturbationTable().rows.at(-1)!;
    expect(row.count).toBe(3);
    expect(row.changes).toEqual([-2, -1, 0, 1, 2]);
    // Independently: symmetric max-entropy p(j) ∝ exp(b·j²); solve 2(e^b + 4e^4b) / (1 + 2e^b + 2e^4b) = 1.
    let lo = -10;
    let hi = 10;
    const variance = (b: number): number =>
      (2 * (Math.exp(b) + 4 * Math.exp(4 * b))) / (1 + 2 * Math.exp(b) + 2 * Math.exp(4 * b));
    for (let i = 0; i < 200; i++)
      [lo, hi] = variance((lo + hi) / 2) < 1 ? [(lo + hi) / 2, hi] : [lo, (lo + hi) / 2];
    const z = 1 + 2 * Math.exp(lo) + 2 * Math.exp(4 * lo);
    const expected = [Math.exp(4 * lo) / z, Math.exp(lo) / z, 1 / z, Math.exp(lo) / z, Math.exp(4 * lo) / z];
    row.probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 9));
    expect(row.probabilities.map((p) => Number(p.toFixed(4)))).toEqual([
      0.0638, 0.2447, 0.383, 0.2447, 0.0638,
    ]);
  });

  it(
    'has unbiased rows within ±D that never take a positive count below 1',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.double({ min: 0.01, max: 1, noNaN: true }),
          (d, share) => {
            const variance = (share * d * d) / 2;
            const table = createPerturbationTable({ maxPerturbation: d, variance });
            expect(table.rows).toHaveLength(d + 1);
            for (const row of table.rows) {
              expect(sum(row.probabilities)).toBeCloseTo(1, 12);
              expect(sum(row.changes.map((j, i) => j * row.probabilities[i]!))).toBeCloseTo(0, 9);
              expect(sum(row.changes.map((j, i) => j * j * row.probabilities[i]!))).toBeCloseTo(
                row.variance,
                9,
              );
              expect(row.changes[0]).toBe(Math.max(-d, 1 - row.count));
              expect(row.changes.at(-1)).toBe(d);
              expect(row.upper.at(-1)).toBe(1);
            }
            expect(table.rows.at(-1)!.variance).toBeCloseTo(variance, 12);
            // A count of 1 cannot move down, so unbiasedness keeps it where it is.
            expect(table.rows[0]!.variance).toBe(0);
          },
        ),
        { numRuns: 60 },
      );
    },
    SLOW,
  );

  it(
    'maps cell keys to changes in proportion to their probabilities',
    () => {
      const table = defaultPerturbationTable();
      const n = 100_000;
      for (const row of table.rows) {
        const seen = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const change = perturbedCount(row.count, (i + 0.5) / n, table) - row.count;
          seen.set(change, (seen.get(change) ?? 0) + 1);
        }
        // Evenly spaced keys: each change gets its probability's share, up to one key per interval boundary.
        row.changes.forEach((j, i) =>
          expect(Math.abs((seen.get(j) ?? 0) / n - row.probabilities[i]!)).toBeLessThan(2 / n),
        );
      }
    },
    SLOW,
  );

  it('refuses parameters it cannot honour', () => {
    expect(() => createPerturbationTable({ maxPerturbation: 0 })).toThrow(MosyError);
    expect(() => createPerturbationTable({ maxPerturbation: 1.5 })).toThrow(/integer/);
    expect(() => createPerturbationTable({ maxPerturbation: 2, variance: 2.5 })).toThrow(/\(0, 2\]/);
    expect(() => createPerturbationTable({ variance: 0 })).toThrow(/variance/);
    expect(() => createPerturbationTable({ threshold: 0 })).toThrow(/threshold/);
    expect(() => perturb(3, 1, defaultPerturbationTable())).toThrow(/\[0, 1\)/);
  });
});

describe('perturb', () => {
  // Built once: D = 1..5, V from small to D²/2, thresholds 1, 5 and 12.
  const built = [1, 2, 3, 4, 5].flatMap((d) =>
    [0.1, 0.5, 1].map((share, i) =>
      createPerturbationTable({
        maxPerturbation: d,
        variance: (share * d * d) / 2,
        threshold: [1, 5, 12][i]!,
      }),
    ),
  );
  const tables = fc.nat(built.length - 1).map((i) => built[i]!);
  const cellKey = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

  it(
    'keeps zeros, stays within ±D, never goes negative, and withholds what is or falls below the threshold',
    () => {
      fc.assert(
        fc.property(tables, fc.nat(1_000), cellKey, (table, n, key) => {
          const shown = perturb(n, key, table);
          const raw = perturbedCount(n, key, table);
          if (n === 0) expect(shown).toEqual({ value: 0 });
          expect(raw).toBeGreaterThanOrEqual(n === 0 ? 0 : 1);
          expect(Math.abs(raw - n)).toBeLessThanOrEqual(table.maxPerturbation);
          // A count below the threshold is withheld even when its change would lift it to the threshold.
          if ((raw > 0 && raw < table.threshold) || (n > 0 && n < table.threshold))
            expect(shown).toEqual({ value: null, flag: 'c' });
          else expect(shown).toEqual({ value: raw });
          // Deterministic: the same count and key, the same answer.
          expect(perturb(n, key, table)).toEqual(shown);
        }),
        { numRuns: 2_000 },
      );
    },
    SLOW,
  );

  it('gives the same value to the same set of records, whichever query reaches it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: KEY_SPACE - 1 }), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (recordKeys, seed) => {
          // Query 1 lists the records as stored; query 2 reaches the same records by another filter, in another order.
          const other = recordKeys
            .map((k, i) => ({ k, r: Math.sin(seed + i) }))
            .sort((a, b) => a.r - b.r)
            .map(({ k }) => k);
          const table = defaultPerturbationTable();
          const a = perturb(recordKeys.length, cellKeyOf(keySumOf(recordKeys)), table);
          const b = perturb(other.length, cellKeyOf(keySumOf(other)), table);
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it(
    'resists differencing: all providers minus all but one rarely shows the one provider’s small count',
    () => {
      // Query A counts a cell over all providers, query B over all but one, which adds c = 1..4 persons to it. Both
      // are large enough to be published. The attacker takes A' − B'; it equals c exactly when both perturbations
      // happen to be equal: probability Σ p(j)² over the large-count row (0.275 for D = 2, V = 1), never certain.
      const table = defaultPerturbationTable();
      const expectedRate = collision(table);
      expect(expectedRate).toBeCloseTo(0.2748, 3);
      fc.assert(
        fc.property(
          fc.integer({ min: table.threshold + table.maxPerturbation, max: 500 }),
          fc.integer({ min: 1, max: table.threshold - 1 }),
          fc.integer(),
          (others, c, seed) => {
            const next = keys(seed);
            const trials = 400;
            let exact = 0;
            const differences = new Set<number>();
            for (let t = 0; t < trials; t++) {
              const restKeys = Array.from({ length: others }, next);
              const providerKeys = Array.from({ length: c }, next);
              const a = perturb(others + c, cellKeyOf(keySumOf([...restKeys, ...providerKeys])), table);
              const b = perturb(others, cellKeyOf(keySumOf(restKeys)), table);
              expect(a.value).not.toBeNull();
              expect(b.value).not.toBeNull();
              const difference = a.value! - b.value!;
              differences.add(difference);
              if (difference === c) exact++;
            }
            // 400 trials: the rate's standard deviation is ≈ 0.022; allow 4.5 of them.
            expect(exact / trials).toBeLessThan(expectedRate + 0.1);
            // Never deterministic: the difference takes many values (here c − 4 .. c + 4 are possible).
            expect(differences.size).toBeGreaterThanOrEqual(5);
          },
        ),
        { numRuns: 25 },
      );
    },
    SLOW,
  );

  it(
    'matches the collision rate when pooled over many datasets (seeded, 20 000 trials)',
    () => {
      const table = defaultPerturbationTable();
      const next = keys(20260314);
      let exact = 0;
      const trials = 20_000;
      for (let t = 0; t < trials; t++) {
        const others = 7 + (next() % 100);
        const c = 1 + (next() % 4);
        const b = keySumOf(Array.from({ length: others }, next));
        const a = keySumOf([b, ...Array.from({ length: c }, next)]);
        const difference =
          perturb(others + c, cellKeyOf(a), table).value! - perturb(others, cellKeyOf(b), table).value!;
        if (difference === c) exact++;
      }
      // Standard deviation ≈ 0.0032; 5 of them either way.
      expect(Math.abs(exact / trials - collision(table))).toBeLessThan(0.016);
    },
    SLOW,
  );
});
