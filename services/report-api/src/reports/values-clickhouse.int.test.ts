// Values on ClickHouse, whose store keeps results while its tables are unchanged (store-clickhouse's
// `result-cache.ts`) and whose protected values are kept with them (`protect-once.ts`): the report API reads from
// one store while another applies, as report-api and the aggregator do. After every write the API answers what a
// report API that has kept nothing answers, exactly: the new counts, and the protected values of the new counts.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedRecord, Role } from '@mosy/core';
import { createAuthenticator, createLogger, finishApp, hashKey } from '@mosy/http';
import { createClickHouseStores, type ClickHouseStores } from '@mosy/store-clickhouse';
import { buildNormalizedRecord, clickHouseTestDatabases } from '@mosy/testkit';
import { createReportApi } from '../app.js';
import { createMemoryAuditLog } from '../audit.js';
import { serve, type Served } from '../test-support/serve.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const databases = clickHouseTestDatabases(URL_BASE);
const KEYS: Record<Role, string> = {
  analyst: 'test-analyst-key',
  coordinator: 'test-coordinator-key',
  provider: 'test-provider-key',
  admin: 'test-admin-key',
  node: 'test-node-key',
};
const PATH = '/v1/indicators/victims/values?by=sex&interval=quarter';

/** `count` victims of one sex in the first quarter of 2026, each its own person. */
const victims = (prefix: string, sex: string, count: number): NormalizedRecord[] =>
  Array.from({ length: count }, (_, i) =>
    buildNormalizedRecord({
      recordId: `${prefix}-${i}`,
      personKey: `p:${prefix}-${i}`,
      fields: { status: 'IDENTIFIED', sex },
    }),
  );

let database: string;
let writer: ClickHouseStores;

/** A report API over its own stores on the test database. */
async function openApi(): Promise<Served> {
  const stores = await createClickHouseStores({ url: URL_BASE, database, migrate: false });
  const app = express();
  app.use(
    createReportApi({
      store: stores.store,
      registry: stores.registry,
      authenticate: createAuthenticator({ registry: stores.registry }),
      pipelineStatus: () => Promise.resolve({ idle: true, stages: {} }),
      audit: createMemoryAuditLog(),
      webDir: false,
    }),
  );
  finishApp(app, createLogger({ name: 'report-api-test', level: 'silent' }));
  return serve(app, KEYS, stores);
}

/** The body of a GET, after checking its status. */
async function body(api: Served, path: string, role: Role): Promise<unknown> {
  const { status, body, text } = await api.get(path, role);
  expect(status, text).toBe(200);
  return body;
}

/** What a report API that has kept nothing answers. */
async function fresh(path: string, role: Role): Promise<unknown> {
  const api = await openApi();
  try {
    return await body(api, path, role);
  } finally {
    await api.close();
  }
}

let api: Served;
beforeAll(async () => {
  database = databases.fresh('test_values_cache');
  writer = await createClickHouseStores({ url: URL_BASE, database });
  for (const role of ['analyst', 'coordinator'] as const)
    await writer.registry.createKey({ id: `key-${role}`, hash: hashKey(KEYS[role]), role, createdAt: 1 });
  await writer.store.apply([...victims('f', 'F', 12), ...victims('m', 'M', 7)]);
  api = await openApi();
});

afterAll(async () => {
  await api.close();
  await writer.close();
  await databases.drop(database);
});

describe('values on ClickHouse while another store writes', () => {
  it('answers the counts and the protected values of the latest write, and the same body again until then', async () => {
    const exact = async () => {
      const { cells, total } = (await body(api, `${PATH}&protection=none`, 'coordinator')) as {
        cells: { sex: string; value: number }[];
        total: number;
      };
      return [...cells.map((cell) => [cell.sex, cell.value]), ['total', total]];
    };
    expect(await exact()).toEqual([
      ['F', 12],
      ['M', 7],
      ['total', 19],
    ]);
    const first = await body(api, PATH, 'analyst');
    expect(await body(api, PATH, 'analyst')).toEqual(first);
    expect(first).toEqual(await fresh(PATH, 'analyst'));

    await writer.store.apply([...victims('m2', 'M', 3)]);
    expect(await exact()).toEqual([
      ['F', 12],
      ['M', 10],
      ['total', 22],
    ]);
    const second = await body(api, PATH, 'analyst');
    expect(second).toEqual(await fresh(PATH, 'analyst'));
    expect(second).not.toEqual(first);

    // Two of the women withdrawn: fewer than before.
    await writer.store.apply(
      victims('f', 'F', 2).map((record) => ({ ...record, version: 2, action: 'withdraw', fields: {} })),
    );
    expect(await exact()).toEqual([
      ['F', 10],
      ['M', 10],
      ['total', 20],
    ]);
    expect(await body(api, PATH, 'analyst')).toEqual(await fresh(PATH, 'analyst'));
  });
});
