/**
 * Test support (not built): a report API over an in-memory DuckDB store loaded with a synthetic dataset's truth,
 * one key per role, and a small HTTP client. Records are applied as normalized records built from the truth, so
 * the store holds exactly what `referenceQuery` counts from; withdrawn records are applied and then withdrawn.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { AuditLog, NormalizedRecord, Role } from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { buildNormalizedRecord, generateDataset, type SyntheticDataset } from '@mosy/testkit';
import { createAuthenticator, createLogger, finishApp, hashKey } from '@mosy/http';
import { createReportApi, type ReportApiDeps } from '../app.js';
import { createMemoryAuditLog } from '../audit.js';

export interface Fixture {
  readonly url: string;
  readonly dataset: SyntheticDataset;
  readonly stores: DuckDbStores;
  readonly audit: AuditLog;
  readonly keys: Readonly<Record<Role, string>>;
  /** GET with a role's key; returns status, headers and body (parsed JSON unless text). */
  get(path: string, role: Role): Promise<{ status: number; body: unknown; text: string; type: string }>;
  close(): Promise<void>;
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
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dataset,
    stores,
    audit,
    keys,
    async get(path, role) {
      const response = await fetch(url + path, { headers: { authorization: `Bearer ${keys[role]}` } });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return {
        status: response.status,
        text,
        type,
        body: type.includes('json') ? (JSON.parse(text) as unknown) : text,
      };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stores.close();
    },
  };
}
