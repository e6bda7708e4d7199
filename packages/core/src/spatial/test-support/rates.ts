/**
 * Test support (not built): seeded synthetic rates per region — about 3 per 100 000 with a 20 % spread, drawn
 * independently for each region (no spatial pattern), optionally doubled in chosen regions to plant a hot spot.
 */
import { seededRandom } from '../random.js';

/** Rates for `ids` from `seed`; regions in `raised` get twice the rate. */
export function syntheticRates(
  ids: readonly string[],
  seed: number,
  raised: ReadonlySet<string> = new Set(),
): Record<string, number> {
  const random = seededRandom(seed);
  // Box–Muller: one standard normal draw from two uniforms (1 − u keeps the logarithm finite).
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Object.fromEntries(
    ids.map((id) => [id, Math.max(0, 3 + 0.6 * normal()) * (raised.has(id) ? 2 : 1)]),
  );
}
