// The quarterly report reads rolling counts: every store query that counting a quarter makes (each table of the
// catalogue with all its margins, by quarter, regions at NUTS 2, in Eurostat's codes; and the providers' coverage)
// is a catalogue read (`rollingReadOf`) unless it filters on a list field (citizenship in Eurostat's groups,
// exploitation regrouped), which rolling counts cannot sum without counting a record twice; and each routed query
// answers exactly what the current records answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INDICATORS,
  isListField,
  isCanonicalField,
  parseQuarter,
  quarterlyTables,
  rollingReadOf,
  type IndicatorStore,
  type StoreQuery,
} from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { adHocTwin, buildNormalizedRecord, generateDataset, sortCells } from '@mosy/testkit';
import { countTable, providerCoverage } from './count.js';

let stores: DuckDbStores;

beforeEach(async () => {
  stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
  const mapping = generateDataset({ seed: 1, persons: 5, years: [2024] }).providers[0]!.mapping;
  await stores.registry.createProvider(
    { id: 'police', type: 'POLICE', name: 'Police', createdAt: 1 },
    mapping,
  );
  const dates = ['2024-02-10', '2024-05', '2024-08-20', '2024-11-03', '2024', '2024-09-30'];
  await stores.store.apply(
    Array.from({ length: 300 }, (_, i) =>
      buildNormalizedRecord({
        providerId: 'police',
        recordId: `v${i}`,
        referenceDate: dates[i % dates.length]!,
        ...(i % 3 === 0 ? { personKey: `p:${i % 40}` } : {}),
        fields: {
          status: i % 4 === 0 ? 'PRESUMED' : 'IDENTIFIED',
          sex: ['F', 'M', 'UNK'][i % 3]!,
          ageGroup: ['0-11', '18-24', 'adult'][i % 3]!,
          exploitation: [['SEX'], ['LAB', 'SEX']][i % 2]!,
          citizenship: [['PT'], ['BR', 'UA']][i % 2]!,
          regionOfIdentification: ['PT111', 'PT16', 'UNK'][i % 3]!,
        },
      }),
    ),
  );
});
afterEach(async () => {
  await stores.close();
});

const filtersAList = (query: StoreQuery): boolean =>
  Object.keys(query.filters).some((d) => isCanonicalField(d) && isListField(d));

describe('quarterly report on rolling counts', () => {
  it('asks the store only catalogue reads, bar the list-field regroupings, and they equal the current records', async () => {
    const asked: StoreQuery[] = [];
    const recording: IndicatorStore = {
      ...stores.store,
      query: (query) => {
        asked.push(query);
        return stores.store.query(query);
      },
    };
    const quarter = parseQuarter('2024-Q4');
    for (const spec of quarterlyTables(INDICATORS)) await countTable(recording, spec, quarter, 'PT');
    await providerCoverage(recording, stores.registry, quarter);

    const routed = asked.filter((query) => rollingReadOf(query) !== undefined);
    expect(asked.filter((query) => !filtersAList(query) && rollingReadOf(query) === undefined)).toEqual([]);
    expect(routed.length).toBeGreaterThan(asked.length / 2);
    let counted = 0;
    for (const query of routed) {
      const rolling = await stores.store.query(query);
      const current = await stores.store.query(adHocTwin(query));
      expect({ ...rolling, cells: sortCells(rolling.cells) }).toEqual({
        ...current,
        cells: sortCells(current.cells),
      });
      counted += rolling.total;
    }
    expect(counted).toBeGreaterThan(0);
  }, 120_000);
});
