/**
 * The rolling counts part of the `IndicatorStore` contract: after random histories of upserts, corrections,
 * withdrawals and replays (every batch applied, some twice, as after a crash before the acknowledgement), every
 * catalogue read (`catalogueQueryArb`, answered from rolling counts where `rollingReadOf` routes it) must equal both
 * the independent reference and the store's own current-records path, persons and key sums included. The latter is
 * asked through an ad-hoc twin of the query (`adHocTwin`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPLOITATION, rollingReadOf, type StoreQuery } from '@mosy/core';
import { createReferenceIndicatorStore } from '../reference-indicator-store.js';
import { catalogueQueryArb, recordBatchesArb } from '../store-arbitraries.js';
import { comparableResult, type IndicatorStoreContractOptions } from './support.js';

/**
 * The same query made ad hoc, so the current records answer it: plus a filter on exploitation listing every code,
 * which keeps every record with at least one form of exploitation (every record the generators of these tests make)
 * but is a filter on a list, which rolling counts never answer.
 */
export const adHocTwin = (query: StoreQuery): StoreQuery =>
  // A query that filters on exploitation already is ad hoc.
  query.filters.exploitation !== undefined
    ? query
    : { ...query, filters: { ...query.filters, exploitation: Object.keys(EXPLOITATION) } };

export function describeRollingCounts(options: IndicatorStoreContractOptions): void {
  describe('rolling counts', () => {
    it('answer catalogue reads like the current records after random upserts, corrections, withdrawals and replays', async () => {
      await fc.assert(
        fc.asyncProperty(
          recordBatchesArb(['victim', 'suspect']),
          fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
          fc.array(catalogueQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 8 }),
          async (batches, replays, queries) => {
            const { store, close } = await options.create();
            try {
              await store.migrate();
              const reference = createReferenceIndicatorStore();
              for (const [index, batch] of batches.entries()) {
                expect(await store.apply(batch)).toEqual(await reference.apply(batch));
                if (replays[index] === true)
                  expect(await store.apply(batch)).toEqual({ applied: 0, ignored: batch.length });
              }
              for (const asked of queries) {
                const query = { ...asked, keySums: options.keySums ?? false };
                expect(rollingReadOf(adHocTwin(query))).toBeUndefined();
                const actual = comparableResult(await store.query(query));
                expect(actual).toEqual(comparableResult(await reference.query(query)));
                expect(actual).toEqual(comparableResult(await store.query(adHocTwin(query))));
              }
            } finally {
              await close();
            }
          },
        ),
        { numRuns: options.propertyRuns ?? 25 },
      );
    }, 300_000);
  });
}
