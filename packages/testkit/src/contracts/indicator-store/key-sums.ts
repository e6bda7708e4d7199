/**
 * Key sums in the `IndicatorStore` contract (the cell key method of disclosure control), checked for stores that
 * answer them: record keys, or the key numbers of distinct persons, summed modulo 2^32 per cell and over the total.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { keySumOf, personKeyNumber, type IndicatorStore } from '@mosy/core';
import { q, sortCells, victim, type IndicatorStoreContractOptions, type StoreUnderTest } from './support.js';

export function describeKeySums(subject: StoreUnderTest, options: IndicatorStoreContractOptions): void {
  describe.runIf(options.keySums ?? false)('key sums', () => {
    let store: IndicatorStore;
    beforeEach(() => {
      store = subject.current();
    });

    const people = [
      victim({ recordId: 'a', personKey: 'p1', recordKey: 4_000_000_000, fields: { sex: 'F' } }),
      victim({ recordId: 'b', personKey: 'p1', recordKey: 3_000_000_000, fields: { sex: 'F' } }),
      victim({ recordId: 'c', personKey: 'p2', recordKey: 7, fields: { sex: 'M' } }),
      victim({ recordId: 'd', personKey: 'p3', recordKey: 4_294_967_295, fields: { sex: 'F' } }),
    ];

    it('sums record keys modulo 2^32 per cell and over the total', async () => {
      await store.apply(people);
      const result = await store.query(q({ by: ['sex'], keySums: true }));
      expect(sortCells(result.cells)).toEqual([
        { key: { sex: 'F' }, value: 3, keySum: (4_000_000_000 + 3_000_000_000 + 4_294_967_295) % 2 ** 32 },
        { key: { sex: 'M' }, value: 1, keySum: 7 },
      ]);
      expect(result.totalKeySum).toBe(keySumOf([4_000_000_000, 3_000_000_000, 7, 4_294_967_295]));
    });

    it('sums the person key numbers of distinct persons, once per person in a cell and in the total', async () => {
      await store.apply(people);
      const result = await store.query(q({ unit: 'persons', by: ['sex'], keySums: true }));
      const [p1, p2, p3] = ['p1', 'p2', 'p3'].map(personKeyNumber) as [number, number, number];
      expect(sortCells(result.cells)).toEqual([
        { key: { sex: 'F' }, value: 2, keySum: keySumOf([p1, p3]) },
        { key: { sex: 'M' }, value: 1, keySum: p2 },
      ]);
      expect(result.totalKeySum).toBe(keySumOf([p1, p2, p3]));
    });

    it('gives key sums per period, and leaves withdrawn records out', async () => {
      await store.apply([...people, victim({ recordId: 'c', version: 2, action: 'withdraw' })]);
      const result = await store.query(q({ interval: 'year', keySums: true }));
      expect(result.cells).toEqual([
        {
          key: {},
          period: '2026',
          value: 3,
          keySum: keySumOf([4_000_000_000, 3_000_000_000, 4_294_967_295]),
        },
      ]);
      expect(result.totalKeySum).toBe(keySumOf([4_000_000_000, 3_000_000_000, 4_294_967_295]));
    });
  });
}
