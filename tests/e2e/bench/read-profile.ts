/**
 * Where the time of one catalogue read goes, at one size (not run by the tests, nor by `npm run bench`): the bench's
 * query records (the same base and copies as `npm run bench`) are loaded once into a DuckDB file kept in DIR, then
 * CKI 1.4 and CKI 1.7a (persons, as the API asks them: key sums for the cell key method) are timed in this process
 * step by step (store read, again with a write before each read, disclosure control, JSON), and with `API=1` the
 * same reads through the HTTP API of the embedded runtime started on the file.
 *
 *   nice node --conditions=@mosy/source --import tsx tests/e2e/bench/read-profile.ts
 *   SIZE=200000 DIR=/tmp/mosy-read-profile RUNS=200 API=1 NODE_ARGS='--cpu-prof' … (defaults shown, API off)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { INDICATORS, parseIndicatorQuery, protectResult, type StoreQuery } from '@mosy/core';
import { createDuckDbStores } from '@mosy/store-duckdb';
import { createClient } from '../lib/client.js';
import { startEmbedded } from '../lib/embedded-process.js';
import { issueKey } from '../lib/load.js';
import { getJson } from './http.js';
import { CATALOGUE_READS } from './queries.js';
import { copyOf, currentNormalized, datasetOf } from './records.js';
import { latency, now } from './stats.js';

const SIZE = Number(process.env.SIZE ?? 200_000);
const DIR = join(process.env.DIR ?? '/tmp/mosy-read-profile', String(SIZE));
const RUNS = Number(process.env.RUNS ?? 200);
const BATCH = 50_000;

const victims = INDICATORS.find((indicator) => indicator.id === 'victims')!;
const reads: Record<string, StoreQuery> = {
  'CKI 1.4': parseIndicatorQuery(victims, { by: 'sex,ageGroup', interval: 'quarter' }, []),
  'CKI 1.7a': parseIndicatorQuery(victims, { by: 'citizenship', interval: 'quarter' }, []),
};

const path = join(DIR, 'mosy.duckdb');
if (!existsSync(path)) {
  mkdirSync(DIR, { recursive: true });
  // As `npm run bench` with its default seed (14): the query base from seed 15, repeated to the size.
  const base = currentNormalized(
    datasetOf(Math.min(SIZE, 60_000), 15),
    'bench-pseudonym-secret-of-at-least-32-bytes',
  );
  const stores = await createDuckDbStores({ path });
  const started = now();
  for (let at = 0; at < SIZE;) {
    const copy = Math.floor(at / base.length);
    const records = copyOf(base, copy).slice(at % base.length, (at % base.length) + (SIZE - at));
    for (let i = 0; i < records.length; i += BATCH) await stores.store.apply(records.slice(i, i + BATCH));
    at += records.length;
  }
  console.log(`loaded ${SIZE} records in ${((now() - started) / 1000).toFixed(1)} s`);
  await stores.close();
}

/** `run` timed, with `before` (not timed) ahead of each run. */
const time = async (run: () => unknown, before?: () => Promise<unknown>) => {
  for (let i = 0; i < 5; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await before?.();
    const started = now();
    await run();
    samples.push(now() - started);
  }
  const { p50Ms, p95Ms } = latency(samples);
  return `p50 ${p50Ms} ms, p95 ${p95Ms} ms`;
};

console.log(`size ${SIZE}, runs ${RUNS}, load ${loadavg()[0]!.toFixed(1)}`);
const stores = await createDuckDbStores({ path });
try {
  for (const [name, query] of Object.entries(reads)) {
    const keyed = { ...query, keySums: true };
    const result = await stores.store.query(keyed);
    const published = protectResult(result, 'perturb', { threshold: 5 });
    console.log(`${name}: ${result.cells.length} cells`);
    console.log(`  store.query    ${await time(() => stores.store.query(keyed))}`);
    // A write (the migrations, idempotent) before each read: the store's results kept until a write are gone.
    const write = () => stores.store.migrate();
    console.log(`  after a write  ${await time(() => stores.store.query(keyed), write)}`);
    console.log(`  protectResult  ${await time(() => protectResult(result, 'perturb', { threshold: 5 }))}`);
    console.log(`  JSON.stringify ${await time(() => JSON.stringify(published))}`);
  }
} finally {
  await stores.close();
}

if (process.env.API === '1') {
  const nodeArgs = process.env.NODE_ARGS?.split(' ').filter((arg) => arg !== '') ?? [];
  const app = await startEmbedded(DIR, join(DIR, '..'), 0, {}, nodeArgs);
  try {
    const client = createClient(app.url);
    const key = (await issueKey(client, app.adminToken, 'analyst')).key;
    for (const { name, path: route } of CATALOGUE_READS.filter((read) =>
      read.name.includes(process.env.ONLY ?? ''),
    )) {
      console.log(`API ${name}: ${await time(() => getJson(app.url, route, key))}`);
      // A write ahead of each read (an API key issued: the registry shares the store's file), so the store has
      // kept nothing: the first read after an apply.
      const write = () => issueKey(client, app.adminToken, 'analyst');
      console.log(`API ${name}, after a write: ${await time(() => getJson(app.url, route, key), write)}`);
    }
  } finally {
    await app.stop();
  }
}
