import { describe, expect, it } from 'vitest';
import { groupRate, rateRatio } from './rate-ratio.js';
import { spearman, averageRanks } from './spearman.js';
import { trendDirection, slope } from './trend.js';

describe('rateRatio', () => {
  it('is the ratio of summed rates with the log-scale Poisson 95 % interval', () => {
    // 30 / 200 000 against 10 / 100 000: RR 1.5, interval exp(ln 1.5 ± 1.96 √(1/30 + 1/10)), computed by hand.
    const rr = rateRatio({ count: 30, population: 200_000 }, { count: 10, population: 100_000 })!;
    expect(rr.ratio).toBeCloseTo(1.5, 12);
    expect(rr.lower).toBeCloseTo(0.7332910790958157, 12);
    expect(rr.upper).toBeCloseTo(3.068358615209612, 12);
    expect(groupRate({ count: 30, population: 200_000 })).toBe(15);
  });

  it('has no ratio when a group counts nothing, and refuses groups without population', () => {
    expect(rateRatio({ count: 0, population: 10 }, { count: 3, population: 10 })).toBeUndefined();
    expect(() => rateRatio({ count: 1, population: 0 }, { count: 3, population: 10 })).toThrow(/above 0/);
  });
});

describe('spearman', () => {
  it('correlates average ranks: rho = 23.75 / 27.5 = 19/22 on a hand-ranked example with ties', () => {
    const x = [3.1, 2.0, 5.5, 2.0, 7.2, 1.1, 4.4];
    const y = [10, 12, 30, 9, 25, 8, 12];
    expect(averageRanks(x)).toEqual([4, 2.5, 6, 2.5, 7, 1, 5]);
    expect(averageRanks(y)).toEqual([3, 4.5, 7, 2, 6, 1, 4.5]);
    const r = spearman(x, y)!;
    expect(r.rho).toBeCloseTo(19 / 22, 12);
    expect(r.n).toBe(7);
    // Fisher z ± 1.96 √(1.06 / 4), by hand.
    expect(r.lower).toBeCloseTo(0.2899637405992667, 12);
    expect(r.upper).toBeCloseTo(0.98073372004553, 12);
  });

  it('is undefined for a constant series and refuses short or unequal ones', () => {
    expect(spearman([1, 1, 1, 1], [1, 2, 3, 4])).toBeUndefined();
    expect(spearman([1, 2, 3], [3, 2, 1])).toEqual({ rho: -1, n: 3 });
    expect(() => spearman([1, 2], [1, 2])).toThrow(/three regions/);
    expect(() => spearman([1, 2, 3], [1, 2])).toThrow(/same length/);
  });
});

describe('trendDirection', () => {
  it('calls a fitted change of a fifth of the mean and two counts a direction', () => {
    expect(slope([1, 2, 3, 4])).toBe(1);
    expect(trendDirection([10, 12, 14, 16])).toBe('rising'); // change 6 ≥ max(2, 0.2 × 13)
    expect(trendDirection([16, 14, 12, 10])).toBe('falling');
    expect(trendDirection([20, 21, 19, 21])).toBe('stable'); // change 0.3 < 4.1
    expect(trendDirection([0, 1, 2])).toBe('rising'); // change 2 ≥ max(2, 0.2)
    expect(trendDirection([5, 6, 5])).toBe('stable');
    expect(trendDirection([5, 9])).toBe('too-short');
  });
});
