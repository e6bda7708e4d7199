/**
 * The query figures at one size, in each store: the records are loaded straight into the store through its `apply`
 * (the aggregator's path, without the pipeline in front), then every query is timed through the store's own
 * `query`, as the raw GROUP BY on the same table, and through the HTTP API of the runtime started on that store.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IndicatorStore, NormalizedRecord, StoreResult } from '@mosy/core';
import type { SyntheticDataset } from '@mosy/testkit';
import { createClickHouseIndicatorStore } from '@mosy/store-clickhouse';
import { createDuckDbStores } from '@mosy/store-duckdb';
import { createClient } from '../lib/client.js';
import type { DistributedSystem } from '../lib/distributed.js';
import { startEmbedded } from '../lib/embedded-process.js';
import { issueKey, submitBatch, waitIdle } from '../lib/load.js';
import { getJson } from './http.js';
import { CATALOGUE_READS, QUERIES, type Engine } from './queries.js';
import { openRawDuckDb } from './raw-duckdb.js';
import { registerProbeProvider } from './probe.js';
import { copyOf, probeOf } from './records.js';
import { latency, now, round, type Latency, type PeakMemory } from './stats.js';

export interface QueryFigure {
  readonly query: string;
  readonly api: Latency;
  readonly store: Latency;
  readonly raw: Latency;
  /** The raw GROUP BY and the store's query counted the same (sum over the cells); null where not comparable. */
  readonly agrees: boolean | null;
}

export interface SizeFigures {
  readonly records: number;
  /** Seconds to apply the records added since the size before (all of them for the first). */
  readonly loadSeconds: number;
  readonly loadRecordsPerSecond: number;
  readonly queries: readonly QueryFigure[];
  /**
   * Catalogue reads through the HTTP API (`CATALOGUE_READS`): `api` the same read again and again, which a store
   * may answer from what it kept; `afterWrite` each read right after a one-record submission was counted, so that
   * nothing kept from before can answer it (the figure for the target).
   */
  readonly catalogue: readonly {
    readonly read: string;
    readonly api: Latency;
    readonly afterWrite: Latency;
  }[];
  /** ClickHouse: seconds of the person counters' refresh after the load (the aggregator runs it after applies). */
  readonly refreshSeconds?: number;
}

const APPLY_BATCH = 50_000;

/**
 * Applies records `from`..`to` of the endless sequence of copies of the base, in batches; returns seconds. Sizes
 * go up one after the other on the same store, each adding what the one before did not have.
 */
async function load(
  store: IndicatorStore,
  base: readonly NormalizedRecord[],
  from: number,
  to: number,
): Promise<number> {
  const started = now();
  for (let at = from; at < to;) {
    const copy = Math.floor(at / base.length);
    const offset = at % base.length;
    const records = copyOf(base, copy).slice(offset, offset + (to - at));
    for (let i = 0; i < records.length; i += APPLY_BATCH)
      await store.apply(records.slice(i, i + APPLY_BATCH));
    at += records.length;
  }
  return (now() - started) / 1000;
}

/** Fewer runs when a query is slow (but at least MIN_RUNS), so that a run of the bench stays within minutes. */
const TIME_BUDGET_MS = 20_000;
const MIN_RUNS = 5;

/**
 * Two warm-up runs, then `runs` timed ones, or fewer past the time budget (the figures say how many); `before`, when
 * given, runs ahead of each, untimed.
 */
async function timed<T>(
  runs: number,
  run: () => Promise<T>,
  before?: () => Promise<unknown>,
): Promise<{ latency: Latency; last: T }> {
  let last = await run();
  last = await run();
  const samples: number[] = [];
  const budgetStart = now();
  for (let i = 0; i < runs; i++) {
    if (i >= MIN_RUNS && now() - budgetStart > TIME_BUDGET_MS) break;
    await before?.();
    const started = now();
    last = await run();
    samples.push(now() - started);
  }
  return { latency: latency(samples), last };
}

const sumCells = (result: StoreResult) => result.cells.reduce((n, c) => n + c.value, 0);
const sumRows = (rows: readonly Record<string, unknown>[]) => rows.reduce((n, r) => n + Number(r.n), 0);

type Timings<T> = Map<string, { latency: Latency; last: T }>;

/**
 * `before` runs ahead of each timed read: a write (DuckDB's idempotent migrations, a row ClickHouse's reads never
 * count), as both stores keep their results until the next write and the figure is its statements' time against the
 * raw GROUP BY.
 */
async function storeTimes(
  store: IndicatorStore,
  runs: number,
  before?: () => Promise<unknown>,
): Promise<Timings<StoreResult>> {
  const out: Timings<StoreResult> = new Map();
  for (const query of QUERIES) {
    const { parts } = query;
    // A report's table: every part as the API asks for it; the figures keep the cells' part.
    const run =
      parts === undefined || store.queryParts === undefined
        ? () => store.query(query.store)
        : async () => {
            const answers = await store.queryParts!(query.store, parts);
            if (answers === undefined) throw new Error(`${query.name}: the store has no read of its parts`);
            return answers.at(-1)!;
          };
    out.set(query.name, await timed(runs, run, before));
  }
  return out;
}

type Rows = Record<string, unknown>[];

async function rawTimes(engine: Engine, raw: (sql: string) => Promise<Rows>, runs: number) {
  const out: Timings<Rows> = new Map();
  for (const query of QUERIES) out.set(query.name, await timed(runs, () => raw(query.raw(engine))));
  return out;
}

interface ApiTimes {
  readonly reads: Map<string, Latency>;
  readonly afterWrite: Map<string, Latency>;
}

/**
 * Every query and catalogue read through the HTTP API, by name; the catalogue reads also each after a write: a
 * provider of its own (`probeId`, new at each size) submits one new record of `dataset` and waits until it is counted.
 */
async function apiTimes(
  url: string,
  adminToken: string,
  dataset: SyntheticDataset,
  probeId: string,
  runs: number,
): Promise<ApiTimes> {
  const client = createClient(url);
  const analyst = (await issueKey(client, adminToken, 'analyst')).key;
  const reads = new Map<string, Latency>();
  for (const { name, path } of [...QUERIES, ...CATALOGUE_READS])
    reads.set(name, (await timed(runs, () => getJson(url, path, analyst))).latency);

  const coordinator = (await issueKey(client, adminToken, 'coordinator')).key;
  const probe = await registerProbeProvider(client, adminToken, dataset, probeId, 'bench write probe');
  let written = 0;
  const write = async () => {
    await submitBatch(client, probe.key, [probeOf(probe.record, `write-${written++}`)], 'json');
    await waitIdle(client, coordinator, 120_000);
  };
  const afterWrite = new Map<string, Latency>();
  for (const { name, path } of CATALOGUE_READS)
    afterWrite.set(name, (await timed(runs, () => getJson(url, path, analyst), write)).latency);
  return { reads, afterWrite };
}

function figures(
  size: number,
  loaded: number,
  loadSeconds: number,
  store: Timings<StoreResult>,
  raw: Timings<Rows>,
  { reads: api, afterWrite }: ApiTimes,
): SizeFigures {
  return {
    records: size,
    loadSeconds: round(loadSeconds, 2),
    loadRecordsPerSecond: Math.round(loaded / loadSeconds),
    queries: QUERIES.map((q) => {
      const s = store.get(q.name)!;
      const r = raw.get(q.name)!;
      // A report's margins are more rows than the store's cells: compared only for the plain breakdowns.
      const comparable = !q.path.startsWith('/v1/reports/');
      return {
        query: q.name,
        api: api.get(q.name)!,
        store: s.latency,
        raw: r.latency,
        agrees: comparable ? sumCells(s.last) === sumRows(r.last) : null,
      };
    }),
    catalogue: CATALOGUE_READS.map((c) => ({
      read: c.name,
      api: api.get(c.name)!,
      afterWrite: afterWrite.get(c.name)!,
    })),
  };
}

/**
 * DuckDB: loaded and timed in this process, then the embedded runtime is started on the same file. `dataDir` keeps
 * the records of the size before (`loaded` of them).
 */
export async function duckDbQueries(
  dataDir: string,
  base: readonly NormalizedRecord[],
  /** The dataset `base` was made from: the write probes copy a record of it. */
  dataset: SyntheticDataset,
  loaded: number,
  size: number,
  runs: number,
  peak: PeakMemory,
  /** Settings of the embedded runtime, e.g. `MOSY_DUCKDB_MEMORY_LIMIT`. */
  env: Readonly<Record<string, string>> = {},
): Promise<SizeFigures & { readonly duckdbVersion: string }> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'mosy.duckdb');
  // The store's writer holds the file, so the raw statements run on an instance opened after it closed.
  const stores = await createDuckDbStores({ path });
  let loadSeconds: number;
  let store: Timings<StoreResult>;
  try {
    loadSeconds = await load(stores.store, base, loaded, size);
    store = await storeTimes(stores.store, runs, () => stores.store.migrate());
  } finally {
    await stores.close();
  }
  const database = await openRawDuckDb(path);
  let raw: Timings<Rows>;
  let duckdbVersion: string;
  try {
    duckdbVersion = await database.version();
    raw = await rawTimes('duckdb', async (sql) => (await database.time(sql)).rows, runs);
  } finally {
    database.close();
  }
  const app = await startEmbedded(dataDir, join(dataDir, '..'), 0, env);
  try {
    const api = await apiTimes(app.url, app.adminToken, dataset, `bench-write-${size}`, runs);
    peak.note(`embedded (queries at ${size})`, app.pid);
    return { ...figures(size, size - loaded, loadSeconds, store, raw, api), duckdbVersion };
  } finally {
    await app.stop();
  }
}

/** Runs a statement on ClickHouse over its HTTP interface; the rows of its JSON answer. */
export async function clickHouseRows(url: string, database: string, sql: string): Promise<Rows> {
  const response = await fetch(`${url}/?database=${encodeURIComponent(database)}`, {
    method: 'POST',
    body: `${sql} FORMAT JSON`,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { data: Rows }).data;
}

/** Runs a statement without rows on ClickHouse over its HTTP interface. */
async function clickHouseCommand(url: string, database: string, sql: string): Promise<void> {
  const response = await fetch(`${url}/?database=${encodeURIComponent(database)}`, {
    method: 'POST',
    body: sql,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse: HTTP ${response.status}: ${text.slice(0, 500)}`);
}

/** ClickHouse: loaded through the store from this process into the database of a running distributed system. */
export async function clickHouseQueries(
  system: DistributedSystem,
  clickHouseUrl: string,
  base: readonly NormalizedRecord[],
  /** The dataset `base` was made from: the write probes copy a record of it. */
  dataset: SyntheticDataset,
  loaded: number,
  size: number,
  runs: number,
  peak: PeakMemory,
): Promise<SizeFigures> {
  const indicatorStore = await createClickHouseIndicatorStore({
    url: clickHouseUrl,
    database: system.database,
    migrate: false,
  });
  try {
    const loadSeconds = await load(indicatorStore, base, loaded, size);
    // What the aggregator does after its batches: the reads below are then counter lookups where they can be.
    const refreshStarted = now();
    await indicatorStore.refreshCounters();
    const refreshSeconds = round((now() - refreshStarted) / 1000, 2);
    // The store keeps results while the tables it reads are unchanged (store-clickhouse `result-cache.ts`): a row of
    // a fingerprint no read uses, written to one of those tables, makes each timed read run its statements, as
    // DuckDB's migrate does for its store.
    const store = await storeTimes(indicatorStore, runs, () =>
      clickHouseCommand(clickHouseUrl, system.database, "INSERT INTO rolling_state VALUES ('bench', 0)"),
    );
    const raw = await rawTimes(
      'clickhouse',
      (sql) => clickHouseRows(clickHouseUrl, system.database, sql),
      runs,
    );
    const api = await apiTimes(system.url, system.adminToken, dataset, `bench-write-${size}`, runs);
    for (const service of system.services)
      peak.note(`distributed ${service.name} (queries at ${size})`, service.pid);
    return { ...figures(size, size - loaded, loadSeconds, store, raw, api), refreshSeconds };
  } finally {
    await indicatorStore.close();
  }
}
