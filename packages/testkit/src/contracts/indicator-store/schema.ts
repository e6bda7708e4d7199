/**
 * The schema part of the `IndicatorStore` contract: migrations are idempotent and keep the data; a new store is
 * empty.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { buildNormalizedRecord as rec } from '../../builders.js';
import { q, type StoreUnderTest } from './support.js';

export function describeSchema(subject: StoreUnderTest): void {
  describe('schema', () => {
    let store: IndicatorStore;
    beforeEach(() => {
      store = subject.current();
    });

    it('migrates idempotently, keeping the data', async () => {
      await store.apply([rec({ recordId: 'a' }), rec({ recordId: 'b' })]);
      await store.migrate();
      await store.migrate();
      expect(await store.countRecords()).toBe(2);
    });

    it('starts empty', async () => {
      expect(await store.countRecords()).toBe(0);
      expect(await store.query(q({ by: ['sex'] }))).toEqual({ cells: [], total: 0 });
      expect(await store.query(q())).toEqual({ cells: [], total: 0 });
    });
  });
}
