// The map's whole path on the real NUTS 2 contiguity of Portugal, Spain and France (55 regions, read at test
// time): Poisson counts over synthetic populations, turned into rates per 100 000, then Gi* and local Moran's I
// with BH at 5 %. Planted hot spots (a region and its neighbours at three times the rate) are found; with none
// planted, 20 seeded datasets flag no more than the binomial allows. Everything is seeded: the numbers are the same
// on every run.
import { describe, expect, it } from 'vitest';
import { contiguityWeights } from './contiguity.js';
import { analyseHotspots } from './hotspot-analysis.js';
import { ratePer100k } from './population.js';
import { syntheticCounts } from './test-support/counts.js';
import { nutsIdsOf, readNutsTopology } from './test-support/nuts-geo.js';
import { neighbourIds } from './weights.js';

const nuts2 = readNutsTopology(2);
const weights = contiguityWeights(nuts2, { ids: nutsIdsOf(nuts2, ['PT', 'ES', 'FR']) });
const ratesOf = ({ population, counts }: ReturnType<typeof syntheticCounts>) =>
  Object.fromEntries(weights.ids.map((id) => [id, ratePer100k(counts[id] ?? 0, population[id] ?? 1)]));

describe('analyseHotspots on rates from counts', () => {
  it('finds hot spots planted at FR10 or ES42 and their neighbours at FDR 5 %, with few false discoveries', () => {
    // Ten seeded datasets per centre. BH at q = 5 % keeps the expected share of false discoveries among the flagged
    // regions at most 5 %; pooled over the twenty datasets the bound asserted is 10 %. Measured: the centre is a Gi*
    // hot spot and a Moran High-High cluster in all 20; 5 false of 73 Gi* flags.
    let flags = 0;
    let falseFlags = 0;
    for (const centre of ['FR10', 'ES42']) {
      const planted = new Set([centre, ...neighbourIds(weights, centre)]);
      for (let seed = 1; seed <= 10; seed++) {
        const result = analyseHotspots(ratesOf(syntheticCounts(weights.ids, seed, planted)), weights, {
          seed: 3,
          // 4 999 permutations: the smallest pseudo p (2 / 5 000) lies below BH's first threshold, 0.05 / 55.
          permutations: 4999,
        });
        const focal = result.find((r) => r.id === centre);
        expect([centre, seed, focal?.gi.kind, focal?.moran.kind]).toEqual([centre, seed, 'hot', 'HH']);
        const flagged = result.filter((r) => r.gi.kind !== 'none');
        flags += flagged.length;
        falseFlags += flagged.filter((r) => !planted.has(r.id)).length;
      }
    }
    expect(flags).toBeGreaterThanOrEqual(40);
    expect(falseFlags / flags).toBeLessThanOrEqual(0.1);
  }, 60_000);

  it('is the same for the same seed and differs for another', () => {
    const rates = ratesOf(syntheticCounts(weights.ids, 9));
    const a = analyseHotspots(rates, weights, { seed: 4, permutations: 99 });
    expect(analyseHotspots(rates, weights, { seed: 4, permutations: 99 })).toEqual(a);
    expect(analyseHotspots(rates, weights, { seed: 5, permutations: 99 })).not.toEqual(a);
  });

  it('over 20 seeds with nothing planted, flags at the nominal level', () => {
    let tests = 0;
    let flagged = 0;
    let datasetsWithAFlag = 0;
    let rawSignificant = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const result = analyseHotspots(ratesOf(syntheticCounts(weights.ids, 100 + seed)), weights, { seed });
      tests += 2 * result.length;
      const here =
        result.filter((r) => r.gi.kind !== 'none').length +
        result.filter((r) => r.moran.kind !== 'none').length;
      flagged += here;
      if (here > 0) datasetsWithAFlag++;
      rawSignificant +=
        result.filter((r) => r.gi.p <= 0.05).length + result.filter((r) => r.moran.p <= 0.05).length;
    }
    expect(tests).toBe(2200);
    // With nothing planted every discovery is false, and BH at q = 5 % flags anything in a dataset with chance at
    // most 5 % per statistic, so at most 10 % per dataset for the two. Over 20 datasets the number with a flag is at
    // most Binomial(20, 0.1), for which P(X ≥ 6) = 0.011: a bound of 5 fails wrongly about once in a hundred seeds
    // sets, and these seeds are fixed. Measured: no dataset flags anything; 121 raw p ≤ 0.05 (5.5 %).
    expect(datasetsWithAFlag).toBeLessThanOrEqual(5);
    expect(flagged / tests).toBeLessThanOrEqual(0.05);
    // Raw pseudo p ≤ 0.05 holds for 5 % of tests: Binomial(2200, 0.05) has mean 110 and sd 10.2, so 0.05 ± 3 sd is
    // 79–141 (the statistics of neighbouring regions are correlated, which widens the spread a little; the bound holds).
    expect(rawSignificant).toBeGreaterThanOrEqual(79);
    expect(rawSignificant).toBeLessThanOrEqual(141);
  });
});
