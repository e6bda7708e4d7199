/**
 * One side of `adhoc-compare-clickhouse.ts`, run as its child: opens DATABASE through the ClickHouse store of the
 * checkout CHECKOUT (`MODE=store`, imported from that checkout's sources, so an old commit without this file can be
 * measured) or reads it raw (`MODE=raw`: the bench's GROUP BY over HTTP), then on each message `{ reps }` times
 * every query of `QUERIES` that many times and answers with the wall-clock samples and a digest of the last answer
 * of each. The server does the work (no CPU figures, unlike DuckDB's worker): the samples are what a caller of the
 * store waits for.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { StoreQuery, StoreResult } from '@mosy/core';
import { QUERIES } from './queries.js';
import { clickHouseRows } from './query-run.js';
import { now } from './stats.js';

const URL = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const DATABASE = process.env.DATABASE!;
const MODE = process.env.MODE!;
const CHECKOUT = process.env.CHECKOUT!;
/** Only the queries whose name contains it. */
const ONLY = process.env.ONLY ?? '';
const digest = (value: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
    .digest('hex')
    .slice(0, 16);

interface Store {
  refreshCounters?(): Promise<number>;
  query(query: StoreQuery): Promise<StoreResult>;
  queryParts(query: StoreQuery, parts: readonly (readonly string[])[]): Promise<StoreResult[] | undefined>;
  close(): Promise<void>;
}

let run: (query: (typeof QUERIES)[number]) => Promise<unknown>;
let close: () => Promise<void> = () => Promise.resolve();
if (MODE === 'store') {
  const module = (await import(join(CHECKOUT, 'packages/store-clickhouse/src/index.ts'))) as {
    createClickHouseIndicatorStore(options: { url: string; database: string }): Promise<Store>;
  };
  const store = await module.createClickHouseIndicatorStore({ url: URL, database: DATABASE });
  // What the aggregator does after its batches (as `npm run bench` after its load): catalogue reads may then be
  // counter lookups, for the checkout's own rolling tables.
  // A refresh the server refuses (its memory limit, at a million records on a small server) leaves catalogue reads
  // on the grain references: said, not fatal, as in the aggregator.
  await store
    .refreshCounters?.()
    .catch((error: unknown) => console.error(`${MODE} ${CHECKOUT}: refresh failed`, error));
  run = async (query) =>
    query.parts === undefined ? store.query(query.store) : store.queryParts(query.store, query.parts);
  close = () => store.close();
} else {
  run = (query) => clickHouseRows(URL, DATABASE, query.raw('clickhouse'));
}

async function handle(message: { reps: number } | 'close') {
  if (message === 'close') {
    await close();
    process.send!('closed');
    return;
  }
  const out: Record<string, { samples: number[]; digest: string }> = {};
  for (const query of QUERIES.filter((q) => q.name.includes(ONLY))) {
    const samples: number[] = [];
    let last: unknown;
    for (let i = 0; i < message.reps; i++) {
      const started = now();
      last = await run(query);
      samples.push(now() - started);
    }
    out[query.name] = { samples, digest: digest(last) };
  }
  process.send!(out);
}
process.on('message', (message: { reps: number } | 'close') => void handle(message));
process.send!('ready');
