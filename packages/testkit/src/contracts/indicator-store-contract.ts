/**
 * The contract every `IndicatorStore` adapter passes (contract §4 and `query/model.ts`), run by each adapter's
 * tests in a few lines: `runIndicatorStoreContract({ create })`. Each test gets a fresh, migrated store. The
 * expectations are computed by hand from the records each test writes; a final randomized test compares the store
 * with the independent in-memory reference (`createReferenceIndicatorStore`) on random histories and queries. The
 * parts, one file each in `indicator-store/`, are called here in order on the store of the running test.
 *
 * Apply outcomes: a batch is reduced to one record per (provider, recordId), the highest version (the first of
 * equal ones); a kept record that is newer than the stored one is `applied`, every other record of the batch is
 * `ignored` (so `applied + ignored` is the batch size).
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { describeCountingRules } from './indicator-store/counting-rules.js';
import { describeFilters } from './indicator-store/filters.js';
import { describeGeography } from './indicator-store/geography.js';
import { describeKeySums } from './indicator-store/key-sums.js';
import { describePersonsAndLists } from './indicator-store/persons-and-lists.js';
import { describeReferenceComparison } from './indicator-store/reference-comparison.js';
import { describeRollingCounts } from './indicator-store/rolling-counts.js';
import { describeSchema } from './indicator-store/schema.js';
import { storeUnderTest, type IndicatorStoreContractOptions } from './indicator-store/support.js';
import { describeTimeBuckets } from './indicator-store/time-buckets.js';
import { describeTimeliness } from './indicator-store/timeliness.js';

export { comparableResult, sortCells } from './indicator-store/support.js';
export type { IndicatorStoreContractOptions } from './indicator-store/support.js';

export function runIndicatorStoreContract(options: IndicatorStoreContractOptions): void {
  describe('IndicatorStore contract', () => {
    let store: IndicatorStore;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ store, close } = await options.create());
      await store.migrate();
    });
    afterEach(async () => {
      await close();
    });

    const subject = storeUnderTest(() => store);
    describeSchema(subject);
    describeCountingRules(subject);
    describePersonsAndLists(subject);
    describeFilters(subject);
    describeGeography(subject);
    describeTimeBuckets(subject);
    describeKeySums(subject, options);
    describeTimeliness(subject, options);
    describeReferenceComparison(options);
    describeRollingCounts(options);
  });
}
