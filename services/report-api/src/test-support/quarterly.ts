/**
 * Test support (not built): an in-memory DuckDB store holding the same 120 victims in every process of a
 * quarterly scheduling test (one provider, dated across 2024 and 2025), so two processes count the same report.
 */
import type { NormalizedRecord } from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { buildNormalizedRecord, generateDataset } from '@mosy/testkit';

export const quarterlyRecords = (): NormalizedRecord[] =>
  Array.from({ length: 120 }, (_, i) =>
    buildNormalizedRecord({
      providerId: 'police',
      recordId: `v${i}`,
      referenceDate: `${2024 + (i % 2)}-${String((i % 12) + 1).padStart(2, '0')}-1${i % 10}`,
      fields: {
        status: 'IDENTIFIED',
        sex: i % 3 === 0 ? 'F' : 'M',
        citizenship: [i % 4 === 0 ? 'BR' : 'PT'],
      },
    }),
  );

/** A fresh in-memory store (with its registry, archive and audit log) holding `quarterlyRecords`. */
export async function openQuarterlyStores(): Promise<DuckDbStores> {
  const stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
  const mapping = generateDataset({ seed: 1, persons: 5, years: [2024] }).providers[0]!.mapping;
  await stores.registry.createProvider(
    { id: 'police', type: 'POLICE', name: 'Police', createdAt: 1 },
    mapping,
  );
  await stores.store.apply(quarterlyRecords());
  return stores;
}
