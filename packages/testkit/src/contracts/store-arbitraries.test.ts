/**
 * Guards the generators the contract suites draw from. A property over random histories proves little if most of its
 * queries count nothing, or if catalogue reads seldom reach rolling counts; the suites assert exact answers, these
 * bounds keep their inputs meaningful. Drawn on a fixed seed, so the guard is a fact about the generators and cannot
 * fail at random (the suites themselves stay random).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { personCountersReadOf, rollingReadOf, type StoreQuery } from '@mosy/core';
import { createReferenceIndicatorStore } from './reference-indicator-store.js';
import { catalogueQueryArb, recordBatchesArb, storeQueryArb } from './store-arbitraries.js';

const SAMPLES = 300;

/**
 * Over `SAMPLES` random histories with their queries: how many queries there were, were routed to rolling counts,
 * were routed on to person counters (per grain of their cells), counted something.
 */
async function tally(queries: fc.Arbitrary<StoreQuery[]>) {
  const drawn = fc.sample(fc.tuple(recordBatchesArb(['victim', 'suspect']), queries), {
    seed: 14,
    numRuns: SAMPLES,
  });
  let asked = 0;
  let routed = 0;
  let nonEmpty = 0;
  const counters = { month: 0, quarter: 0, year: 0, all: 0 };
  for (const [batches, list] of drawn) {
    const reference = createReferenceIndicatorStore();
    for (const batch of batches) await reference.apply(batch);
    for (const query of list) {
      asked++;
      const read = rollingReadOf(query);
      if (read !== undefined) {
        routed++;
        const counted = personCountersReadOf(query, read);
        if (counted !== undefined) counters[counted.cells.grain]++;
      }
      if ((await reference.query(query)).total > 0) nonEmpty++;
    }
  }
  return { asked, routed, nonEmpty, counters };
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

  it('draw catalogue reads that person counters answer, in every grain', async () => {
    // The draws of person-counters-reference.test.ts (ten reads a history): each grain's route is exercised there.
    const { counters } = await tally(
      fc.array(catalogueQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 10 }),
    );
    for (const count of Object.values(counters)) expect(count).toBeGreaterThan(5);
  }, 60_000);

  it('draw ad-hoc queries, most of them counting something', async () => {
    const { asked, nonEmpty } = await tally(
      fc.array(storeQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 4 }),
    );
    expect(nonEmpty / asked).toBeGreaterThan(0.3);
  }, 60_000);
});
