import { describe, expect, it } from 'vitest';
import { sumLag } from './lag.js';

const watermarks = [
  { partition: 0, low: '0', high: '10' },
  { partition: 1, low: '5', high: '8' },
  { partition: 2, low: '100', high: '130' },
];

describe('sumLag', () => {
  it('sums high watermark minus committed offset over partitions', () => {
    expect(
      sumLag(
        watermarks,
        new Map([
          [0, '4'],
          [1, '8'],
          [2, '110'],
        ]),
      ),
    ).toBe(6 + 0 + 20);
  });

  it('counts a partition without a commit from its low watermark', () => {
    expect(sumLag(watermarks, new Map([[0, '-1']]))).toBe(10 + 3 + 30);
    expect(sumLag(watermarks, new Map())).toBe(43);
  });

  it('counts a commit below the low watermark (deleted by retention) from the low watermark', () => {
    expect(
      sumLag(
        watermarks,
        new Map([
          [0, '10'],
          [1, '8'],
          [2, '40'],
        ]),
      ),
    ).toBe(30);
  });

  it('is 0 for an empty topic', () => {
    expect(sumLag([{ partition: 0, low: '0', high: '0' }], new Map())).toBe(0);
  });
});
