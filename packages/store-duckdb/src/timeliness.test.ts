import { describe, expect, it } from 'vitest';
import { buildNormalizedRecord as rec } from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';

describe('DuckDB timeliness', () => {
  it('counts each provider and kind, with lags from the end of the reference period to arrival', async () => {
    const stores = await createDuckDbStores({ path: ':memory:', readers: 1 });
    try {
      const arrival = Date.UTC(2026, 3, 1, 23, 59);
      await stores.store.apply([
        rec({ recordId: 'a', referenceDate: '2026-03-14', receivedAt: arrival }),
        rec({ recordId: 'b', referenceDate: '2025-12', receivedAt: arrival }),
        rec({ recordId: 'c', referenceDate: '2024', receivedAt: arrival }),
        rec({ recordId: 'd', referenceDate: '2026', receivedAt: arrival }),
        rec({ recordId: 'e', kind: 'suspect', referenceDate: '2026-03-31', receivedAt: arrival }),
        rec({ recordId: 'f', providerId: 'other', referenceDate: '2026-03-14', receivedAt: arrival }),
        rec({ recordId: 'g', version: 2, action: 'withdraw', receivedAt: arrival }),
      ]);
      expect(await stores.store.timeliness(['prov-a'])).toEqual([
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
      expect(await stores.store.timeliness([])).toEqual([]);
    } finally {
      await stores.close();
    }
  });
});
