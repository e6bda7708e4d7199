/**
 * Throughput and latency of the ClickHouse store at scale (not run by the tests). On a fresh random database at
 * MOSY_CLICKHOUSE_URL: applies RECORDS synthetic records in batches of BATCH, then UPDATES second versions of
 * existing records, replays a slice (all ignored), and times typical queries (median of 5). Generation is outside
 * the timed part. The database is dropped at the end unless KEEP=1.
 *
 *   node --conditions=@mosy/source --import tsx packages/store-clickhouse/bench/apply-bench.ts
 *   RECORDS=1000000 BATCH=10000 UPDATES=100000 … (defaults shown)
 */
import { randomUUID } from 'node:crypto';
import type { NormalizedRecord, StoreQuery } from '@mosy/core';
import { BENCH_QUERIES, benchRecords } from '@mosy/testkit';
import { createClickHouseStores } from '../src/clickhouse-stores.js';
import { ClickHouseConnection } from '../src/connection.js';

const RECORDS = Number(process.env.RECORDS ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 10_000);
const UPDATES = Number(process.env.UPDATES ?? 100_000);
const url = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const database = `bench_${randomUUID().replaceAll('-', '')}`;

const record = benchRecords(RECORDS);
const stores = await createClickHouseStores({ url, database });
const { store } = stores;
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function applyAll(
  label: string,
  count: number,
  make: (i: number) => NormalizedRecord,
  expectApplied: boolean,
): Promise<void> {
  let took = 0;
  const batchMs: number[] = [];
  for (let offset = 0; offset < count; offset += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - offset) }, (_, i) => make(offset + i));
    const started = performance.now();
    const outcome = await store.apply(batch);
    const ms = performance.now() - started;
    const expected = expectApplied ? batch.length : 0;
    if (outcome.applied !== expected)
      throw new Error(`${label}: applied ${outcome.applied}, expected ${expected}`);
    took += ms;
    batchMs.push(ms);
  }
  console.log(
    `${label}: ${count} records, ${Math.round(count / (took / 1000))} records/s ` +
      `(median batch ${median(batchMs).toFixed(0)} ms, slowest ${Math.max(...batchMs).toFixed(0)} ms)`,
  );
}

console.log(`records ${RECORDS}, batch ${BATCH}, updates ${UPDATES}`);
await applyAll('apply new records', RECORDS, (i) => record(i), true);
// Every tenth record gets a second version, spread over the key space and the providers.
await applyAll('apply second versions', UPDATES, (i) => record((i * 10) % RECORDS, 2), true);
await applyAll('replay (all ignored)', Math.min(RECORDS, 5 * BATCH), (i) => record(i), false);
console.log(`current records: ${await store.countRecords()}`);

const queries: Record<string, StoreQuery> = {
  'records, no breakdown': { kind: 'victim', unit: 'records', by: [], filters: {} },
  ...BENCH_QUERIES,
  'records of one provider (key prefix)': {
    kind: 'victim',
    unit: 'records',
    by: ['sex'],
    filters: { providerId: ['prov-3'] },
  },
};
async function timeQueries(label: string): Promise<void> {
  console.log(`-- queries, ${label}`);
  for (const [name, query] of Object.entries(queries)) {
    const times: number[] = [];
    let cells = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const result = await store.query(query);
      times.push(performance.now() - started);
      cells = result.cells.length;
    }
    console.log(`query ${name}: median ${median(times).toFixed(0)} ms (${cells} cells)`);
  }
}

const raw = await ClickHouseConnection.open({ url, database });
const parts = async (): Promise<string> =>
  JSON.stringify(
    await raw.select(
      `SELECT count() AS parts, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
       WHERE database = currentDatabase() AND table = 'records_current' AND active`,
    ),
  );
console.log(`records_current parts: ${await parts()}`);
await timeQueries('as applied');
await raw.command('OPTIMIZE TABLE records_current FINAL');
console.log(`records_current parts after OPTIMIZE FINAL: ${await parts()}`);
await timeQueries('after OPTIMIZE FINAL');

await raw.close();
await stores.close();
if (process.env.KEEP !== '1') {
  const admin = await ClickHouseConnection.open({ url, database: 'default' });
  await admin.command(`DROP DATABASE ${database}`);
  await admin.close();
} else console.log(`kept database ${database}`);
