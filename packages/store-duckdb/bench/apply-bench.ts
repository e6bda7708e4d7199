/**
 * Throughput and latency of the DuckDB store at scale (not run by the tests). Applies RECORDS synthetic normalized
 * records in batches of BATCH to a fresh database file, replays a slice (all ignored), then times a few typical
 * queries. Generation is outside the timed part.
 *
 *   node --conditions=@mosy/source --import tsx packages/store-duckdb/bench/apply-bench.ts
 *   RECORDS=1000000 BATCH=50000 THREADS=2 … (defaults shown)
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_QUERIES, benchRecords } from '@mosy/testkit';
import { createDuckDbStores } from '../src/duckdb-stores.js';

const RECORDS = Number(process.env.RECORDS ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 50_000);
const THREADS = process.env.THREADS ?? '2';

const record = benchRecords(RECORDS);

const LOAD_AT_START = loadavg()[0]!.toFixed(1);
const folder = await mkdtemp(join(tmpdir(), 'mosy-bench-'));
const path = join(folder, 'bench.duckdb');
const stores = await createDuckDbStores({
  path,
  config: {
    threads: THREADS,
    ...(process.env.CHECKPOINT === undefined ? {} : { checkpoint_threshold: process.env.CHECKPOINT }),
  },
});
const { store } = stores;

let applyMs = 0;
let applyCpuMs = 0;
const batchMs: number[] = [];
/** CPU time of this process (all threads, DuckDB's included) since `since`, in ms. */
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
for (let offset = 0; offset < RECORDS; offset += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, RECORDS - offset) }, (_, i) => record(offset + i));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await store.apply(batch);
  const took = performance.now() - started;
  applyCpuMs += cpuMs(cpu);
  if (outcome.applied !== batch.length) throw new Error(`applied ${outcome.applied} of ${batch.length}`);
  applyMs += took;
  batchMs.push(took);
}
const replay = Array.from({ length: Math.min(BATCH, RECORDS) }, (_, i) => record(i));
const replayStarted = performance.now();
const replayed = await store.apply(replay);
const replayMs = performance.now() - replayStarted;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`records ${RECORDS}, batch ${BATCH}, DuckDB threads ${THREADS}`);
console.log(`load average at start ${LOAD_AT_START}, now ${loadavg()[0]!.toFixed(1)} (2 cores shared)`);
console.log(
  `apply: ${Math.round(RECORDS / (applyMs / 1000))} records/s wall (median batch ${median(batchMs).toFixed(0)} ms), ` +
    `${((applyCpuMs * 1000) / RECORDS).toFixed(1)} µs CPU per record (all threads)`,
);
console.log(
  `replay of ${replay.length} (ignored ${replayed.ignored}): ${Math.round(replay.length / (replayMs / 1000))} records/s`,
);
console.log(`current records: ${await store.countRecords()}`);

for (const [name, query] of Object.entries(BENCH_QUERIES)) {
  const times: number[] = [];
  const cpus: number[] = [];
  let cells = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await store.query(query);
    times.push(performance.now() - started);
    cpus.push(cpuMs(cpu));
    cells = result.cells.length;
  }
  console.log(
    `query ${name}: median ${median(times).toFixed(0)} ms wall, ${median(cpus).toFixed(0)} ms CPU (${cells} cells)`,
  );
}
const closeStarted = performance.now();
await stores.close();
console.log(`close with checkpoint: ${(performance.now() - closeStarted).toFixed(0)} ms`);
console.log(`file: ${((await stat(path)).size / 1e6).toFixed(0)} MB`);
await rm(folder, { recursive: true, force: true });
