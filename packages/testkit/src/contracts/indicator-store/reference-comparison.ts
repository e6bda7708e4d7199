/**
 * The randomized part of the `IndicatorStore` contract: random histories and queries answered by the store and by
 * the independent in-memory reference (`createReferenceIndicatorStore`) must agree, key sums included when the
 * store answers them; a store's `queryParts` must answer every part of a query as its `query` does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndicatorStore, StoreQuery } from '@mosy/core';
import { buildNormalizedRecord as rec } from '../../builders.js';
import { createReferenceIndicatorStore } from '../reference-indicator-store.js';
import { recordBatchesArb, storeQueryArb } from '../store-arbitraries.js';
import { sortCells, type IndicatorStoreContractOptions } from './support.js';

/** Every subset of the query's breakdowns (and `period` with an interval), the empty one first. */
function partsOf(query: StoreQuery): string[][] {
  const dims = [...query.by, ...(query.interval === undefined ? [] : ['period'])];
  return dims.reduce<string[][]>((acc, dim) => [...acc, ...acc.map((part) => [...part, dim])], [[]]);
}

/** A store's `queryParts`, where it answers, must give each part what `query` gives for that part's breakdowns. */
async function expectPartsLikeQueries(
  store: IndicatorStore,
  query: StoreQuery,
  parts: readonly string[][] = partsOf(query),
): Promise<void> {
  if (store.queryParts === undefined) return;
  const answers = await store.queryParts(query, parts);
  if (answers === undefined) return;
  expect(answers).toHaveLength(parts.length);
  for (const [index, part] of parts.entries()) {
    const { interval, ...rest } = query;
    const asked: StoreQuery = {
      ...rest,
      by: query.by.filter((d) => part.includes(d)),
      ...(interval !== undefined && part.includes('period') ? { interval } : {}),
    };
    const expected = await store.query(asked);
    const actual = answers[index]!;
    expect({
      part,
      cells: sortCells(actual.cells),
      total: actual.total,
      totalKeySum: actual.totalKeySum,
    }).toEqual({
      part,
      cells: sortCells(expected.cells),
      total: expected.total,
      totalKeySum: expected.totalKeySum,
    });
  }
}

export function describeReferenceComparison(options: IndicatorStoreContractOptions): void {
  describe('against the reference computation', () => {
    it('answers parts that leave a breakdown out of every part like queries', async () => {
      const { store, close } = await options.create();
      try {
        await store.migrate();
        await store.apply([
          rec({ recordId: 'a', fields: { sex: 'F' } }),
          rec({ recordId: 'b', providerId: 'prov-b', fields: { sex: 'M' } }),
          rec({ recordId: 'c', fields: { sex: 'F' }, referenceDate: '2025-05-02' }),
        ]);
        const query: StoreQuery = {
          kind: 'victim',
          unit: 'records',
          by: ['sex', 'providerId'],
          filters: {},
          interval: 'year',
          keySums: options.keySums ?? false,
        };
        // providerId is in no part, period in one only.
        for (const parts of [[['sex']], [[], ['sex', 'period']], [['period']]])
          await expectPartsLikeQueries(store, query, parts);
        if (store.queryParts !== undefined)
          expect(
            sortCells((await store.queryParts(query, [['sex']]))?.[0]?.cells ?? []).map(({ key, value }) => ({
              key,
              value,
            })),
          ).toEqual([
            { key: { sex: 'F' }, value: 2 },
            { key: { sex: 'M' }, value: 1 },
          ]);
      } finally {
        await close();
      }
    });

    it('answers random queries over random histories like the reference', async () => {
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
                await expectPartsLikeQueries(subject, query);
              }
            } finally {
              await closeSubject();
            }
          },
        ),
        { numRuns: options.propertyRuns ?? 25 },
      );
    }, 300_000);
  });
}
