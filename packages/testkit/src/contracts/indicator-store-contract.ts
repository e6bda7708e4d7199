/**
 * The contract every `IndicatorStore` adapter passes (contract §4 and `query/model.ts`), run by each adapter's
 * tests in a few lines: `runIndicatorStoreContract({ create })`. Each test gets a fresh, migrated store. The
 * expectations are computed by hand from the records each test writes; a final randomized test compares the store
 * with the independent in-memory reference (`createReferenceIndicatorStore`) on random histories and queries.
 *
 * Apply outcomes: a batch is reduced to one record per (provider, recordId), the highest version (the first of
 * equal ones); a kept record that is newer than the stored one is `applied`, every other record of the batch is
 * `ignored` (so `applied + ignored` is the batch size).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  keySumOf,
  personKeyNumber,
  type Cell,
  type IndicatorStore,
  type NormalizedRecord,
  type StoreQuery,
} from '@mosy/core';
import { buildNormalizedRecord as rec, type NormalizedRecordOverrides } from '../builders.js';
import { createReferenceIndicatorStore } from './reference-indicator-store.js';
import { recordBatchesArb, storeQueryArb } from './store-arbitraries.js';

export interface IndicatorStoreContractOptions {
  /** A fresh, empty store (the suite calls `migrate` itself) and how to dispose of it. */
  readonly create: () => Promise<{ readonly store: IndicatorStore; readonly close: () => Promise<void> }>;
  /** Random histories in the comparison with the reference. @defaultValue 25 */
  readonly propertyRuns?: number;
  /**
   * Whether the store answers `keySums` (the cell key method of disclosure control); checked when true.
   * @defaultValue false
   */
  readonly keySums?: boolean;
  /**
   * Whether the store answers the optional `timeliness` (data quality); checked when true.
   * @defaultValue false
   */
  readonly timeliness?: boolean;
}

/** A query with defaults: victims, records, no breakdown, no filter. */
const q = (query: Partial<StoreQuery> = {}): StoreQuery => ({
  kind: 'victim',
  unit: 'records',
  by: [],
  filters: {},
  ...query,
});

const cellOrder = (cell: Cell): string =>
  JSON.stringify([Object.entries(cell.key).sort(), cell.period ?? '']);

/** Cells in a canonical order, so tests compare sets of cells. */
export const sortCells = (cells: readonly Cell[]): Cell[] =>
  [...cells].sort((a, b) => (cellOrder(a) < cellOrder(b) ? -1 : cellOrder(a) > cellOrder(b) ? 1 : 0));

/** One cell per code of a single breakdown dimension. */
const cellsBy = (dimension: string, counts: Record<string, number>): Cell[] =>
  sortCells(Object.entries(counts).map(([code, value]) => ({ key: { [dimension]: code }, value })));

/** One cell per period, without breakdown. */
const cellsPer = (counts: Record<string, number>): Cell[] =>
  sortCells(Object.entries(counts).map(([period, value]) => ({ key: {}, period, value })));

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

    const cells = async (query: Partial<StoreQuery>): Promise<Cell[]> =>
      sortCells((await store.query(q(query))).cells);
    const total = async (query: Partial<StoreQuery>): Promise<number> => (await store.query(q(query))).total;
    const sexOf = async (): Promise<Cell[]> => cells({ by: ['sex'] });
    const victim = (overrides: NormalizedRecordOverrides): NormalizedRecord => rec(overrides);

    describe('schema', () => {
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

    describe('versions', () => {
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

    describe('records and persons', () => {
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

      it('filters are AND across fields and OR within one', async () => {
        expect(await total({ filters: { exploitation: ['LAB'], citizenship: ['BR', 'UNK'] } })).toBe(1);
        expect(await total({ filters: { exploitation: ['LAB', 'UNK'], citizenship: ['PT', 'UNK'] } })).toBe(
          3,
        );
      });
    });

    describe('scalar filters', () => {
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
        expect(await cells({ by: ['ageClass'] })).toEqual(
          cellsBy('ageClass', { UNK: 1, adult: 3, child: 4 }),
        );
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

    describe('geography', () => {
      beforeEach(async () => {
        const regions = ['PT111', 'PT112', 'PT16', 'PT', 'ES51', 'BR', 'UNK'];
        await store.apply(
          regions.map((regionOfIdentification, i) =>
            victim({ recordId: `g${i}`, fields: { regionOfIdentification, regionOfExploitation: 'PT17' } }),
          ),
        );
      });

      it('a region filter matches the region and everything below it', async () => {
        expect(await total({ filters: { regionOfIdentification: ['PT1'] } })).toBe(3);
        expect(await total({ filters: { regionOfIdentification: ['PT11'] } })).toBe(2);
        expect(await total({ filters: { regionOfIdentification: ['PT111'] } })).toBe(1);
        expect(await total({ filters: { regionOfIdentification: ['PT'] } })).toBe(4);
        expect(await total({ filters: { regionOfIdentification: ['PT11', 'ES'] } })).toBe(3);
        expect(await total({ filters: { regionOfIdentification: ['BR'] } })).toBe(1);
        expect(await total({ filters: { regionOfIdentification: ['UNK'] } })).toBe(1);
        expect(await total({ filters: { regionOfExploitation: ['PT1'] } })).toBe(7);
        expect(await total({ filters: { regionOfExploitation: ['PT11'] } })).toBe(0);
      });

      it('a breakdown truncates codes to geoLevel and leaves less detailed codes as they are', async () => {
        expect(await cells({ by: ['regionOfIdentification'] })).toEqual(
          cellsBy('regionOfIdentification', { BR: 1, ES51: 1, PT: 1, PT111: 1, PT112: 1, PT16: 1, UNK: 1 }),
        );
        expect(await cells({ by: ['regionOfIdentification'], geoLevel: 0 })).toEqual(
          cellsBy('regionOfIdentification', { BR: 1, ES: 1, PT: 4, UNK: 1 }),
        );
        expect(await cells({ by: ['regionOfIdentification'], geoLevel: 1 })).toEqual(
          cellsBy('regionOfIdentification', { BR: 1, ES5: 1, PT: 1, PT1: 3, UNK: 1 }),
        );
        expect(await cells({ by: ['regionOfIdentification'], geoLevel: 2 })).toEqual(
          cellsBy('regionOfIdentification', { BR: 1, ES51: 1, PT: 1, PT11: 2, PT16: 1, UNK: 1 }),
        );
        expect(await cells({ by: ['regionOfIdentification'], geoLevel: 3 })).toEqual(
          cellsBy('regionOfIdentification', { BR: 1, ES51: 1, PT: 1, PT111: 1, PT112: 1, PT16: 1, UNK: 1 }),
        );
      });

      it('combines a region filter with a breakdown at another level', async () => {
        expect(
          await cells({
            by: ['regionOfIdentification'],
            filters: { regionOfIdentification: ['PT1'] },
            geoLevel: 2,
          }),
        ).toEqual(cellsBy('regionOfIdentification', { PT11: 2, PT16: 1 }));
        expect(
          await cells({
            by: ['regionOfExploitation'],
            filters: { regionOfIdentification: ['PT11'] },
            geoLevel: 1,
          }),
        ).toEqual(cellsBy('regionOfExploitation', { PT1: 2 }));
        expect(await cells({ by: ['regionOfExploitation'], geoLevel: 0 })).toEqual(
          cellsBy('regionOfExploitation', { PT: 7 }),
        );
      });
    });

    describe('time', () => {
      // A 2026-03-14 (Saturday), B 2026-03, C 2026, D 2025-12-31 (Wednesday), E 2026-01-01 (Thursday),
      // F 2026-01-05 (Monday).
      beforeEach(async () => {
        const dates = {
          A: '2026-03-14',
          B: '2026-03',
          C: '2026',
          D: '2025-12-31',
          E: '2026-01-01',
          F: '2026-01-05',
        };
        await store.apply(
          Object.entries(dates).map(([recordId, referenceDate]) =>
            victim({
              recordId,
              referenceDate,
              personKey: 'p:one',
              fields: { sex: recordId < 'D' ? 'F' : 'M' },
            }),
          ),
        );
      });

      it('keeps a record only when its whole period lies inside the filter', async () => {
        expect(await total({ from: '2026-03-01', to: '2026-03-31' })).toBe(2);
        expect(await total({ from: '2026-03-14', to: '2026-03-14' })).toBe(1);
        expect(await total({ from: '2026-03-02', to: '2026-03-31' })).toBe(1);
        expect(await total({ from: '2026-01-01', to: '2026-12-31' })).toBe(5);
        expect(await total({ from: '2026-01-01', to: '2026-12-30' })).toBe(4);
        expect(await total({ from: '2026-01-01', to: '2026-06-30' })).toBe(4);
        expect(await total({ from: '2026-01-01' })).toBe(5);
        expect(await total({ to: '2025-12-31' })).toBe(1);
        expect(await total({ from: '2026-01-02', to: '2026-01-04' })).toBe(0);
      });

      it('buckets by day, with an unspecified bucket for coarser dates', async () => {
        expect(await cells({ interval: 'day' })).toEqual(
          sortCells(
            cellsPer({
              '2026-03-14': 1,
              '2026-unspecified': 2,
              '2025-12-31': 1,
              '2026-01-01': 1,
              '2026-01-05': 1,
            }),
          ),
        );
      });

      it('buckets by week under its Monday, across the year boundary', async () => {
        expect(await cells({ interval: 'week' })).toEqual(
          sortCells(cellsPer({ '2026-03-09': 1, '2025-12-29': 2, '2026-01-05': 1, '2026-unspecified': 2 })),
        );
      });

      it('buckets by month, quarter and year', async () => {
        expect(await cells({ interval: 'month' })).toEqual(
          sortCells(cellsPer({ '2026-03': 2, '2026-01': 2, '2025-12': 1, '2026-unspecified': 1 })),
        );
        expect(await cells({ interval: 'quarter' })).toEqual(
          sortCells(cellsPer({ '2026-Q1': 4, '2025-Q4': 1, '2026-unspecified': 1 })),
        );
        expect(await cells({ interval: 'year' })).toEqual(sortCells(cellsPer({ '2026': 5, '2025': 1 })));
      });

      it('counts a person once per period and once in the total', async () => {
        const result = await store.query(q({ interval: 'year', unit: 'persons' }));
        expect(sortCells(result.cells)).toEqual(sortCells(cellsPer({ '2026': 1, '2025': 1 })));
        expect(result.total).toBe(1);
      });

      it('combines an interval with a breakdown and a time filter', async () => {
        expect(
          await cells({ interval: 'quarter', by: ['sex'], from: '2026-01-01', to: '2026-03-31' }),
        ).toEqual(
          sortCells([
            { key: { sex: 'F' }, period: '2026-Q1', value: 2 },
            { key: { sex: 'M' }, period: '2026-Q1', value: 2 },
          ]),
        );
      });
    });

    describe.runIf(options.keySums ?? false)('key sums', () => {
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

    describe.runIf(options.timeliness ?? false)('timeliness', () => {
      const timeliness = (providerIds: readonly string[]) => {
        if (store.timeliness === undefined)
          throw new Error('the store has no timeliness, though told it has');
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

    describe('input safety', () => {
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

    describe('against the reference computation', () => {
      it('answers random queries over random histories like the reference', async () => {
        let answered = 0;
        let nonEmpty = 0;
        await fc.assert(
          fc.asyncProperty(
            recordBatchesArb(['victim', 'suspect']),
            fc.array(storeQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 4 }),
            async (batches, queries) => {
              const { store: subject, close: closeSubject } = await options.create();
              try {
                await subject.migrate();
                const reference = createReferenceIndicatorStore();
                for (const batch of batches) {
                  expect(await subject.apply(batch)).toEqual(await reference.apply(batch));
                }
                expect(await subject.countRecords()).toBe(await reference.countRecords());
                for (const asked of queries) {
                  const query = { ...asked, keySums: options.keySums ?? false };
                  const expected = await reference.query(query);
                  const actual = await subject.query(query);
                  expect({
                    cells: sortCells(actual.cells),
                    total: actual.total,
                    totalKeySum: actual.totalKeySum,
                  }).toEqual({
                    cells: sortCells(expected.cells),
                    total: expected.total,
                    totalKeySum: expected.totalKeySum,
                  });
                  answered++;
                  if (expected.total > 0) nonEmpty++;
                }
              } finally {
                await closeSubject();
              }
            },
          ),
          { numRuns: options.propertyRuns ?? 25 },
        );
        // Guards the generators: a comparison of empty answers would prove little.
        expect(nonEmpty).toBeGreaterThan(answered / 4);
      }, 300_000);
    });
  });
}
