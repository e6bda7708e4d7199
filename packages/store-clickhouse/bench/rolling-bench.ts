/**
 * The cost and the gain of rolling counts on the ClickHouse store (not run by the tests). Two fresh databases at
 * MOSY_CLICKHOUSE_URL, one with the rolling views and one with them dropped after migrating (apply then writes
 * records_current alone through record_changes), take the same RECORDS synthetic records (`benchRecords`) in
 * batches of BATCH, alternating batch by batch so that both see the same load, then second versions of every tenth
 * record; prints apply records/s of each. Then, on the rolling database, each catalogue read runs RUNS times,
 * alternating with its ad-hoc twin (testkit's `adHocTwin`: the same query plus a filter listing every form of
 * exploitation, which every bench record has, so the same records, but no catalogue read: it goes to
 * `records_current FINAL`), with p50 and p95 in ms; and the rows per current
 * record in each rolling table, as applied and after OPTIMIZE FINAL. Both databases are dropped at the end.
 *
 *   nice node --conditions=@mosy/source --import tsx packages/store-clickhouse/bench/rolling-bench.ts
 *   RECORDS=300000 BATCH=10000 RUNS=20 … (defaults shown)
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { REGISTERED_STATUSES, rollingReadOf, type NormalizedRecord, type StoreQuery } from '@mosy/core';
import { integer } from '@mosy/sql';
import { adHocTwin, benchRecords } from '@mosy/testkit';
import { createClickHouseStores, type ClickHouseStores } from '../src/clickhouse-stores.js';
import { ClickHouseConnection } from '../src/connection.js';
import { rollingTables } from '../src/rolling.js';

const RECORDS = Number(process.env.RECORDS ?? 300_000);
const BATCH = Number(process.env.BATCH ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 20);
const url = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const tables = rollingTables();
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

interface Side {
  readonly name: string;
  readonly database: string;
  readonly stores: ClickHouseStores;
  readonly raw: ClickHouseConnection;
  ms: number;
}

async function open(name: string, rolling: boolean): Promise<Side> {
  const database = `bench_${name}_${randomUUID().replaceAll('-', '')}`;
  const stores = await createClickHouseStores({ url, database });
  const raw = await ClickHouseConnection.open({ url, database });
  if (!rolling) {
    await raw.command(`DROP TABLE ${tables.cellsView}`);
    await raw.command(`DROP TABLE ${tables.refsView}`);
  }
  return { name, database, stores, raw, ms: 0 };
}

const withRolling = await open('rolling', true);
const without = await open('plain', false);
const sides = [withRolling, without];
const record = benchRecords(RECORDS);

async function applyBoth(label: string, count: number, make: (i: number) => NormalizedRecord): Promise<void> {
  for (const side of sides) side.ms = 0;
  for (let offset = 0; offset < count; offset += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - offset) }, (_, i) => make(offset + i));
    for (const side of sides) {
      const begun = performance.now();
      const outcome = await side.stores.store.apply(batch);
      side.ms += performance.now() - begun;
      if (outcome.applied !== batch.length) throw new Error(`${side.name}: applied ${outcome.applied}`);
    }
  }
  const rate = (side: Side): number => Math.round(count / (side.ms / 1000));
  console.log(
    `${label}, ${count} records: with rolling counts ${rate(withRolling)} records/s (${(withRolling.ms / 1000).toFixed(1)} s), ` +
      `without ${rate(without)} records/s (${(without.ms / 1000).toFixed(1)} s), ratio ${(withRolling.ms / without.ms).toFixed(2)}; load ${load()}`,
  );
}

console.log(`records ${RECORDS}, batch ${BATCH}; load ${load()}`);
await applyBoth('first versions', RECORDS, (i) => record(i));
await applyBoth('second versions of every tenth', Math.floor(RECORDS / 10), (i) => record(i * 10, 2));
const current = await withRolling.stores.store.countRecords();
console.log(`current records: ${current}`);

const rowsPerRecord = async (label: string): Promise<void> => {
  const figures: string[] = [];
  for (const table of ['records_current', tables.cells, tables.refs]) {
    const rows = await withRolling.raw.select(
      `SELECT sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
       WHERE database = currentDatabase() AND table = '${table}' AND active`,
    );
    const count = integer(rows[0]?.rows ?? 0);
    figures.push(
      `${table} ${count} rows (${(count / current).toFixed(1)} per record, ${(integer(rows[0]?.bytes ?? 0) / 1e6).toFixed(1)} MB)`,
    );
  }
  console.log(`${label}: ${figures.join('; ')}`);
};
await rowsPerRecord('as applied');

const victims = { kind: 'victim', filters: { status: REGISTERED_STATUSES } } as const;
const queries: Readonly<Record<string, StoreQuery>> = {
  'persons by sex x ageGroup per quarter (CKI 1.4)': {
    ...victims,
    unit: 'persons',
    by: ['sex', 'ageGroup'],
    interval: 'quarter',
  },
  'persons by exploitation per quarter (CKI 1.5)': {
    ...victims,
    unit: 'persons',
    by: ['exploitation'],
    interval: 'quarter',
  },
  'persons by region of identification at NUTS 2, all time': {
    ...victims,
    unit: 'persons',
    by: ['regionOfIdentification'],
    geoLevel: 2,
  },
  'persons per quarter (total)': { ...victims, unit: 'persons', by: [], interval: 'quarter' },
  'records per month, 2025 (total)': {
    ...victims,
    unit: 'records',
    by: [],
    interval: 'month',
    from: '2025-01-01',
    to: '2025-12-31',
  },
  'records by sex, one provider, per quarter': {
    kind: 'victim',
    unit: 'records',
    by: ['sex'],
    interval: 'quarter',
    filters: { status: REGISTERED_STATUSES, providerId: ['prov-3'] },
  },
};

const { store } = withRolling.stores;
const percentile = (values: readonly number[], p: number): string =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!.toFixed(1);
const timed = async (query: StoreQuery): Promise<[number, number]> => {
  const begun = performance.now();
  const { total } = await store.query(query);
  return [performance.now() - begun, total];
};
async function reads(label: string): Promise<void> {
  console.log(`-- catalogue reads, ${label}; load ${load()}`);
  for (const [name, query] of Object.entries(queries)) {
    if (rollingReadOf(query) === undefined) throw new Error(`${name} is not a catalogue read`);
    if (rollingReadOf(adHocTwin(query)) !== undefined)
      throw new Error(`${name}: the twin is a catalogue read`);
    const rolling: number[] = [];
    const adHoc: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [rollingMs, rollingTotal] = await timed(query);
      const [adHocMs, adHocTotal] = await timed(adHocTwin(query));
      if (rollingTotal !== adHocTotal) throw new Error(`${name}: total ${rollingTotal} ≠ ${adHocTotal}`);
      rolling.push(rollingMs);
      adHoc.push(adHocMs);
    }
    console.log(
      `${name}: rolling p50 ${percentile(rolling, 0.5)} ms, p95 ${percentile(rolling, 0.95)} ms; ` +
        `current records (FINAL) p50 ${percentile(adHoc, 0.5)} ms, p95 ${percentile(adHoc, 0.95)} ms`,
    );
  }
}
await reads('as applied');
for (const table of ['records_current', tables.cells, tables.refs])
  await withRolling.raw.command(`OPTIMIZE TABLE ${table} FINAL`);
await rowsPerRecord('after OPTIMIZE FINAL');
await reads('after OPTIMIZE FINAL');

const admin = await ClickHouseConnection.open({ url, database: 'default' });
for (const side of sides) {
  await side.raw.close();
  await side.stores.close();
  await admin.command(`DROP DATABASE ${side.database}`);
}
await admin.close();
