/**
 * Scalar filters and breakdowns in the `IndicatorStore` contract (status, age class, provider, record kind), and
 * the refusal of query values outside the safe characters.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { buildNormalizedRecord as rec } from '../../builders.js';
import { cellsBy, q, victim, type StoreUnderTest } from './support.js';

export function describeFilters(subject: StoreUnderTest): void {
  describe('scalar filters', () => {
    let store: IndicatorStore;
    const { cells, total } = subject;
    beforeEach(() => {
      store = subject.current();
    });

    it('an empty list of allowed values matches nothing', async () => {
      await store.apply([victim({ fields: { sex: 'F' } })]);
      expect(await store.query(q({ by: ['sex'], filters: { sex: [] } }))).toEqual({ cells: [], total: 0 });
      expect(await total({ filters: { exploitation: [] } })).toBe(0);
    });

    it('counts registered victims through a status filter, and all statuses without one', async () => {
      await store.apply(
        ['IDENTIFIED', 'PRESUMED', 'FLAGGED', 'PENDING', 'NOT_CONFIRMED', 'IDENTIFIED'].map((status, i) =>
          victim({ recordId: `v${i}`, fields: { status } }),
        ),
      );
      expect(await total({ filters: { status: ['IDENTIFIED', 'PRESUMED'] } })).toBe(3);
      expect(await cells({ by: ['status'], filters: { status: ['IDENTIFIED', 'PRESUMED'] } })).toEqual(
        cellsBy('status', { IDENTIFIED: 2, PRESUMED: 1 }),
      );
      expect(await total({})).toBe(6);
    });

    it('derives the age class from the age group', async () => {
      const groups = ['0-11', '12-15', '16-17', 'child', '18-24', '65+', 'adult', 'UNK'];
      await store.apply(groups.map((ageGroup, i) => victim({ recordId: `a${i}`, fields: { ageGroup } })));
      expect(await cells({ by: ['ageClass'] })).toEqual(cellsBy('ageClass', { UNK: 1, adult: 3, child: 4 }));
      expect(await cells({ by: ['ageGroup'], filters: { ageClass: ['child'] } })).toEqual(
        cellsBy('ageGroup', { '0-11': 1, '12-15': 1, '16-17': 1, child: 1 }),
      );
    });

    it('filters and breaks down by provider and provider type', async () => {
      await store.apply([
        victim({ providerId: 'prov-a', providerType: 'POLICE', recordId: '1' }),
        victim({ providerId: 'prov-a', providerType: 'POLICE', recordId: '2' }),
        victim({ providerId: 'prov-b', providerType: 'NGO', recordId: '1' }),
        victim({ providerId: 'prov-c', providerType: 'NGO', recordId: '1' }),
      ]);
      expect(await total({ filters: { providerId: ['prov-a'] } })).toBe(2);
      expect(await total({ filters: { providerId: ['prov-a', 'prov-c'] } })).toBe(3);
      expect(await total({ filters: { providerType: ['NGO'] } })).toBe(2);
      expect(await cells({ by: ['providerType'] })).toEqual(cellsBy('providerType', { NGO: 2, POLICE: 2 }));
      expect(await cells({ by: ['providerId'], filters: { providerType: ['NGO'] } })).toEqual(
        cellsBy('providerId', { 'prov-b': 1, 'prov-c': 1 }),
      );
    });

    it('keeps record kinds apart', async () => {
      await store.apply([
        rec({ kind: 'victim', recordId: '1', personKey: 'p:same' }),
        rec({ kind: 'suspect', recordId: '2', personKey: 'p:same', fields: { organisedCrime: 'Y' } }),
        rec({ kind: 'suspect', recordId: '3', fields: { organisedCrime: 'N' } }),
        rec({ kind: 'prosecution', recordId: '4', fields: { outcome: 'ONGOING' } }),
      ]);
      expect(await total({ kind: 'victim', unit: 'persons' })).toBe(1);
      expect(await total({ kind: 'suspect' })).toBe(2);
      expect(await cells({ kind: 'suspect', by: ['organisedCrime'] })).toEqual(
        cellsBy('organisedCrime', { N: 1, Y: 1 }),
      );
      expect(await cells({ kind: 'prosecution', by: ['outcome'] })).toEqual(
        cellsBy('outcome', { ONGOING: 1 }),
      );
      expect(await total({ kind: 'convicted' })).toBe(0);
    });
  });

  describe('input safety', () => {
    let store: IndicatorStore;
    beforeEach(() => {
      store = subject.current();
    });

    it('rejects a query value outside the safe characters with invalid-query', async () => {
      await store.apply([victim({})]);
      for (const value of ["F'; DROP TABLE records_current; --", 'F\\', 'Ü', 'F\u0000']) {
        await expect(store.query(q({ filters: { sex: [value] } }))).rejects.toMatchObject({
          code: 'invalid-query',
        });
      }
      expect(await store.countRecords()).toBe(1);
    });
  });
}
