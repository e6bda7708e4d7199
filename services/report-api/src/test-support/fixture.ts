/**
 * Test support (not built): a report API over an in-memory DuckDB store loaded with a synthetic dataset's truth,
 * one key per role, and a small HTTP client. Records are applied as normalized records built from the truth, so
 * the store holds exactly what `referenceQuery` counts from; withdrawn records are applied and then withdrawn.
 */
import express from 'express';
import type { AuditLog, NormalizedRecord, Role } from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { buildNormalizedRecord, generateDataset, type SyntheticDataset } from '@mosy/testkit';
import { createAuthenticator, createLogger, finishApp, hashKey } from '@mosy/http';
import { serve, type Served } from './serve.js';
import { createReportApi, type ReportApiDeps } from '../app.js';
import { createMemoryAuditLog } from '../audit.js';

export interface Fixture extends Served {
  readonly dataset: SyntheticDataset;
  readonly stores: DuckDbStores;
  readonly audit: AuditLog;
  readonly keys: Readonly<Record<Role, string>>;
}

/** The normalized records that make the store hold the dataset's truth. */
export function truthRecords(dataset: SyntheticDataset): NormalizedRecord[] {
  const records: NormalizedRecord[] = [];
  for (const t of dataset.truth) {
    const base = {
      providerId: t.providerId,
      providerType: t.providerType,
      recordId: t.recordId,
      kind: t.kind,
      referenceDate: t.referenceDate,
      personKey: t.personKey,
    };
    records.push(buildNormalizedRecord({ ...base, version: 1, fields: t.fields }));
    if (t.withdrawn) records.push(buildNormalizedRecord({ ...base, version: 2, action: 'withdraw' }));
  }
  return records;
}

export async function startFixture(
  options: {
    seed?: number;
    persons?: number;
    deps?: Partial<ReportApiDeps>;
    /** Records to load instead of the dataset's truth (the dataset still gives the providers and keys). */
    records?: readonly NormalizedRecord[];
  } = {},
): Promise<Fixture> {
  const dataset = generateDataset({
    seed: options.seed ?? 7,
    persons: options.persons ?? 400,
    years: [2023, 2024],
  });
  const stores = await createDuckDbStores({ path: ':memory:' });
  for (const p of dataset.providers)
    await stores.registry.createProvider({ id: p.id, type: p.type, name: p.name, createdAt: 1 }, p.mapping);
  await stores.store.apply(options.records === undefined ? truthRecords(dataset) : [...options.records]);
  const keys = {} as Record<Role, string>;
  for (const role of ['analyst', 'coordinator', 'provider', 'admin'] as const) {
    const key = `test-${role}-key`;
    keys[role] = key;
    await stores.registry.createKey({
      id: `key-${role}`,
      hash: hashKey(key),
      role,
      createdAt: 1,
      ...(role === 'provider' ? { providerId: dataset.providers[0]!.id } : {}),
    });
  }
  const audit = createMemoryAuditLog();
  const app = express();
  app.use(
    createReportApi({
      store: stores.store,
      registry: stores.registry,
      ledger: stores.ledger,
      authenticate: createAuthenticator({ registry: stores.registry }),
      pipelineStatus: () => Promise.resolve({ idle: true, stages: {} }),
      audit,
      ...options.deps,
    }),
  );
  finishApp(app, createLogger({ name: 'report-api-test', level: 'silent' }));
  return { ...(await serve(app, keys, stores)), dataset, stores, audit, keys };
}
