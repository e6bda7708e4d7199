import { describe, expect, it } from 'vitest';
import { curve, layoutFlows, type Point } from './flow-layout.js';

const PLACES: Record<string, Point> = { NG: [0, 100], RO: [100, 0], PT11: [0, 0], PT15: [0, 50] };
const locate = (code: string): Point | undefined => PLACES[code];

describe('flow layout', () => {
  it('draws published flows as thick as the square root of their share of the largest, largest first', () => {
    const { lines, unplaced } = layoutFlows(
      [
        { origin: 'RO', destination: 'PT11', value: 25 },
        { origin: 'NG', destination: 'PT11', value: 100 },
        { origin: 'NG', destination: 'PT15', value: 9 },
      ],
      locate,
      { maxWidth: 11, minWidth: 1, bend: 0 },
    );
    expect(unplaced).toEqual([]);
    expect(lines.map((l) => [l.origin, l.destination, l.value, l.width])).toEqual([
      ['NG', 'PT11', 100, 11],
      ['RO', 'PT11', 25, 6], // 1 + 10 × √0.25
      ['NG', 'PT15', 9, 4], // 1 + 10 × √0.09
    ]);
    expect(lines[0]).toMatchObject({ from: [0, 100], to: [0, 0], d: 'M0,100Q0,50 0,0' });
  });

  it('draws withheld flows thin and underneath, skips zeros, and returns the ends it cannot place', () => {
    const { lines, unplaced } = layoutFlows(
      [
        { origin: 'NG', destination: 'PT11', value: 40 },
        { origin: 'RO', destination: 'PT15', value: null },
        { origin: 'RO', destination: 'PT11', value: 0 },
        { origin: 'UNK', destination: 'PT11', value: 12 },
        { origin: 'NG', destination: 'PT1', value: null },
        { origin: 'PT11', destination: 'PT11', value: 7 },
      ],
      locate,
      { minWidth: 1.5 },
    );
    expect(lines.map((l) => [l.origin, l.destination, l.value, l.width])).toEqual([
      ['RO', 'PT15', null, 1.5],
      ['NG', 'PT11', 40, 14],
    ]);
    expect(unplaced.map((c) => `${c.origin}>${c.destination}`)).toEqual(['UNK>PT11', 'NG>PT1', 'PT11>PT11']);
  });

  it('bends each curve to the right of its direction, so opposite flows do not overlap', () => {
    // Eastwards along y = 0 (screen y grows downwards): the right-hand side is +y.
    expect(curve([0, 0], [100, 0], 0.2)).toBe('M0,0Q50,20 100,0');
    expect(curve([100, 0], [0, 0], 0.2)).toBe('M100,0Q50,-20 0,0');
  });
});
