/**
 * The counting rules of the `IndicatorStore` contract: per (provider, recordId) the highest version wins, however
 * batches repeat, reorder or hold several versions of a record, and a withdrawal takes the record out of every count
 * until a higher version comes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { cellsBy, victim, type StoreUnderTest } from './support.js';

export function describeCountingRules(subject: StoreUnderTest): void {
  describe('versions', () => {
    let store: IndicatorStore;
    const { total, sexOf } = subject;
    beforeEach(() => {
      store = subject.current();
    });

    it('a higher version replaces the record', async () => {
      expect(await store.apply([victim({ version: 1, fields: { sex: 'F' } })])).toEqual({
        applied: 1,
        ignored: 0,
      });
      expect(await store.apply([victim({ version: 2, fields: { sex: 'M' } })])).toEqual({
        applied: 1,
        ignored: 0,
      });
      expect(await sexOf()).toEqual(cellsBy('sex', { M: 1 }));
      expect(await store.countRecords()).toBe(1);
    });

    it('an equal version changes nothing, even with other content', async () => {
      await store.apply([victim({ version: 2, fields: { sex: 'M' } })]);
      expect(await store.apply([victim({ version: 2, fields: { sex: 'F' } })])).toEqual({
        applied: 0,
        ignored: 1,
      });
      expect(await sexOf()).toEqual(cellsBy('sex', { M: 1 }));
    });

    it('a lower version arriving late changes nothing', async () => {
      await store.apply([victim({ version: 3, fields: { sex: 'M' } })]);
      expect(
        await store.apply([
          victim({ version: 1, fields: { sex: 'F' } }),
          victim({ version: 2, fields: { sex: 'X' } }),
        ]),
      ).toEqual({ applied: 0, ignored: 2 });
      expect(await sexOf()).toEqual(cellsBy('sex', { M: 1 }));
    });

    it('keeps the highest version when one batch holds several versions of a record, in any order', async () => {
      expect(
        await store.apply([
          victim({ recordId: 'a', version: 1, fields: { sex: 'F' } }),
          victim({ recordId: 'a', version: 3, fields: { sex: 'M' } }),
          victim({ recordId: 'a', version: 2, fields: { sex: 'X' } }),
          victim({ recordId: 'b', version: 2, fields: { sex: 'X' } }),
          victim({ recordId: 'b', version: 1, fields: { sex: 'F' } }),
        ]),
      ).toEqual({ applied: 2, ignored: 3 });
      expect(await sexOf()).toEqual(cellsBy('sex', { M: 1, X: 1 }));
    });

    it('counts a record repeated in one batch once', async () => {
      const record = victim({ version: 4 });
      expect(await store.apply([record, record, record])).toEqual({ applied: 1, ignored: 2 });
      expect(await store.countRecords()).toBe(1);
    });

    it('is idempotent: the same records again, in any order, change nothing', async () => {
      const batch = [
        victim({ recordId: 'a', fields: { sex: 'F' } }),
        victim({ recordId: 'b', version: 2, fields: { sex: 'M' } }),
        victim({ recordId: 'c', action: 'withdraw', version: 2 }),
      ];
      expect(await store.apply(batch)).toEqual({ applied: 3, ignored: 0 });
      expect(await store.apply([...batch].reverse())).toEqual({ applied: 0, ignored: 3 });
      expect(await store.apply([batch[1]!])).toEqual({ applied: 0, ignored: 1 });
      expect(await sexOf()).toEqual(cellsBy('sex', { F: 1, M: 1 }));
      expect(await store.countRecords()).toBe(2);
    });

    it('keys records by provider and record id together', async () => {
      await store.apply([
        victim({ providerId: 'prov-a', recordId: 'same', fields: { sex: 'F' } }),
        victim({ providerId: 'prov-b', recordId: 'same', fields: { sex: 'M' } }),
      ]);
      await store.apply([
        victim({ providerId: 'prov-b', recordId: 'same', version: 2, fields: { sex: 'X' } }),
      ]);
      expect(await sexOf()).toEqual(cellsBy('sex', { F: 1, X: 1 }));
    });

    it('applies large batches completely', async () => {
      const batch = Array.from({ length: 5000 }, (_, i) =>
        victim({ recordId: `bulk-${i}`, version: 1 + (i % 3), fields: { sex: i % 2 === 0 ? 'F' : 'M' } }),
      );
      expect(await store.apply(batch)).toEqual({ applied: 5000, ignored: 0 });
      expect(await store.countRecords()).toBe(5000);
      expect(await sexOf()).toEqual(cellsBy('sex', { F: 2500, M: 2500 }));
    });

    it('keeps record ids and person keys of any characters apart', async () => {
      const odd = [
        "it's",
        'back\\slash',
        'tab\there',
        'line\nbreak',
        'ünï ✓',
        "'; DROP TABLE x; --",
        'a,b"c',
      ];
      await store.apply(odd.map((recordId) => victim({ recordId, personKey: `p:${recordId}` })));
      expect(await store.countRecords()).toBe(odd.length);
      expect(await total({ unit: 'persons' })).toBe(odd.length);
      expect(await store.apply(odd.map((recordId) => victim({ recordId })))).toEqual({
        applied: 0,
        ignored: odd.length,
      });
    });
  });

  describe('withdrawals', () => {
    let store: IndicatorStore;
    const { total, sexOf } = subject;
    beforeEach(() => {
      store = subject.current();
    });

    it('removes the record from every count', async () => {
      await store.apply([
        victim({ recordId: 'a', fields: { sex: 'F' } }),
        victim({ recordId: 'b', fields: { sex: 'F' } }),
      ]);
      expect(await store.apply([victim({ recordId: 'a', version: 2, action: 'withdraw' })])).toEqual({
        applied: 1,
        ignored: 0,
      });
      expect(await store.countRecords()).toBe(1);
      expect(await sexOf()).toEqual(cellsBy('sex', { F: 1 }));
      expect(await total({ unit: 'persons' })).toBe(1);
    });

    it('a later lower or equal version does not resurrect a withdrawn record', async () => {
      await store.apply([victim({ version: 1 })]);
      await store.apply([victim({ version: 3, action: 'withdraw' })]);
      expect(await store.apply([victim({ version: 2 }), victim({ version: 3 })])).toEqual({
        applied: 0,
        ignored: 2,
      });
      expect(await store.countRecords()).toBe(0);
      expect(await total({})).toBe(0);
    });

    it('a withdrawal that arrives before the record still wins over lower versions', async () => {
      expect(await store.apply([victim({ version: 2, action: 'withdraw' })])).toEqual({
        applied: 1,
        ignored: 0,
      });
      expect(await store.apply([victim({ version: 1 })])).toEqual({ applied: 0, ignored: 1 });
      expect(await store.countRecords()).toBe(0);
    });

    it('a higher version after a withdrawal counts again', async () => {
      await store.apply([
        victim({ version: 1, fields: { sex: 'F' } }),
        victim({ version: 2, action: 'withdraw' }),
      ]);
      expect(await store.countRecords()).toBe(0);
      expect(await store.apply([victim({ version: 3, fields: { sex: 'M' } })])).toEqual({
        applied: 1,
        ignored: 0,
      });
      expect(await sexOf()).toEqual(cellsBy('sex', { M: 1 }));
    });
  });
}
