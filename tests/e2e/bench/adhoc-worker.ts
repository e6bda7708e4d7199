/**
 * One side of `adhoc-compare.ts`, run as its child from a checkout (the old code's or the new): opens a DuckDB file
 * as the store (`MODE=store`: each read after an untimed write, as `npm run bench` times the store's statements) or
 * as a plain instance (`MODE=raw`: the bench's raw GROUP BY), then on each message `{ reps }` times every query of
 * `QUERIES` that many times and answers with the samples (wall and CPU milliseconds of this process, DuckDB's
 * threads included) and a digest of the last answer of each.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createDuckDbStores } from '@mosy/store-duckdb';
import { QUERIES } from './queries.js';
import { openRawDuckDb } from './raw-duckdb.js';
import { now } from './stats.js';

const DB = process.env.DB!;
const MODE = process.env.MODE!;
/** Only the queries whose name contains it. */
const ONLY = process.env.ONLY ?? '';
const digest = (value: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
    .digest('hex')
    .slice(0, 16);

type Runner = (query: (typeof QUERIES)[number]) => {
  before?: () => Promise<unknown>;
  run: () => Promise<unknown>;
};
let runner: Runner;
let close: () => Promise<void> | void;
if (MODE === 'store') {
  const stores = await createDuckDbStores({ path: join(DB, 'mosy.duckdb') });
  const store = stores.store;
  runner = (query) => ({
    before: () => store.migrate(),
    run:
      query.parts === undefined
        ? () => store.query(query.store)
        : async () => (await store.queryParts(query.store, query.parts!))!,
  });
  close = () => stores.close();
} else {
  const database = await openRawDuckDb(join(DB, 'mosy.duckdb'));
  runner = (query) => ({ run: async () => (await database.time(query.raw('duckdb'))).rows });
  close = () => database.close();
}

async function handle(message: { reps: number } | 'close') {
  if (message === 'close') {
    await close();
    process.send!('closed');
    return;
  }
  const out: Record<string, { samples: number[]; cpu: number[]; digest: string }> = {};
  for (const query of QUERIES.filter((q) => q.name.includes(ONLY))) {
    const { before, run } = runner(query);
    const samples: number[] = [];
    const cpu: number[] = [];
    let last: unknown;
    for (let i = 0; i < message.reps; i++) {
      await before?.();
      const used = process.cpuUsage();
      const started = now();
      last = await run();
      samples.push(now() - started);
      const { user, system } = process.cpuUsage(used);
      cpu.push((user + system) / 1000);
    }
    out[query.name] = { samples, cpu, digest: digest(last) };
  }
  process.send!(out);
}
process.on('message', (message: { reps: number } | 'close') => void handle(message));
process.send!('ready');
