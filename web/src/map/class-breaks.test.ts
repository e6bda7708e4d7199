import { describe, expect, it } from 'vitest';
import { classBreaks, classOf, classRanges } from './class-breaks.js';

describe('class breaks', () => {
  it('cuts positive counts at their quantiles, starting at the smallest', () => {
    // 10 values: quantiles at .2 .4 .6 .8 fall at 2.8, 4.6, 6.4, 8.2 (type 7), rounded up to counts.
    expect(classBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 3, 5, 7, 9]);
  });

  it('leaves zeros and withheld values out of the breaks', () => {
    // Positive values 5 5 5 40: the quantile at .8 interpolates to 19 (5 + 0.4 × 35).
    expect(classBreaks([0, 0, 5, 5, 5, 40])).toEqual([5, 19]);
    expect(classBreaks([0, 0])).toEqual([]);
    expect(classBreaks([])).toEqual([]);
  });

  it('gives fewer classes when the values have fewer distinct levels', () => {
    expect(classBreaks([7, 7, 7, 7, 7, 7])).toEqual([7]);
    expect(classBreaks([6, 6, 6, 6, 30])).toEqual([6, 11]);
  });

  it('keeps fractional bounds for rates', () => {
    expect(classBreaks([0.5, 1.5, 2.5, 3.5], 2)).toEqual([0.5, 2]);
  });

  it('classes a value by the last bound it reaches; withheld and zero apart', () => {
    const bounds = [5, 12, 30];
    expect(classOf(5, bounds)).toBe('c0');
    expect(classOf(11, bounds)).toBe('c0');
    expect(classOf(12, bounds)).toBe('c1');
    expect(classOf(464, bounds)).toBe('c2');
    expect(classOf(null, bounds)).toBe('withheld');
    expect(classOf(0, bounds)).toBe('zero');
    expect(classOf(undefined, bounds)).toBe('zero');
    // A value under the lowest bound (another period's map, same legend) stays in the lowest class.
    expect(classOf(2, bounds)).toBe('c0');
  });

  it('describes each class as a range of counts, the top one open', () => {
    expect(classRanges([5, 12, 30])).toEqual([
      { cls: 'c0', from: 5, to: 11 },
      { cls: 'c1', from: 12, to: 29 },
      { cls: 'c2', from: 30 },
    ]);
    expect(classRanges([0.5, 2])).toEqual([
      { cls: 'c0', from: 0.5, to: 2 },
      { cls: 'c1', from: 2 },
    ]);
  });
});
