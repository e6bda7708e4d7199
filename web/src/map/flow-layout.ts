/**
 * The flow view's lines: one curve per published origin → destination cell between the two places' label points,
 * as thick as the count (its square root, so area reads as amount), the largest drawn first so thin lines stay
 * visible on top. Withheld flows are drawn as thin dashed lines, never as nothing (nothing would read as zero);
 * zeros are not drawn. Each curve bends to its right, so A → B and B → A do not overlap. Cells whose ends cannot be
 * placed (unknown codes, regions coded only to a coarser level) are returned apart, for the table.
 */

export type Point = readonly [number, number];

export interface FlowCell {
  readonly origin: string;
  readonly destination: string;
  /** As published: null when withheld. */
  readonly value: number | null;
}

export interface FlowLine extends FlowCell {
  readonly from: Point;
  readonly to: Point;
  readonly width: number;
  /** SVG path data of the curve. */
  readonly d: string;
}

export interface FlowLayoutOptions {
  /** Width of the largest flow. @defaultValue 14 */
  readonly maxWidth?: number;
  /** Width of the smallest published flow, and of withheld ones. @defaultValue 1.5 */
  readonly minWidth?: number;
  /** How far the curve's middle leaves the straight line, as a share of its length. @defaultValue 0.18 */
  readonly bend?: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** A quadratic curve from `a` to `b` whose control point lies to the right of the direction of travel. */
export function curve(a: Point, b: Point, bend: number): string {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  // The right-hand normal in screen coordinates (y down) of (dx, dy) is (-dy, dx).
  const control: Point = [(a[0] + b[0]) / 2 - dy * bend, (a[1] + b[1]) / 2 + dx * bend];
  return `M${round(a[0])},${round(a[1])}Q${round(control[0])},${round(control[1])} ${round(b[0])},${round(b[1])}`;
}

export function layoutFlows<C extends FlowCell>(
  cells: readonly C[],
  locate: (code: string, end: 'origin' | 'destination') => Point | undefined,
  options: FlowLayoutOptions = {},
): { lines: (C & FlowLine)[]; unplaced: C[] } {
  const { maxWidth = 14, minWidth = 1.5, bend = 0.18 } = options;
  const placed: { cell: C; from: Point; to: Point }[] = [];
  const unplaced: C[] = [];
  for (const cell of cells) {
    if (cell.value === 0) continue;
    const from = locate(cell.origin, 'origin');
    const to = locate(cell.destination, 'destination');
    if (from === undefined || to === undefined || (from[0] === to[0] && from[1] === to[1]))
      unplaced.push(cell);
    else placed.push({ cell, from, to });
  }
  // The thickest line is the largest flow drawn.
  const largest = Math.max(0, ...placed.map(({ cell }) => cell.value ?? 0));
  const lines = placed.map(({ cell, from, to }): C & FlowLine => {
    const width =
      cell.value === null || largest === 0
        ? minWidth
        : minWidth + (maxWidth - minWidth) * Math.sqrt(cell.value / largest);
    return { ...cell, from, to, width: round(width), d: curve(from, to, bend) };
  });
  // Withheld underneath, then from the largest to the smallest; ties in a fixed order.
  lines.sort(
    (a, b) =>
      (a.value === null ? -1 : 0) - (b.value === null ? -1 : 0) ||
      (b.value ?? 0) - (a.value ?? 0) ||
      (a.origin + a.destination < b.origin + b.destination ? -1 : 1),
  );
  return { lines, unplaced };
}
