/**
 * The direction of a short series of counts (a corridor's counts per period) for a map's flow view: the least
 * squares slope over the period index, called rising or falling when the fitted change over the whole series is
 * at least a fifth of the series' mean and at least two counts (so the ±2 of the cell key method alone cannot turn
 * a flat corridor), else stable. Too short a series (under three periods) has no direction.
 */

export type TrendDirection = 'rising' | 'falling' | 'stable' | 'too-short';

/** The share of the mean the fitted change must reach to count as a direction. */
export const TREND_MIN_RELATIVE_CHANGE = 0.2;
/** The fitted change, in counts, below which a series is stable whatever its mean. */
export const TREND_MIN_ABSOLUTE_CHANGE = 2;

/** The least squares slope of values over 0, 1, 2, … */
export function slope(values: readonly number[]): number {
  const n = values.length;
  const mx = (n - 1) / 2;
  const my = values.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  values.forEach((v, x) => {
    sxy += (x - mx) * (v - my);
    sxx += (x - mx) ** 2;
  });
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The direction of a series of counts in period order. */
export function trendDirection(values: readonly number[]): TrendDirection {
  if (values.length < 3) return 'too-short';
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const change = slope(values) * (values.length - 1);
  if (Math.abs(change) < Math.max(TREND_MIN_ABSOLUTE_CHANGE, TREND_MIN_RELATIVE_CHANGE * mean))
    return 'stable';
  return change > 0 ? 'rising' : 'falling';
}
