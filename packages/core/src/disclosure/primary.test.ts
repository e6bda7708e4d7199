import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { isSensitive, primarySuppress } from './primary.js';

describe('primary suppression', () => {
  it('withholds 1..4, keeps 0 and 5 and above (default threshold 5)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 100].map((n) => primarySuppress(n))).toEqual([
      { value: 0 },
      { value: null, flag: 'c' },
      { value: null, flag: 'c' },
      { value: null, flag: 'c' },
      { value: null, flag: 'c' },
      { value: 5 },
      { value: 6 },
      { value: 100 },
    ]);
  });

  it('follows a configured threshold', () => {
    expect(primarySuppress(9, 10)).toEqual({ value: null, flag: 'c' });
    expect(primarySuppress(10, 10)).toEqual({ value: 10 });
    expect(primarySuppress(1, 1)).toEqual({ value: 1 });
    expect(isSensitive(2, 3)).toBe(true);
    expect(isSensitive(3, 3)).toBe(false);
  });

  it('withholds exactly the counts strictly between 0 and the threshold', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 50 }), (n, t) => {
        const shown = primarySuppress(n, t);
        if (n > 0 && n < t) expect(shown).toEqual({ value: null, flag: 'c' });
        else expect(shown).toEqual({ value: n });
      }),
    );
  });

  it('refuses what is not a count or not a threshold', () => {
    expect(() => primarySuppress(-1)).toThrow(MosyError);
    expect(() => primarySuppress(2.5)).toThrow(/non-negative integer/);
    expect(() => primarySuppress(3, 0)).toThrow(/threshold/);
    expect(() => primarySuppress(3, 2.5)).toThrow(/threshold/);
  });
});
