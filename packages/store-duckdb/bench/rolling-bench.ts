/**
 * What rolling counts cost in apply and gain in catalogue reads, in one run on the same data (not run by the
 * tests). Two databases take the same RECORDS synthetic records (`benchRecords`, 30 % with identity) in batches of
 * BATCH, one with rolling counts and one without, batch by batch in turn so both see the same machine load; then a
 * batch of corrections (later versions moving records between cells) on each. Then each catalogue read is timed on
 * the rolling counts and the same query on the current records (the database without them), and both answers are
 * compared. Also the rows the rolling tables hold per current record.
 *
 *   nice node --conditions=@mosy/source --import tsx packages/store-duckdb/bench/rolling-bench.ts
 *   RECORDS=200000 BATCH=20000 THREADS=2 … (defaults shown)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTERED_STATUSES, rollingReadOf, type StoreQuery } from '@mosy/core';
import { benchRecords } from '@mosy/testkit';
import { DuckDbDatabase } from '../src/database.js';
import { createIndicatorStoreOn } from '../src/indicator-store.js';

const RECORDS = Number(process.env.RECORDS ?? 200_000);
const BATCH = Number(process.env.BATCH ?? 20_000);
const THREADS = process.env.THREADS ?? '2';

const victims = { kind: 'victim', filters: { status: REGISTERED_STATUSES } } as const;
/** What the dashboard, the live stream and the quarterly report ask. */
const CATALOGUE: Readonly<Record<string, StoreQuery>> = {
  'dashboard: persons by quarter': { ...victims, unit: 'persons', by: [], interval: 'quarter' },
  'persons by sex x age group by quarter': {
    ...victims,
    unit: 'persons',
    by: ['sex', 'ageGroup'],
    interval: 'quarter',
  },
  'persons by citizenship, all time': { ...victims, unit: 'persons', by: ['citizenship'] },
  'quarterly: persons by sex, 2025 to Q2, key sums': {
    ...victims,
    unit: 'persons',
    by: ['sex'],
    interval: 'quarter',
    from: '2025-01-01',
    to: '2025-06-30',
    keySums: true,
  },
  'records by exploitation by month, one provider': {
    kind: 'victim',
    unit: 'records',
    by: ['exploitation'],
    interval: 'month',
    filters: { status: REGISTERED_STATUSES, providerId: ['prov-3'] },
  },
  'persons by region (NUTS 2) by quarter': {
    ...victims,
    unit: 'persons',
    by: ['regionOfIdentification'],
    geoLevel: 2,
    interval: 'quarter',
  },
  'records by sex x age group by provider, all time': {
    ...victims,
    unit: 'records',
    by: ['sex', 'ageGroup', 'providerId'],
  },
};

const record = benchRecords(RECORDS);
const folder = await mkdtemp(join(tmpdir(), 'mosy-rolling-bench-'));
const open = async (name: string, rolling: boolean) => {
  const database = await DuckDbDatabase.open({ path: join(folder, name), config: { threads: THREADS } });
  const store = createIndicatorStoreOn(database, () => database.close(), { rolling });
  await store.migrate();
  return { database, store };
};
const withRolling = await open('rolling.duckdb', true);
const without = await open('plain.duckdb', false);
console.log(
  `records ${RECORDS}, batch ${BATCH}, DuckDB threads ${THREADS}, load ${loadavg()[0]!.toFixed(1)}`,
);

const applyMs = { rolling: 0, plain: 0 };
const applyBoth = async (batch: ReturnType<typeof record>[]) => {
  let started = performance.now();
  await withRolling.store.apply(batch);
  applyMs.rolling += performance.now() - started;
  started = performance.now();
  await without.store.apply(batch);
  applyMs.plain += performance.now() - started;
};
for (let offset = 0; offset < RECORDS; offset += BATCH) {
  await applyBoth(Array.from({ length: Math.min(BATCH, RECORDS - offset) }, (_, i) => record(offset + i)));
}
const rate = (ms: number, n: number) => Math.round(n / (ms / 1000));
console.log(
  `apply ${RECORDS}: with rolling counts ${rate(applyMs.rolling, RECORDS)} records/s, ` +
    `without ${rate(applyMs.plain, RECORDS)} records/s (${(applyMs.rolling / applyMs.plain).toFixed(2)}x the time); ` +
    `load ${loadavg()[0]!.toFixed(1)}`,
);
applyMs.rolling = 0;
applyMs.plain = 0;
// Corrections: later versions of a slice, each drawn afresh, so most move between cells.
const corrections = Array.from({ length: Math.min(BATCH, RECORDS) }, (_, i) => record((i * 7) % RECORDS, 2));
await applyBoth(corrections);
console.log(
  `corrections batch of ${corrections.length}: with rolling counts ${applyMs.rolling.toFixed(0)} ms, ` +
    `without ${applyMs.plain.toFixed(0)} ms (${(applyMs.rolling / applyMs.plain).toFixed(2)}x)`,
);

const count = async (sql: string): Promise<number> =>
  withRolling.database.read(async (connection) =>
    Number((await connection.runAndReadAll(sql)).getRowObjectsJS()[0]!.n),
  );
const current = await count('SELECT count(*) AS n FROM records_current WHERE NOT withdrawn');
const cells = await count('SELECT count(*) AS n FROM rolling_cells');
const refs = await count('SELECT count(*) AS n FROM rolling_refs');
console.log(
  `rows: ${current} current records, ${cells} cell rows (${(cells / current).toFixed(2)} per record), ` +
    `${refs} reference rows (${(refs / current).toFixed(2)} per record)`,
);

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]): number => sorted(values)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]): number => sorted(values)[Math.ceil(values.length * 0.95) - 1]!;
const time = async (store: typeof withRolling.store, query: StoreQuery, runs: number) => {
  const times: number[] = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await store.query(query);
    times.push(performance.now() - started);
  }
  return { times, result: result! };
};
for (const [name, query] of Object.entries(CATALOGUE)) {
  if (rollingReadOf(query) === undefined) throw new Error(`${name} is not a catalogue read`);
  const rolling = await time(withRolling.store, query, 20);
  const plain = await time(without.store, query, 20);
  const same = JSON.stringify(rolling.result) === JSON.stringify(plain.result);
  console.log(
    `${name}: rolling p50 ${median(rolling.times).toFixed(1)} ms, p95 ${p95(rolling.times).toFixed(1)} ms; ` +
      `current records p50 ${median(plain.times).toFixed(1)} ms, p95 ${p95(plain.times).toFixed(1)} ms; ` +
      `${rolling.result.cells.length} cells, same answer: ${same}`,
  );
}
console.log(
  `load at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await withRolling.store.close();
await without.store.close();
await rm(folder, { recursive: true, force: true });
