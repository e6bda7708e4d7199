import { describe, expect, it } from 'vitest';
import { protectResult, type KeyedResult } from '@mosy/core';
import { protectOnce } from './protect-once.js';

const result: KeyedResult = {
  cells: [
    { key: { sex: 'F' }, value: 12, keySum: 123_456 },
    { key: { sex: 'M' }, value: 3, keySum: 654_321 },
  ],
  total: 15,
  totalKeySum: 777_777,
};

describe('protectOnce', () => {
  it('protects a result once per mode and threshold, as protectResult does', () => {
    const perturbed = protectOnce(result, 'perturb', 5);
    expect(perturbed).toEqual(protectResult(result, 'perturb', { threshold: 5 }));
    expect(protectOnce(result, 'perturb', 5)).toBe(perturbed);
    const suppressed = protectOnce(result, 'suppress', 5);
    expect(suppressed).toEqual(protectResult(result, 'suppress', { threshold: 5 }));
    expect(suppressed.cells[1]?.value).toBeNull();
    expect(protectOnce(result, 'suppress', 2)).toEqual(protectResult(result, 'suppress', { threshold: 2 }));
    expect(protectOnce(result, 'suppress', 2).cells[1]?.value).toBe(3);
    expect(protectOnce(result, 'suppress', 5)).toBe(suppressed);
  });

  it('protects another result object anew, even with the same numbers', () => {
    const first = protectOnce(result, 'none', 5);
    const copy = structuredClone(result);
    expect(protectOnce(copy, 'none', 5)).not.toBe(first);
    expect(protectOnce(copy, 'none', 5)).toEqual(first);
  });
});
