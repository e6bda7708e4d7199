/**
 * The contract for an `IntakeLedger` that answers the optional `backlog`: per provider, the records whose accepted
 * version is above the one its `IndicatorStore` (in the same database) holds, leaving out versions dead-lettered.
 * Called by each adapter's tests as `runProviderBacklogContract({ create })`; each test gets a fresh, empty ledger
 * and store over one database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore, IntakeLedger } from '@mosy/core';
import { buildNormalizedRecord as rec } from '../builders.js';
import { acceptRecords } from '../ledger-submissions.js';

export interface ProviderBacklogContractOptions {
  /** A fresh, empty, ready ledger and indicator store over the same database, and how to dispose of them. */
  readonly create: () => Promise<{
    readonly ledger: IntakeLedger;
    readonly store: IndicatorStore;
    readonly close: () => Promise<void>;
  }>;
}

export function runProviderBacklogContract(options: ProviderBacklogContractOptions): void {
  describe('IntakeLedger backlog contract', () => {
    let ledger: IntakeLedger;
    let store: IndicatorStore;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ ledger, store, close } = await options.create());
    });
    afterEach(async () => {
      await close();
    });

    const backlog = (providerIds: readonly string[]) => {
      if (ledger.backlog === undefined) throw new Error('the ledger has no backlog');
      return ledger.backlog(providerIds);
    };
    const accept = (providerId: string, ...records: [string, number][]) =>
      acceptRecords(
        ledger,
        providerId,
        records.map(([recordId, version]) => ({ recordId, version })),
      );

    it('counts accepted records until the store holds their version, then none', async () => {
      await accept('prov-a', ['r1', 1], ['r2', 1], ['r3', 2]);
      await accept('prov-b', ['r1', 1]);
      expect(await backlog(['prov-b', 'prov-a', 'prov-c'])).toEqual([
        { providerId: 'prov-a', pending: 3 },
        { providerId: 'prov-b', pending: 1 },
        { providerId: 'prov-c', pending: 0 },
      ]);
      await store.apply([rec({ recordId: 'r1' }), rec({ recordId: 'r3', version: 1 })]);
      // r3 is held at version 1 while version 2 was accepted: still waiting.
      expect(await backlog(['prov-a'])).toEqual([{ providerId: 'prov-a', pending: 2 }]);
      await store.apply([
        rec({ recordId: 'r2' }),
        rec({ recordId: 'r3', version: 2, action: 'withdraw' }),
        rec({ providerId: 'prov-b', recordId: 'r1' }),
      ]);
      expect(await backlog(['prov-a', 'prov-b'])).toEqual([
        { providerId: 'prov-a', pending: 0 },
        { providerId: 'prov-b', pending: 0 },
      ]);
      expect(await backlog([])).toEqual([]);
    });

    it('leaves out versions the normalizer dead-lettered, but not a higher one accepted later', async () => {
      await accept('prov-a', ['r1', 1], ['r2', 1], ['r3', 1]);
      await ledger.markDeadLettered([
        { providerId: 'prov-a', recordId: 'r1', version: 1 },
        { providerId: 'prov-a', recordId: 'r2', version: 1 },
        { providerId: 'prov-b', recordId: 'r3', version: 1 },
      ]);
      expect(await backlog(['prov-a'])).toEqual([{ providerId: 'prov-a', pending: 1 }]);
      await accept('prov-a', ['r2', 2]);
      // A lower dead letter arriving late never lowers what was dead-lettered.
      await ledger.markDeadLettered([{ providerId: 'prov-a', recordId: 'r1', version: 0 }]);
      expect(await backlog(['prov-a'])).toEqual([{ providerId: 'prov-a', pending: 2 }]);
      await ledger.markDeadLettered([]);
    });

    it('leaves out the version accepted when a dead letter of unknown version (0: undecodable) came', async () => {
      await accept('prov-a', ['r1', 1], ['r2', 2], ['r3', 1]);
      await ledger.markDeadLettered([
        { providerId: 'prov-a', recordId: 'r1', version: 0 },
        { providerId: 'prov-a', recordId: 'never-accepted', version: 0 },
        { providerId: 'prov-b', recordId: 'r3', version: 0 },
      ]);
      expect(await backlog(['prov-a', 'prov-b'])).toEqual([
        { providerId: 'prov-a', pending: 2 },
        { providerId: 'prov-b', pending: 0 },
      ]);
      // Accepted after the dead letter: still waiting.
      await accept('prov-a', ['r1', 2]);
      expect(await backlog(['prov-a'])).toEqual([{ providerId: 'prov-a', pending: 3 }]);
      // Unknown and known versions of one record in one call: the higher of the accepted 2 and the named 1.
      await ledger.markDeadLettered([
        { providerId: 'prov-a', recordId: 'r2', version: 0 },
        { providerId: 'prov-a', recordId: 'r2', version: 1 },
      ]);
      expect(await backlog(['prov-a'])).toEqual([{ providerId: 'prov-a', pending: 2 }]);
    });

    it('reads provider ids of any characters', async () => {
      const odd = "o'dd\\\\ ç/\n";
      await accept(odd, ['r1', 1]);
      expect(await backlog([odd, "o'dd"])).toEqual([
        { providerId: "o'dd", pending: 0 },
        { providerId: odd, pending: 1 },
      ]);
    });
  });
}
