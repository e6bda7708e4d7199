import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { auditSystem, nearestPublished, pinnedEntries } from './linked-audit.js';

const byIndex = (a: number, b: number): number => a - b;
const flags = (...withheld: number[]): Uint8Array => Uint8Array.from(withheld);

describe('auditSystem', () => {
  it('takes a line as additive exactly when its true counts add up', () => {
    // 0 = 1 + 2 (additive); 3 ≤ 1 + 2 (distinct persons counted in both cells).
    const system = auditSystem(
      [5, 2, 3, 4],
      [
        { margin: 0, cells: [1, 2] },
        { margin: 3, cells: [1, 2] },
      ],
    );
    expect(system.lines.map((l) => l.additive)).toEqual([true, false]);
    expect(system.linesOf).toEqual([[0], [0, 1], [0, 1], [1]]);
  });
});

describe('pinnedEntries', () => {
  it('finds withheld entries fixed by a chain of lines, and no others', () => {
    // Two lines share entry 2: 0 = 1 + 2 with 0 published as 2 and both cells withheld (each at least 1, so
    // each exactly 1); then 3 = 2 + 4 with 3 published as 4 gives 4 = 3.
    const values = [2, 1, 1, 4, 3];
    const system = auditSystem(values, [
      { margin: 0, cells: [1, 2] },
      { margin: 3, cells: [2, 4] },
    ]);
    expect(pinnedEntries(system, flags(0, 1, 1, 0, 1))).toEqual([1, 2, 4]);
    // With the margin of the first line withheld too, nothing above bounds the cells: nothing is pinned.
    expect(pinnedEntries(system, flags(1, 1, 1, 0, 1))).toEqual([]);
  });

  it('refuses a withheld zero, which would make the bounds cross', () => {
    const system = auditSystem([1, 1, 0], [{ margin: 0, cells: [1, 2] }]);
    expect(() => pinnedEntries(system, flags(0, 1, 1))).toThrow(MosyError);
  });

  it('bounds a distinct-person line only by its largest and its sum', () => {
    // 2 persons in cells of 1 and 2 (one person in both): 2 ≤ 1 + 2, so the cells stay open.
    const system = auditSystem([2, 1, 2], [{ margin: 0, cells: [1, 2] }]);
    expect(system.lines[0]!.additive).toBe(false);
    expect(pinnedEntries(system, flags(0, 1, 1))).toEqual([]);
    // The margin withheld between published cells of 1 and 2 lies in [2, 3].
    expect(pinnedEntries(system, flags(1, 0, 0))).toEqual([]);
  });

  it('reaches the fixed point through unbounded entries (no subtraction of infinities)', () => {
    // 0 = 1 + 2 + 3, all withheld but 3: the cells are unbounded above, the margin is at least 2 + 3.
    const system = auditSystem([7, 1, 3, 3], [{ margin: 0, cells: [1, 2, 3] }]);
    expect(pinnedEntries(system, flags(1, 1, 1, 0))).toEqual([]);
    expect(pinnedEntries(system, flags(0, 1, 1, 0))).toEqual([]);
    expect(pinnedEntries(system, flags(0, 1, 0, 0))).toEqual([1]);
  });
});

describe('nearestPublished', () => {
  it('picks the smallest published non-zero entry on the closest line, zeros never', () => {
    // 0 = 1 + 2 + 3 (3 is a published zero), 4 = 2 + 5, 6 = 5 + 7.
    const values = [9, 4, 5, 0, 8, 3, 10, 7];
    const system = auditSystem(values, [
      { margin: 0, cells: [1, 2, 3] },
      { margin: 4, cells: [2, 5] },
      { margin: 6, cells: [5, 7] },
    ]);
    expect(nearestPublished(system, flags(0, 1, 1, 0, 0, 1, 0, 0), 1, byIndex)).toBe(0);
    // With 0 withheld, entry 1's next ring is the lines of 2: 4 (8) is the only published one.
    expect(nearestPublished(system, flags(1, 1, 1, 0, 0, 1, 0, 0), 1, byIndex)).toBe(4);
    // Beyond 4 (withheld now), 7 is smaller than 6.
    expect(nearestPublished(system, flags(1, 1, 1, 0, 1, 1, 0, 0), 5, byIndex)).toBe(7);
  });

  it('breaks ties between equal values by the given order', () => {
    const system = auditSystem([4, 2, 2], [{ margin: 0, cells: [1, 2] }]);
    expect(nearestPublished(system, flags(1, 0, 0), 0, byIndex)).toBe(1);
    expect(nearestPublished(system, flags(1, 0, 0), 0, (a, b) => b - a)).toBe(2);
  });

  it('fails when nothing is published near the entry', () => {
    const system = auditSystem([3, 3, 0], [{ margin: 0, cells: [1, 2] }]);
    expect(() => nearestPublished(system, flags(1, 1, 0), 1, byIndex)).toThrow(MosyError);
  });
});
