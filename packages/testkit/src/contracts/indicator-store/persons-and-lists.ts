/**
 * Units and list fields in the `IndicatorStore` contract: a person known through several records counts once in a
 * cell and in the total; a record with several values of a list field counts in the cell of each, so cells may add
 * up to more than the total.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { cellsBy, q, sortCells, victim, type StoreUnderTest } from './support.js';

export function describePersonsAndLists(subject: StoreUnderTest): void {
  describe('records and persons', () => {
    let store: IndicatorStore;
    const { cells, total } = subject;
    beforeEach(() => {
      store = subject.current();
    });

    it('counts a person known to two providers once, in the total and in a cell', async () => {
      await store.apply([
        victim({ providerId: 'prov-a', recordId: 'a1', personKey: 'p:anna', fields: { sex: 'F' } }),
        victim({ providerId: 'prov-b', recordId: 'b1', personKey: 'p:anna', fields: { sex: 'F' } }),
        victim({ providerId: 'prov-b', recordId: 'b2', personKey: 'p:bea', fields: { sex: 'F' } }),
      ]);
      expect(await store.query(q({ by: ['sex'], unit: 'records' }))).toEqual({
        cells: cellsBy('sex', { F: 3 }),
        total: 3,
      });
      expect(await store.query(q({ by: ['sex'], unit: 'persons' }))).toEqual({
        cells: cellsBy('sex', { F: 2 }),
        total: 2,
      });
    });

    it('counts a person in two cells when the records disagree, and once in the total', async () => {
      await store.apply([
        victim({ providerId: 'prov-a', recordId: 'a1', personKey: 'p:anna', fields: { sex: 'F' } }),
        victim({ providerId: 'prov-b', recordId: 'b1', personKey: 'p:anna', fields: { sex: 'UNK' } }),
      ]);
      const result = await store.query(q({ by: ['sex'], unit: 'persons' }));
      expect(sortCells(result.cells)).toEqual(cellsBy('sex', { F: 1, UNK: 1 }));
      expect(result.total).toBe(1);
      expect(await cells({ by: ['providerId'], unit: 'persons' })).toEqual(
        cellsBy('providerId', { 'prov-a': 1, 'prov-b': 1 }),
      );
    });

    it('counts distinct persons inside each cell of a multi-dimensional breakdown', async () => {
      await store.apply([
        victim({ recordId: '1', personKey: 'p:x', fields: { sex: 'F', ageGroup: '0-11' } }),
        victim({ recordId: '2', personKey: 'p:x', fields: { sex: 'F', ageGroup: '0-11' } }),
        victim({ recordId: '3', personKey: 'p:y', fields: { sex: 'F', ageGroup: '0-11' } }),
        victim({ recordId: '4', personKey: 'p:y', fields: { sex: 'M', ageGroup: '18-24' } }),
      ]);
      expect(await cells({ by: ['sex', 'ageGroup'], unit: 'persons' })).toEqual(
        sortCells([
          { key: { sex: 'F', ageGroup: '0-11' }, value: 2 },
          { key: { sex: 'M', ageGroup: '18-24' }, value: 1 },
        ]),
      );
      expect(await total({ unit: 'persons' })).toBe(2);
      expect(await total({ unit: 'records' })).toBe(4);
    });
  });

  describe('list fields', () => {
    let store: IndicatorStore;
    const { cells, total } = subject;
    beforeEach(() => {
      store = subject.current();
    });

    beforeEach(async () => {
      await store.apply([
        victim({
          recordId: '1',
          personKey: 'p:1',
          fields: { exploitation: ['SEX', 'LAB'], citizenship: ['PT', 'BR'] },
        }),
        victim({ recordId: '2', personKey: 'p:2', fields: { exploitation: ['LAB'], citizenship: ['PT'] } }),
        victim({
          recordId: '3',
          personKey: 'p:2',
          fields: { exploitation: ['UNK'], citizenship: ['UNK'] },
        }),
      ]);
    });

    it('counts a record in every cell of its values, so cells add up to more than the total', async () => {
      expect(
        await store.query(q({ by: ['exploitation'] })).then((r) => [sortCells(r.cells), r.total]),
      ).toEqual([cellsBy('exploitation', { LAB: 2, SEX: 1, UNK: 1 }), 3]);
      expect(
        await store
          .query(q({ by: ['exploitation'], unit: 'persons' }))
          .then((r) => [sortCells(r.cells), r.total]),
      ).toEqual([cellsBy('exploitation', { LAB: 2, SEX: 1, UNK: 1 }), 2]);
    });

    it('crosses two list breakdowns', async () => {
      expect(await cells({ by: ['exploitation', 'citizenship'] })).toEqual(
        sortCells([
          { key: { exploitation: 'SEX', citizenship: 'PT' }, value: 1 },
          { key: { exploitation: 'SEX', citizenship: 'BR' }, value: 1 },
          { key: { exploitation: 'LAB', citizenship: 'PT' }, value: 2 },
          { key: { exploitation: 'LAB', citizenship: 'BR' }, value: 1 },
          { key: { exploitation: 'UNK', citizenship: 'UNK' }, value: 1 },
        ]),
      );
    });

    it('a list filter matches records holding any listed value', async () => {
      expect(await total({ filters: { exploitation: ['SEX'] } })).toBe(1);
      expect(await total({ filters: { exploitation: ['SEX', 'LAB'] } })).toBe(2);
      expect(await total({ filters: { exploitation: ['BEG'] } })).toBe(0);
      expect(await cells({ by: ['citizenship'], filters: { exploitation: ['SEX'] } })).toEqual(
        cellsBy('citizenship', { BR: 1, PT: 1 }),
      );
    });

    it('a filtered list breakdown has cells only for the listed values', async () => {
      expect(
        await store.query(q({ by: ['exploitation'], filters: { exploitation: ['SEX', 'BEG'] } })),
      ).toEqual({
        cells: cellsBy('exploitation', { SEX: 1 }),
        total: 1,
      });
      expect(
        await cells({
          by: ['exploitation', 'citizenship'],
          filters: { exploitation: ['LAB'], citizenship: ['BR'] },
        }),
      ).toEqual([{ key: { exploitation: 'LAB', citizenship: 'BR' }, value: 1 }]);
    });

    it('counts a person whose record has an empty list in the total of persons by it, in no cell', async () => {
      await store.apply([
        victim({ recordId: '4', personKey: 'p:4', fields: { exploitation: [], citizenship: ['BR'] } }),
        victim({ recordId: '5', personKey: 'p:1', fields: { exploitation: ['BEG'], citizenship: [] } }),
      ]);
      expect(
        await store
          .query(q({ by: ['citizenship', 'exploitation'], unit: 'persons' }))
          .then((r) => [sortCells(r.cells), r.total]),
      ).toEqual([
        sortCells([
          { key: { citizenship: 'PT', exploitation: 'SEX' }, value: 1 },
          { key: { citizenship: 'PT', exploitation: 'LAB' }, value: 2 },
          { key: { citizenship: 'BR', exploitation: 'SEX' }, value: 1 },
          { key: { citizenship: 'BR', exploitation: 'LAB' }, value: 1 },
          { key: { citizenship: 'UNK', exploitation: 'UNK' }, value: 1 },
        ]),
        3,
      ]);
      // A filtered list breakdown: a person whose listed code lies in no asked cell still counts in the total.
      expect(
        await store
          .query(
            q({ by: ['citizenship', 'exploitation'], unit: 'persons', filters: { citizenship: ['BR'] } }),
          )
          .then((r) => [sortCells(r.cells), r.total]),
      ).toEqual([
        sortCells([
          { key: { citizenship: 'BR', exploitation: 'SEX' }, value: 1 },
          { key: { citizenship: 'BR', exploitation: 'LAB' }, value: 1 },
        ]),
        2,
      ]);
    });

    it('filters are AND across fields and OR within one', async () => {
      expect(await total({ filters: { exploitation: ['LAB'], citizenship: ['BR', 'UNK'] } })).toBe(1);
      expect(await total({ filters: { exploitation: ['LAB', 'UNK'], citizenship: ['PT', 'UNK'] } })).toBe(3);
    });
  });
}
