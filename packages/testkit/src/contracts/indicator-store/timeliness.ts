/**
 * Timeliness in the `IndicatorStore` contract, checked for stores that answer the optional `timeliness`: per
 * provider and kind, the lags from the end of each current record's reference period to its arrival.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { buildNormalizedRecord as rec } from '../../builders.js';
import type { IndicatorStoreContractOptions, StoreUnderTest } from './support.js';

export function describeTimeliness(subject: StoreUnderTest, options: IndicatorStoreContractOptions): void {
  describe.runIf(options.timeliness ?? false)('timeliness', () => {
    let store: IndicatorStore;
    beforeEach(() => {
      store = subject.current();
    });

    const timeliness = (providerIds: readonly string[]) => {
      if (store.timeliness === undefined) throw new Error('the store has no timeliness, though told it has');
      return store.timeliness(providerIds);
    };

    it('counts each provider and kind, with lags from the end of the reference period to arrival', async () => {
      const arrival = Date.UTC(2026, 3, 1, 23, 59);
      await store.apply([
        rec({ recordId: 'a', referenceDate: '2026-03-14', receivedAt: arrival }),
        rec({ recordId: 'b', referenceDate: '2025-12', receivedAt: arrival }),
        rec({ recordId: 'c', referenceDate: '2024', receivedAt: arrival }),
        rec({ recordId: 'd', referenceDate: '2026', receivedAt: arrival }),
        rec({ recordId: 'e', kind: 'suspect', referenceDate: '2026-03-31', receivedAt: arrival }),
        rec({ recordId: 'f', providerId: 'other', referenceDate: '2026-03-14', receivedAt: arrival }),
        rec({ recordId: 'g', version: 2, action: 'withdraw', receivedAt: arrival }),
      ]);
      expect(await timeliness(['prov-a'])).toEqual([
        // 18, 91, 456 days and 0 (the year 2026 ends after arrival); the withdrawn record counts nowhere.
        {
          providerId: 'prov-a',
          kind: 'suspect',
          records: 1,
          lagDaysSum: 1,
          within30: 1,
          within90: 1,
          within365: 1,
        },
        {
          providerId: 'prov-a',
          kind: 'victim',
          records: 4,
          lagDaysSum: 565,
          within30: 2,
          within90: 2,
          within365: 3,
        },
      ]);
      expect(await timeliness([])).toEqual([]);
    });
  });
}
