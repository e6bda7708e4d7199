/**
 * Person counters (core) against rolling counts and the reference store, with no database: after random histories,
 * every catalogue read `personCountersReadOf` routes to counters gives, from the counters of the state
 * (`personCountersResultOf`), exactly what distinct references give (`rollingResultOf`) and what the current
 * records give; the reads it does not route include every one with a provider filter or breakdown, a NUTS level, a
 * filter on several codes, or a frame of no single period. That the draws reach counters of every grain is guarded
 * on a fixed seed (`store-arbitraries.test.ts`): counted here, over unseeded draws, it failed at random (the yearly
 * and all-time routes come ~11 times in 300 runs, and 5 or fewer in about one run in twenty).
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
            const actual = personCountersResultOf(query, read, counted, state);
            expect(actual).toEqual(rollingResultOf(query, read, state));
            const expected = await reference.query(query);
            expect(actual.total).toBe(expected.total);
            expect(actual.cells.length).toBe(expected.cells.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
