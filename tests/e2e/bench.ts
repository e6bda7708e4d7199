/**
 * `npm run bench`: MoSy's speed beside baselines measured in the same run on the same machine, written to
 * `docs/benchmarks.md` (tables and charts) and `docs/benchmarks.json` (every figure, the machine, the versions).
 *
 *   npm run bench -- [--size 200000[,1000000,…]] [--records 100000] [--only embedded|distributed|ingest|queries|
 *                    embedded-ingest,distributed-queries,…] [--runs 20] [--freshness-seconds 20] [--out docs/benchmarks]
 *                    [--profile DIR] [--duckdb-memory-limit 512MB]
 *
 * - ingest (`--records` synthetic records, 10 000-record requests, 2 in flight): accepted → counted against a bare
 *   node:http server parsing the same bodies and raw DuckDB inserts of the same rows (embedded), or raw kafkajs
 *   produce + consume of same-sized messages on the same broker and partitions (distributed); one-record
 *   submission latency against a bare POST; freshness (202 → counted in a report) at half the throughput measured.
 * - queries (at each `--size`, loaded straight into the store through `apply`): the API, the store's own query and
 *   the raw GROUP BY on the same table, in DuckDB and ClickHouse; catalogue reads.
 * - peak RSS of every process.
 * The embedded runtime is the built CLI on temporary folders; the distributed one the four services on the local
 * Kafka, registry and ClickHouse (deploy/local/up.sh) in topics, groups and a database named `bench…` of its own,
 * removed at the end. Run it with `nice` on a shared machine: the load average is part of the output.
 * `--profile DIR`: the embedded runtime and the distributed services write V8 CPU profiles (`--cpu-prof`) into DIR when they stop, to find
 * where a distributed figure's time goes (open them in Chrome's DevTools).
 * `--duckdb-memory-limit`: the embedded runtime runs with `MOSY_DUCKDB_MEMORY_LIMIT` set to it (DuckDB's default
 * otherwise), to see its peak RSS under a limit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { randomUUID } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { localServiceEnv, startDistributed, type DistributedSystem } from './lib/distributed.js';
import { startEmbedded } from './lib/embedded-process.js';
import { log, machine, options } from './lib/run-info.js';
import { startBareServer } from './bench/bare-http.js';
import { measureIngest } from './bench/ingest-run.js';
import { clickHouseQueries, clickHouseRows, duckDbQueries, type SizeFigures } from './bench/query-run.js';
import { rawDuckDbInsert } from './bench/raw-duckdb.js';
import { meanMessageBytes, rawKafka } from './bench/raw-kafka.js';
import {
  currentNormalized,
  datasetOf,
  lanesOf,
  probeOf,
  probeTemplate,
  requestsOf,
} from './bench/records.js';
import type { BenchFigures } from './bench/figures.js';
import { writeReport } from './bench/report.js';
import { PeakMemory, round } from './bench/stats.js';
import { oneRecordBody, pushRate, submissionLatency } from './bench/traffic.js';

const PARTS = ['embedded-ingest', 'embedded-queries', 'distributed-ingest', 'distributed-queries'] as const;
type Part = (typeof PARTS)[number];

const opts = options({
  size: '200000',
  records: '100000',
  only: '',
  runs: '20',
  'request-size': '10000',
  'in-flight': '2',
  'latency-samples': '200',
  'freshness-seconds': '20',
  seed: '14',
  out: 'docs/benchmarks',
  profile: '',
  'duckdb-memory-limit': '',
});
/** Settings of every embedded run. */
const embeddedEnv: Record<string, string> =
  opts['duckdb-memory-limit'] === '' ? {} : { MOSY_DUCKDB_MEMORY_LIMIT: opts['duckdb-memory-limit'] };
const sizes = opts.size
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const records = Number(opts.records);
const runs = Number(opts.runs);
const requestSize = Number(opts['request-size']);
const inFlight = Number(opts['in-flight']);
const latencySamples = Number(opts['latency-samples']);
const freshnessSeconds = Number(opts['freshness-seconds']);
const seed = Number(opts.seed);
const parts: Part[] =
  opts.only === ''
    ? [...PARTS]
    : PARTS.filter((p) => opts.only.split(',').some((o) => p === o || p.split('-').includes(o)));
if (
  sizes.some((s) => !(s > 0)) ||
  ![records, runs, requestSize, inFlight, latencySamples, freshnessSeconds].every((n) => n > 0) ||
  parts.length === 0
)
  throw new Error(
    `usage: bench [--size N[,N…]] [--records N] [--only ${PARTS.join('|')}|embedded|distributed|ingest|queries] [--runs N]`,
  );

const work = mkdtempSync(join(tmpdir(), 'mosy-bench-'));
const peak = new PeakMemory();
const startedAt = new Date().toISOString();
const loadAtStart = loadavg().map((l) => round(l, 2));
const PSEUDONYM_SECRET = 'bench-pseudonym-secret-of-at-least-32-bytes';

const needsIngest = parts.some((p) => p.endsWith('-ingest'));
const needsQueries = parts.some((p) => p.endsWith('-queries'));
log(`parts: ${parts.join(', ')}; records ${records}; sizes ${sizes.join(', ')}; work ${work}`);
const dataset = needsIngest ? datasetOf(records, seed) : undefined;
const lanes = dataset ? lanesOf(requestsOf(dataset, records, requestSize), inFlight) : [];
// Records not sent in the throughput run (new ids), for the background load of the freshness figure: two requests a
// second, one after the other (each provider's versions in order).
const freshnessLoad = (rate: number) =>
  dataset ? requestsOf(dataset, records, Math.max(50, Math.round(rate / 2)), (id) => `${id}f`).flat() : [];
const queryDataset = needsQueries
  ? datasetOf(Math.min(sizes[sizes.length - 1]!, 60_000), seed + 1)
  : undefined;
const base = queryDataset ? currentNormalized(queryDataset, PSEUDONYM_SECRET) : [];
if (dataset)
  log(
    `dataset: ${lanes.flat().reduce((n, r) => n + r.records, 0)} records in ${lanes.flat().length} requests`,
  );
if (needsQueries) log(`query base: ${base.length} current records, repeated to each size`);

const ingestOptions = {
  dataset: dataset!,
  lanes,
  freshnessLoad,
  latencySamples,
  freshnessSeconds,
  pollMs: 5,
  peak,
  log,
};

type Results = Pick<BenchFigures, 'embedded' | 'distributed'>;
const results: { -readonly [K in keyof Results]: NonNullable<Results[K]> } = {};
const versions: Record<string, string> = {
  node: process.version,
  kafkajs: packageVersion('kafkajs'),
  duckdbNodeApi: packageVersion('@duckdb/node-api'),
};

function packageVersion(name: string): string {
  try {
    const url = new URL(import.meta.resolve(`${name}/package.json`));
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Kafka's version as deploy/local recorded it when it formatted the broker's storage. */
function kafkaVersion(): string {
  try {
    const state = process.env.MOSY_LOCAL_STATE ?? '/tmp/mosy-local';
    return readFileSync(join(state, 'kafka', 'formatted-for'), 'utf8')
      .split(' ')[0]!
      .trim();
  } catch {
    return 'unknown';
  }
}

async function embeddedIngest() {
  log('embedded ingest: bare HTTP baseline');
  const bare = await startBareServer();
  let bareHttp;
  try {
    const run = await pushRate(bare.url, lanes, () => undefined);
    const template = probeTemplate(dataset!);
    const bodies = Array.from({ length: latencySamples }, (_, i) =>
      oneRecordBody(probeOf(template.record, `bench-latency-${i}`)),
    );
    const latency = await submissionLatency(bare.url, undefined, bodies);
    peak.note('bare HTTP server', bare.pid);
    bareHttp = { recordsPerSecond: run.recordsPerSecond, seconds: round(run.seconds, 2), latency };
    log(`bare HTTP: ${run.recordsPerSecond}/s; one-record POST p50 ${latency.p50Ms} ms`);
  } finally {
    await bare.stop();
  }
  log('embedded ingest: raw DuckDB insert baseline');
  const rawDuckDb = await rawDuckDbInsert(work, lanes.flat());
  log(`raw DuckDB insert: ${rawDuckDb.rowsPerSecond} rows/s`);
  log('embedded ingest: MoSy');
  const app = await startEmbedded(
    join(work, 'embedded-ingest'),
    work,
    0,
    { MOSY_PSEUDONYM_SECRET: PSEUDONYM_SECRET, ...embeddedEnv },
    opts.profile === ''
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`, '--cpu-prof-name=embedded.cpuprofile'],
  );
  try {
    const mosy = await measureIngest(
      {
        url: app.url,
        adminToken: app.adminToken,
        processes: () => [{ name: 'embedded (ingest run)', pid: app.pid }],
      },
      ingestOptions,
    );
    results.embedded = { ...results.embedded, ingest: { bareHttp, rawDuckDbInsert: rawDuckDb, mosy } };
  } finally {
    await app.stop();
    rmSync(join(work, 'embedded-ingest'), { recursive: true, force: true });
  }
}

function logCatalogue(f: SizeFigures): void {
  for (const c of f.catalogue)
    log(
      `  ${c.read}: API p50 ${c.api.p50Ms} ms, p95 ${c.api.p95Ms} ms; after a write p50 ${c.afterWrite.p50Ms} ms, p95 ${c.afterWrite.p95Ms} ms`,
    );
}

async function embeddedQueries() {
  const figures: SizeFigures[] = [];
  const dataDir = join(work, 'embedded-queries');
  let loaded = 0;
  for (const size of sizes) {
    log(`embedded queries at ${size}`);
    const f = await duckDbQueries(dataDir, base, queryDataset!, loaded, size, runs, peak, embeddedEnv);
    versions.duckdb = f.duckdbVersion;
    figures.push(f);
    loaded = size;
    for (const q of f.queries)
      log(
        `  ${q.query}: API p50 ${q.api.p50Ms} ms, store ${q.store.p50Ms} ms, raw ${q.raw.p50Ms} ms, agrees ${q.agrees}`,
      );
    logCatalogue(f);
    results.embedded = { ...results.embedded, queries: [...figures] };
    await writeFigures('embedded-queries');
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** The distributed runtime in this run's own topics, groups and database; all removed by its `stop`. */
function distributedEnv(id: string): Record<string, string> {
  return {
    MOSY_TOPIC_SUBMISSIONS: `bench-${id}.submissions`,
    MOSY_TOPIC_RECORDS: `bench-${id}.records`,
    MOSY_TOPIC_DEADLETTER: `bench-${id}.deadletter`,
    MOSY_CLICKHOUSE_DATABASE: `bench_${id}`,
    MOSY_GROUP_PREFIX: `bench-${id}-`,
    MOSY_PSEUDONYM_SECRET: PSEUDONYM_SECRET,
    LOG_LEVEL: 'warn',
  };
}

async function withDistributed<T>(run: (system: DistributedSystem) => Promise<T>): Promise<T> {
  const id = randomUUID().replaceAll('-', '').slice(0, 10);
  const system = await startDistributed({
    partitions: 4,
    env: distributedEnv(id),
    ...(opts.profile === '' ? {} : { cpuProfileDir: opts.profile }),
  });
  try {
    return await run(system);
  } finally {
    await system.stop();
    log(`removed topics bench-${id}.*, groups bench-${id}-* and database bench_${id}`);
  }
}

async function distributedIngest() {
  const env = localServiceEnv();
  await withDistributed(async (system) => {
    log('distributed ingest: MoSy');
    const mosy = await measureIngest(
      {
        url: system.url,
        adminToken: system.adminToken,
        processes: () =>
          system.services.map((s) => ({ name: `distributed ${s.name} (ingest run)`, pid: s.pid })),
      },
      { ...ingestOptions, pollMs: 20 },
    );
    const messageBytes = await meanMessageBytes(
      env.MOSY_KAFKA_BROKERS!,
      system.topics.submissions,
      `${system.env.MOSY_GROUP_PREFIX}sizer`,
    );
    log(
      `distributed ingest: raw kafkajs baseline, ${mosy.acceptedToCounted.records} messages of ${messageBytes} bytes`,
    );
    const raw = await rawKafka({
      brokers: env.MOSY_KAFKA_BROKERS!,
      topic: `${system.env.MOSY_GROUP_PREFIX}raw`,
      partitions: 4,
      messages: mosy.acceptedToCounted.records,
      messageBytes,
      requestSize,
      inFlight,
    });
    log(`raw kafkajs produce + consume: ${raw.messagesPerSecond}/s`);
    results.distributed = { ...results.distributed, ingest: { rawKafka: raw, mosy } };
  });
}

async function distributedQueries() {
  const env = localServiceEnv();
  // With the consumers: the catalogue reads after a write wait for a submission to be counted.
  await withDistributed(async (system) => {
    const figures: SizeFigures[] = [];
    let loaded = 0;
    for (const size of sizes) {
      log(`distributed queries at ${size}`);
      const f = await clickHouseQueries(
        system,
        env.MOSY_CLICKHOUSE_URL!,
        base,
        queryDataset!,
        loaded,
        size,
        runs,
        peak,
      );
      figures.push(f);
      log(`  person counters refreshed in ${f.refreshSeconds} s after loading ${size - loaded} records`);
      loaded = size;
      for (const q of f.queries)
        log(
          `  ${q.query}: API p50 ${q.api.p50Ms} ms, store ${q.store.p50Ms} ms, raw ${q.raw.p50Ms} ms, agrees ${q.agrees}`,
        );
      logCatalogue(f);
      results.distributed = { ...results.distributed, queries: [...figures] };
      await noteServerVersions();
      await writeFigures('distributed-queries');
    }
  });
}

async function noteServerVersions(): Promise<void> {
  versions.kafka = kafkaVersion();
  const [row] = await clickHouseRows(
    localServiceEnv().MOSY_CLICKHOUSE_URL!,
    'default',
    'SELECT version() AS v',
  );
  versions.clickhouse = typeof row?.v === 'string' ? row.v : 'unknown';
}

/**
 * Writes the JSON and the report of every figure so far: after each query size too (`running` says which part is
 * still going), so that a long curve that is stopped, or fails, keeps the sizes it measured.
 */
async function writeFigures(running?: string): Promise<void> {
  const figures: BenchFigures = {
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    startedAt,
    finishedAt: new Date().toISOString(),
    ...(running === undefined ? {} : { running }),
    machine: {
      ...machine(),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
    },
    versions,
    options: { parts, sizes, records, requestSize, inFlight, latencySamples, freshnessSeconds, runs, seed },
    ...results,
    peakRssMiB: peak.all(),
    failures,
  };
  // Formatted as the repository's JSON is (`npm run lint` checks docs/ with prettier).
  writeFileSync(`${opts.out}.json`, await format(JSON.stringify(figures), { parser: 'json' }));
  writeReport(`${opts.out}.md`, figures);
  log(
    `figures written to ${opts.out}.json and .md${running === undefined ? '' : ` (${running} still running)`}`,
  );
}

const RUN: Record<Part, () => Promise<void>> = {
  'embedded-ingest': embeddedIngest,
  'embedded-queries': embeddedQueries,
  'distributed-ingest': distributedIngest,
  'distributed-queries': distributedQueries,
};

// A part that fails is reported as such, and the others still run: a partial run is still worth its figures.
const failures: Record<string, string> = {};
try {
  for (const part of parts) {
    try {
      await RUN[part]();
    } catch (error) {
      failures[part] = error instanceof Error ? (error.stack ?? error.message) : 'failed';
      log(`${part} FAILED: ${failures[part]}`);
    }
  }
  peak.note('bench (generator, client, raw DuckDB and kafkajs)', process.pid);
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (parts.some((p) => p.startsWith('distributed'))) await noteServerVersions();
await writeFigures();
process.exitCode = Object.keys(failures).length === 0 ? 0 : 1;
