/**
 * Guards the generators the contract suites draw from. A property over random histories proves little if most of its
 * queries count nothing, or if catalogue reads seldom reach rolling counts; the suites assert exact answers, these
 * bounds keep their inputs meaningful. Drawn on a fixed seed, so the guard is a fact about the generators and cannot
 * fail at random (the suites themselves stay random).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rollingReadOf, type StoreQuery } from '@mosy/core';
import { createReferenceIndicatorStore } from './reference-indicator-store.js';
import { catalogueQueryArb, recordBatchesArb, storeQueryArb } from './store-arbitraries.js';

const SAMPLES = 300;

/** Over `SAMPLES` random histories with their queries: how many queries there were, were routed, counted something. */
async function tally(queries: fc.Arbitrary<StoreQuery[]>) {
  const drawn = fc.sample(fc.tuple(recordBatchesArb(['victim', 'suspect']), queries), {
    seed: 14,
    numRuns: SAMPLES,
  });
  let asked = 0;
  let routed = 0;
  let nonEmpty = 0;
  for (const [batches, list] of drawn) {
    const reference = createReferenceIndicatorStore();
    for (const batch of batches) await reference.apply(batch);
    for (const query of list) {
      asked++;
      if (rollingReadOf(query) !== undefined) routed++;
      if ((await reference.query(query)).total > 0) nonEmpty++;
    }
  }
  return { asked, routed, nonEmpty };
}

describe('the generators of the store contract suites', () => {
  it('draw catalogue reads that rolling counts mostly answer, many of them counting something', async () => {
    const { asked, routed, nonEmpty } = await tally(
      fc.array(catalogueQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 8 }),
    );
    // Some are not catalogue reads (a time frame cutting a month): the current records answer those.
    expect(routed / asked).toBeGreaterThan(0.75);
    expect(nonEmpty / asked).toBeGreaterThan(0.4);
  }, 60_000);

  it('draw ad-hoc queries, most of them counting something', async () => {
    const { asked, nonEmpty } = await tally(
      fc.array(storeQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 4 }),
    );
    expect(nonEmpty / asked).toBeGreaterThan(0.3);
  }, 60_000);
});
