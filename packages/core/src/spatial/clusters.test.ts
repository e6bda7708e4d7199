// Hot spots and Moran clusters on the real NUTS 2 contiguity of Portugal, Spain and France (55 regions, read at
// test time): planted hot spots are found at a 5 % false-discovery rate and nothing outside them is flagged; with
// no planted pattern, 20 seeded datasets flag no more than the nominal share of regions. Every run is seeded, so
// the numbers below are the same on every machine and run: the bounds cannot flake.
import { describe, expect, it } from 'vitest';
import { classifyHotspots, classifyMoranClusters } from './clusters.js';
import { contiguityWeights } from './contiguity.js';
import { localGetisOrdStar } from './getis-ord.js';
import { localMoran } from './local-moran.js';
import { seededRandom } from './random.js';
import { nutsIdsOf, readNutsTopology } from './test-support/nuts-geo.js';
import { syntheticRates } from './test-support/rates.js';
import { neighbourIds } from './weights.js';

const nuts2 = readNutsTopology(2);
const weights = contiguityWeights(nuts2, { ids: nutsIdsOf(nuts2, ['PT', 'ES', 'FR']) });

describe('planted hot spots', () => {
  // A hot spot is a region and all its neighbours with doubled rates: Île-de-France (FR10, 5 neighbours) and
  // Castilla-La Mancha (ES42, 7 neighbours), each planted alone in a dataset of its own.
  for (const centre of ['FR10', 'ES42']) {
    it(`${centre} and its neighbours: the centre is a hot spot and a High-High cluster at FDR 5 %, nothing outside is flagged`, () => {
      const planted = new Set([centre, ...neighbourIds(weights, centre)]);
      const rates = syntheticRates(weights.ids, 1, planted);
      // 9 999 permutations: with 55 tests, BH's smallest threshold is 0.05 / 55 ≈ 0.0009, below 999's floor of 0.002.
      const options = { permutations: 9999 };
      const hotspots = classifyHotspots(
        localGetisOrdStar(rates, weights, { ...options, random: seededRandom(11) }),
      );
      const clusters = classifyMoranClusters(
        localMoran(rates, weights, { ...options, random: seededRandom(12) }),
      );

      expect(hotspots.find((h) => h.id === centre)?.kind).toBe('hot');
      expect(clusters.find((c) => c.id === centre)?.kind).toBe('HH');
      const flagged = [...hotspots, ...clusters].filter((r) => r.kind !== 'none');
      expect(flagged.filter((r) => !planted.has(r.id))).toEqual([]);
      expect(hotspots.filter((h) => h.kind === 'cold')).toEqual([]);
    });
  }
});

describe('no planted pattern', () => {
  it('over 20 seeds, FDR 5 % flags at most 5 % of regions, and raw p ≤ 0.05 holds for 2–7 % of them', () => {
    let tests = 0;
    let flaggedG = 0;
    let flaggedMoran = 0;
    let rawG = 0;
    let rawMoran = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rates = syntheticRates(weights.ids, seed);
      const g = localGetisOrdStar(rates, weights, { random: seededRandom(1000 + seed) });
      const moran = localMoran(rates, weights, { random: seededRandom(2000 + seed) });
      tests += weights.ids.length;
      flaggedG += classifyHotspots(g).filter((h) => h.kind !== 'none').length;
      flaggedMoran += classifyMoranClusters(moran).filter((c) => c.kind !== 'none').length;
      rawG += g.filter((r) => r.pValue <= 0.05).length;
      rawMoran += moran.filter((r) => r.pValue <= 0.05).length;
    }
    // With no pattern every discovery is false, so BH's guarantee (FDR ≤ q) bounds the chance that a dataset
    // flags anything at all by 5 %, and the flagged share of regions far below it. Measured: 0 of 1 100 for both.
    expect(tests).toBe(1100);
    expect(flaggedG / tests).toBeLessThanOrEqual(0.05);
    expect(flaggedMoran / tests).toBeLessThanOrEqual(0.05);
    // The pseudo p-values themselves are calibrated: about 5 % fall at or below 0.05 (the bounds are 0.05 ± 3
    // binomial standard deviations of 1 100 tests, rounded). Measured: 41 (3.7 %) for Gi*, 42 (3.8 %) for Moran.
    for (const raw of [rawG, rawMoran]) {
      expect(raw / tests).toBeGreaterThanOrEqual(0.02);
      expect(raw / tests).toBeLessThanOrEqual(0.07);
    }
  });
});
