/**
 * The core of rolling counts against the independent reference store, with no database: random histories folded
 * into `createRollingReference` (finest cells and person references), catalogue reads routed by `rollingReadOf` and
 * rolled up by `rollingResultOf`, and the same queries answered from the current records by
 * `createReferenceIndicatorStore`. The stores run the SQL twin of this in the contract's `rolling-counts` part.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRollingReference, rollingReadOf, rollingResultOf } from '@mosy/core';
import { createReferenceIndicatorStore } from './reference-indicator-store.js';
import { catalogueQueryArb, recordBatchesArb } from './store-arbitraries.js';
import { sortCells } from './indicator-store/support.js';

describe('rolling counts (core) against the reference store', () => {
  it('answer catalogue reads like the current records after random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordBatchesArb(['victim', 'suspect']),
        fc.array(catalogueQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (batches, queries, keySums) => {
          const rolling = createRollingReference();
          const reference = createReferenceIndicatorStore();
          for (const batch of batches) {
            expect(rolling.apply(batch).applied).toBe((await reference.apply(batch)).applied);
          }
          const state = rolling.state();
          for (const asked of queries) {
            const query = { ...asked, keySums };
            const read = rollingReadOf(query);
            if (read === undefined) continue;
            const actual = rollingResultOf(query, read, state);
            const expected = await reference.query(query);
            expect({ ...actual, cells: sortCells(actual.cells) }).toEqual({
              ...expected,
              cells: sortCells(expected.cells),
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});
