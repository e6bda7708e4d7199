/**
 * The seeded random source that the permutation tests draw from. Passed in rather than taken from `Math.random`,
 * so that the same seed gives the same pseudo p-values on every platform and a published map can be reproduced.
 */

/** A source of floats in [0, 1). */
export type RandomSource = () => number;

/** mulberry32 seeded from a 32-bit integer: small, fast, period 2^32, ample for permutation tests. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
