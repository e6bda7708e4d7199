/**
 * Where the time of the store's `apply` goes (not run by the tests): applies RECORDS synthetic records
 * (`benchRecords`: 30 % with an identity, so the person counters have work) in batches of BATCH to a fresh database
 * file through the store itself, timing every statement the writer connection runs (wall ms, summed by the
 * statement's first words) and the JavaScript around them (encoding, files). The statement timer wraps
 * `DuckDBConnection.prototype`, so the store runs exactly its own code.
 *
 *   node --conditions=@mosy/source --import tsx packages/store-duckdb/bench/apply-stages.ts
 *   RECORDS=200000 BATCH=10000 THREADS=2 … (defaults shown); CHECKPOINT=1GB to see commits without checkpoints;
 *   IDENTIFIED=1 for records that all have an identity
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { benchRecords } from '@mosy/testkit';
import { createDuckDbStores } from '../src/duckdb-stores.js';

const RECORDS = Number(process.env.RECORDS ?? 200_000);
const BATCH = Number(process.env.BATCH ?? 10_000);
const THREADS = process.env.THREADS ?? '2';

const spent = new Map<string, { ms: number; cpuMs: number; calls: number; rows: number }>();
const labelOf = (sql: string): string => {
  const words = sql.replace(/\s+/g, ' ').trim().split(' ');
  const table = words.findIndex((w) => /^(TABLE|INTO|FROM|UPDATE)$/i.test(w));
  return words
    .slice(0, Math.max(2, table >= 0 ? table + 2 : 3))
    .join(' ')
    .slice(0, 70);
};
const note = (label: string, ms: number, cpu: NodeJS.CpuUsage, rows: number) => {
  const entry = spent.get(label) ?? { ms: 0, cpuMs: 0, calls: 0, rows: 0 };
  entry.rows += rows;
  entry.ms += ms;
  entry.cpuMs += (cpu.user + cpu.system) / 1000;
  entry.calls++;
  spent.set(label, entry);
};
type Method = (this: DuckDBConnection, ...args: unknown[]) => Promise<unknown>;
const prototype = DuckDBConnection.prototype as unknown as Record<string, Method>;
for (const name of ['run', 'runAndReadAll', 'createAppender']) {
  const original = prototype[name];
  if (original === undefined) continue;
  prototype[name] = async function (this: DuckDBConnection, ...args: unknown[]) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let rows = 0;
    try {
      const result = await original.apply(this, args);
      if (name === 'run') rows = Number((result as { rowsChanged?: number }).rowsChanged ?? 0);
      return result;
    } finally {
      const label = name === 'createAppender' ? 'createAppender' : labelOf(String(args[0]));
      note(label, performance.now() - started, process.cpuUsage(cpu), rows);
    }
  };
}

const generated = benchRecords(RECORDS);
// IDENTIFIED=1: every record with an identity, 2.4 records per person (the shape of the end-to-end bench's data).
const record =
  process.env.IDENTIFIED === '1'
    ? (index: number) => ({ ...generated(index), personKey: `p:${Math.floor(index / 2.4)}` })
    : generated;
const folder = await mkdtemp(join(tmpdir(), 'mosy-stages-'));
const stores = await createDuckDbStores({
  path: join(folder, 'bench.duckdb'),
  config: {
    threads: THREADS,
    ...(process.env.CHECKPOINT === undefined ? {} : { checkpoint_threshold: process.env.CHECKPOINT }),
  },
});
spent.clear();
const load = loadavg()[0]!.toFixed(1);
let wall = 0;
const cpu = process.cpuUsage();
for (let offset = 0; offset < RECORDS; offset += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, RECORDS - offset) }, (_, i) => record(offset + i));
  const started = performance.now();
  const outcome = await stores.store.apply(batch);
  wall += performance.now() - started;
  if (outcome.applied !== batch.length) throw new Error(`applied ${outcome.applied} of ${batch.length}`);
}
const used = process.cpuUsage(cpu);
const inStatements = [...spent.values()].reduce((sum, e) => sum + e.ms, 0);
const cpuInStatements = [...spent.values()].reduce((sum, e) => sum + e.cpuMs, 0);
console.log(
  `${RECORDS} records in batches of ${BATCH}, DuckDB threads ${THREADS}; load average ${load} → ${loadavg()[0]!.toFixed(1)}`,
);
console.log(
  `apply: ${Math.round(RECORDS / (wall / 1000))} records/s wall, ${(((used.user + used.system) / RECORDS) * 1).toFixed(1)} µs CPU per record (all threads)`,
);
const batches = RECORDS / BATCH;
const cpuMs = (used.user + used.system) / 1000;
console.log(
  `per batch: ${(wall / batches).toFixed(0)} ms wall, ${(cpuMs / batches).toFixed(0)} ms CPU; outside statements ` +
    `${((wall - inStatements) / batches).toFixed(0)} ms wall, ${((cpuMs - cpuInStatements) / batches).toFixed(0)} ms CPU`,
);
console.log('  wall ms   CPU ms  calls    rows  statement (per batch; rows written per batch)');
for (const [label, { ms, cpuMs, calls, rows }] of [...spent].sort((a, b) => b[1].cpuMs - a[1].cpuMs))
  console.log(
    `${(ms / batches).toFixed(1).padStart(8)} ${(cpuMs / batches).toFixed(1).padStart(8)} ${String(calls).padStart(6)} ` +
      `${String(Math.round(rows / batches)).padStart(8)}  ${label}`,
  );
await stores.close();
await rm(folder, { recursive: true, force: true });
