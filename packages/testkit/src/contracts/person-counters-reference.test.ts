/**
 * Person counters (core) against rolling counts and the reference store, with no database: after random histories,
 * every catalogue read `personCountersReadOf` routes to counters gives, from the counters of the state
 * (`personCountersResultOf`), exactly what distinct references give (`rollingResultOf`) and what the current
 * records give; the reads it does not route include every one with a provider filter or breakdown, a NUTS level, a
 * filter on several codes, or a frame of no single period.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createRollingReference,
  personCountersReadOf,
  personCountersResultOf,
  rollingReadOf,
  rollingResultOf,
} from '@mosy/core';
import { createReferenceIndicatorStore } from './reference-indicator-store.js';
import { catalogueQueryArb, recordBatchesArb } from './store-arbitraries.js';

describe('person counters (core) against rolling counts and the reference store', () => {
  it('answer the catalogue reads they are routed like distinct references and the current records', async () => {
    const routed = { month: 0, quarter: 0, year: 0, all: 0 };
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        recordBatchesArb(['victim', 'suspect']),
        fc.array(catalogueQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (batches, queries, keySums) => {
          const rolling = createRollingReference();
          const reference = createReferenceIndicatorStore();
          for (const batch of batches) {
            rolling.apply(batch);
            await reference.apply(batch);
          }
          const state = rolling.state();
          for (const asked of queries) {
            const query = { ...asked, keySums };
            const read = rollingReadOf(query);
            if (read === undefined) continue;
            const counted = personCountersReadOf(query, read);
            if (counted === undefined) continue;
            routed[counted.cells.grain]++;
            const actual = personCountersResultOf(query, read, counted, state);
            expect(actual).toEqual(rollingResultOf(query, read, state));
            const expected = await reference.query(query);
            expect(actual.total).toBe(expected.total);
            expect(actual.cells.length).toBe(expected.cells.length);
            if (expected.total > 0) nonEmpty++;
          }
        },
      ),
      { numRuns: 300 },
    );
    for (const count of Object.values(routed)) expect(count).toBeGreaterThan(5);
    expect(nonEmpty).toBeGreaterThan(20);
  }, 120_000);
});
