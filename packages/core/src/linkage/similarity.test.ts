import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dice, popcount, popcount32 } from './similarity.js';

const naivePopcount = (word: number): number => [...(word >>> 0).toString(2)].filter((b) => b === '1').length;

describe('popcount and dice', () => {
  it('counts bits like the naive count (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (w) => popcount32(w) === naivePopcount(w)),
    );
    expect(popcount(Uint32Array.of(0xffffffff, 1, 0))).toBe(33);
  });
  it('is 2|A∧B| / (|A|+|B|), 1 for equal vectors and 0 for disjoint or empty ones', () => {
    const a = Uint32Array.of(0b1111, 0);
    const b = Uint32Array.of(0b0011, 0b1);
    expect(dice(a, b)).toBeCloseTo((2 * 2) / (4 + 3));
    expect(dice(a, a)).toBe(1);
    expect(dice(a, Uint32Array.of(0b10000, 0))).toBe(0);
    expect(dice(new Uint32Array(2), new Uint32Array(2))).toBe(0);
  });
});
