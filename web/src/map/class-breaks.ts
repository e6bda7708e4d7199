/**
 * The choropleth's classes: up to five classes of the published positive values, cut at their quantiles (so each
 * class holds about as many regions), plus two that are never mixed with them: `zero` (nothing counted) and
 * `withheld` (published as fewer than the threshold, drawn hatched, never as zero). Classes are named by the lower
 * bound each starts at, which the legend shows and reports (`data-breaks`), so anyone can recompute a region's
 * class from its number.
 */
import { quantileSorted } from 'd3-array';

export const CLASS_COUNT = 5;

/** `c0` … `c4` for published positive values, from the lowest class up. */
export type ValueClass = `c${number}`;
export type RegionClass = ValueClass | 'zero' | 'withheld';

/**
 * The lower bound of each class, ascending and distinct: the smallest value, then the quantiles at 1/k … (k-1)/k.
 * Whole numbers when every value is whole (counts), so a bound is a count a region can have. Fewer classes when the
 * values have fewer distinct levels; none without a positive value.
 */
export function classBreaks(values: readonly number[], classes: number = CLASS_COUNT): number[] {
  const sorted = values.filter((v) => v > 0 && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const whole = sorted.every(Number.isInteger);
  const bounds = [sorted[0]!];
  for (let j = 1; j < classes; j++) {
    const q = quantileSorted(sorted, j / classes)!;
    // Less a hair, so 19.000000000000004 (floating-point noise of an interpolated 19) is 19.
    const bound = whole ? Math.ceil(q - 1e-9) : q;
    // A bound above the largest value would name an empty class.
    if (bound > bounds[bounds.length - 1]! && bound <= sorted[sorted.length - 1]!) bounds.push(bound);
  }
  return bounds;
}

/** The class of a published value: `withheld` for null, `zero` for 0 or no cell, else the last class it reaches. */
export function classOf(value: number | null | undefined, bounds: readonly number[]): RegionClass {
  if (value === null) return 'withheld';
  if (value === undefined || value <= 0) return 'zero';
  let index = 0;
  bounds.forEach((bound, i) => {
    if (value >= bound) index = i;
  });
  return `c${index}`;
}

/** Each class's range for the legend: `[from, to]`, `to` undefined for the open top class. */
export function classRanges(bounds: readonly number[]): { cls: ValueClass; from: number; to?: number }[] {
  const whole = bounds.every(Number.isInteger);
  return bounds.map((from, i) => {
    const next = bounds[i + 1];
    return next === undefined ? { cls: `c${i}`, from } : { cls: `c${i}`, from, to: whole ? next - 1 : next };
  });
}
