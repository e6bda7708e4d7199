/**
 * Test support (not built): seeded synthetic populations and Poisson counts per region — each region between
 * 200 000 and 3 000 000 inhabitants, counts drawn with a rate of 3 per 100 000, multiplied by `factor` in chosen
 * regions to plant a hot spot — so the whole path from counts to rates to hot spots is exercised as the endpoint
 * runs it.
 */
import { seededRandom } from '../random.js';
import type { RandomSource } from '../random.js';

/** A Poisson draw by inversion of the cumulative distribution (fine for means up to a few hundred). */
export function poisson(random: RandomSource, mean: number): number {
  const u = random();
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  while (u > cumulative && k < 10_000) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/** Populations and counts for `ids` from `seed`; regions in `raised` get `factor` times the rate. */
export function syntheticCounts(
  ids: readonly string[],
  seed: number,
  raised: ReadonlySet<string> = new Set(),
  factor = 3,
): { population: Record<string, number>; counts: Record<string, number> } {
  const random = seededRandom(seed);
  const population: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const id of ids) {
    const inhabitants = Math.round(200_000 + random() * 2_800_000);
    population[id] = inhabitants;
    counts[id] = poisson(random, (inhabitants * 3 * (raised.has(id) ? factor : 1)) / 100_000);
  }
  return { population, counts };
}
