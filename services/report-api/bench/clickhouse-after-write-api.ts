/**
 * Catalogue reads through the report API right after a write, on ClickHouse (not run by the tests, nor by
 * `npm run bench`): on a database loaded by `tests/e2e/bench/clickhouse-after-write.ts`, a report API in this process
 * (as `values-clickhouse.int.test.ts` serves it: its own stores, an analyst's key) answers CKI 1.4 and CKI 1.7a, each
 * right after a one-record apply by another store (as the aggregator's), then again and again without writes; beside
 * them the same reads from a store alone, so that the API's share (key lookup, disclosure control, JSON, HTTP) shows.
 * Runs as is from a checkout of another commit (copy the file there).
 *
 *   nice node --conditions=@mosy/source --import tsx services/report-api/bench/clickhouse-after-write-api.ts
 *   DATABASE=after_write_200k RUNS=40 MOSY_CLICKHOUSE_URL=… (defaults shown)
 */
import { loadavg } from 'node:os';
import express from 'express';
import { INDICATORS, parseIndicatorQuery, type StoreQuery } from '@mosy/core';
import { createAuthenticator, createLogger, finishApp, hashKey } from '@mosy/http';
import { createClickHouseStores } from '@mosy/store-clickhouse';
import { buildNormalizedRecord } from '@mosy/testkit';
import { createReportApi } from '../src/app.js';
import { createMemoryAuditLog } from '../src/audit.js';
import { serve } from '../src/test-support/serve.js';

const DATABASE = process.env.DATABASE ?? 'after_write_200k';
const RUNS = Number(process.env.RUNS ?? 40);
const URL = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const KEY = `bench-analyst-key-${Date.now().toString(36)}`;

const now = (): number => performance.now();
const figure = (samples: readonly number[]): string => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): string => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!.toFixed(2);
  return `p50 ${at(50)} ms, p95 ${at(95)} ms`;
};

const victims = INDICATORS.find((indicator) => indicator.id === 'victims')!;
const reads: Record<string, { path: string; query: StoreQuery }> = {
  'CKI 1.4': {
    path: '/v1/indicators/victims/values?by=sex,ageGroup&interval=quarter',
    query: {
      ...parseIndicatorQuery(victims, { by: 'sex,ageGroup', interval: 'quarter' }, []),
      keySums: true,
    },
  },
  'CKI 1.7a': {
    path: '/v1/indicators/victims/values?by=citizenship&interval=quarter',
    query: { ...parseIndicatorQuery(victims, { by: 'citizenship', interval: 'quarter' }, []), keySums: true },
  },
};

const writer = await createClickHouseStores({ url: URL, database: DATABASE, migrate: false });
const alone = await createClickHouseStores({ url: URL, database: DATABASE, migrate: false });
const stores = await createClickHouseStores({ url: URL, database: DATABASE, migrate: false });
await writer.registry.createKey({ id: KEY, hash: hashKey(KEY), role: 'analyst', createdAt: 1 });
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
finishApp(app, createLogger({ name: 'after-write-api', level: 'silent' }));
const keys = { analyst: KEY, coordinator: KEY, provider: KEY, admin: KEY, node: KEY };
const api = await serve(app, keys, stores);

const tag = Date.now().toString(36);
let written = 0;
const write = async (): Promise<void> => {
  const id = `api-after-write-${tag}-${written++}`;
  const probe = buildNormalizedRecord({
    recordId: id,
    referenceDate: '2024-05-10',
    fields: { status: 'IDENTIFIED' },
  });
  if ((await writer.store.apply([probe])).applied !== 1) throw new Error(`the probe ${id} was not applied`);
};
const get = async (path: string): Promise<void> => {
  const { status, text } = await api.get(path, 'analyst');
  if (status !== 200) throw new Error(`${path}: ${status} ${text}`);
};

try {
  console.log(
    `runs ${RUNS}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const { path, query } of Object.values(reads)) {
    await get(path);
    await alone.store.query(query);
  }
  const samples: Record<string, number[]> = {};
  const time = async (label: string, action: () => Promise<unknown>): Promise<void> => {
    const started = now();
    await action();
    (samples[label] ??= []).push(now() - started);
  };
  for (let run = 0; run < RUNS; run++) {
    for (const [name, { path, query }] of Object.entries(reads)) {
      // The API and the store alone, in turn first, each right after a write of its own.
      const both = [
        async () => {
          await write();
          await time(`${name} API after a write`, () => get(path));
        },
        async () => {
          await write();
          await time(`${name} store after a write`, () => alone.store.query(query));
        },
      ];
      for (const step of run % 2 === 0 ? both : both.reverse()) await step();
    }
  }
  for (let run = 0; run < RUNS; run++) {
    for (const [name, { path, query }] of Object.entries(reads)) {
      await time(`${name} API again`, () => get(path));
      await time(`${name} store again`, () => alone.store.query(query));
    }
  }
  for (const [label, values] of Object.entries(samples)) console.log(`${label}: ${figure(values)}`);
  console.log(
    `load at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await api.close();
  await alone.close();
  await writer.close();
}
