/**
 * Rate ratios between kinds of place (urban against rural regions, coastal against inland): the rate of one group
 * of regions — its summed count over its summed population — divided by another's, with a 95 % confidence interval
 * from the usual Poisson approximation on the log scale, exp(ln RR ± 1.96 √(1/a + 1/b)) for counts a and b
 * (Rothman, Modern Epidemiology, ch. 14). Undefined when either group counts nothing: the ratio or its interval
 * would be 0 or infinite.
 */
import { MosyError } from '../errors.js';
import { RATE_BASE } from './population.js';

/** A group of regions: its summed count and population. */
export interface RateGroup {
  readonly count: number;
  readonly population: number;
}

export interface RateRatio {
  readonly ratio: number;
  readonly lower: number;
  readonly upper: number;
}

/** The two-sided 97.5 % quantile of the standard normal, for 95 % intervals. */
export const Z_95 = 1.959963984540054;

/** The rate of a group per 100 000, or undefined without population. */
export const groupRate = (group: RateGroup): number | undefined =>
  group.population > 0 ? (group.count * RATE_BASE) / group.population : undefined;

/** The ratio of `a`'s rate to `b`'s with a 95 % confidence interval; undefined when a count is 0. */
export function rateRatio(a: RateGroup, b: RateGroup): RateRatio | undefined {
  for (const g of [a, b]) {
    if (!(g.count >= 0) || !(g.population > 0))
      throw new MosyError(
        'invalid-request',
        `A rate ratio needs counts of at least 0 and populations above 0, got ${g.count} / ${g.population}.`,
      );
  }
  if (a.count === 0 || b.count === 0) return undefined;
  const ratio = a.count / a.population / (b.count / b.population);
  const half = Z_95 * Math.sqrt(1 / a.count + 1 / b.count);
  return { ratio, lower: ratio * Math.exp(-half), upper: ratio * Math.exp(half) };
}
