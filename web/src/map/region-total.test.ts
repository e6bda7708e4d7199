import { describe, expect, it } from 'vitest';
import { regionTotal } from './region-total.js';

const margins: { key: Record<string, string>; value: number | null }[] = [
  { key: { regionOfIdentification: 'PT11' }, value: 41 },
  { key: { regionOfIdentification: 'PT16' }, value: null },
  { key: { sex: 'F' }, value: 30 },
  { key: { regionOfIdentification: 'PT17', sex: 'F' }, value: 12 },
];

describe("a region's total in its breakdown", () => {
  it('is the region’s margin as published', () => {
    expect(regionTotal(margins, 'regionOfIdentification', 'PT11', 40)).toBe(41);
  });

  it('stays withheld when the margin is withheld, whatever the map shows', () => {
    expect(regionTotal(margins, 'regionOfIdentification', 'PT16')).toBeNull();
    expect(regionTotal(margins, 'regionOfIdentification', 'PT16', 3)).toBeNull();
  });

  it("falls back to the region's count on the map only when there is no margin, and to 0 without either", () => {
    expect(regionTotal(margins, 'regionOfIdentification', 'PT17', 12)).toBe(12);
    expect(regionTotal(margins, 'regionOfIdentification', 'PT17', null)).toBeNull();
    expect(regionTotal(margins, 'regionOfIdentification', 'PT17')).toBe(0);
    expect(regionTotal(margins, 'regionOfExploitation', 'PT11')).toBe(0);
  });
});
