import { describe, expect, it } from 'vitest';
import { linkQuality } from './pair-metrics.js';

describe('linkQuality', () => {
  it('counts links as pairs of records in one group', () => {
    // Truth: {0,1,2} {3}; found: {0,1} {2,3}. True pairs 3, found 2, both 1.
    const q = linkQuality(['a', 'a', 'a', 'b'], ['x', 'x', 'y', 'y']);
    expect(q.precision).toBeCloseTo(1 / 2);
    expect(q.recall).toBeCloseTo(1 / 3);
    expect(q.f1).toBeCloseTo(0.4);
    expect([q.groups, q.persons, q.personTotalError]).toEqual([2, 2, 0]);
    expect(linkQuality(['a', 'b'], ['x', 'x']).personTotalError).toBe(-0.5);
  });
});
