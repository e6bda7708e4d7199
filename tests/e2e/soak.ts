/**
 * `npm run soak`: sustained load with reports read at the same time, sampling the memory of every service process,
 * then the counts compared exactly with the dataset's truth.
 *
 *   npm run soak -- [--minutes 10] [--runtime embedded|distributed] [--rate 20] [--out .data/reliability/soak-<runtime>.json]
 *
 * `--rate` is records a second, spread over the six synthetic providers so that all finish together; a reader asks
 * for a report or the status every 500 ms. Every 5 s the resident set size (/proc, or process_resident_memory_bytes)
 * and the JavaScript heap in use (a diagnostic report, or nodejs_heap_size_used_bytes) of each process are sampled.
 * Memory is called bounded when the last third's median is within 10 % (+8 MiB) of the middle third's. The
 * embedded runtime is the built CLI on a temporary data folder; the distributed one is the four services on the
 * local Kafka, registry and ClickHouse (deploy/local/up.sh), in their own topics and database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '@mosy/testkit';
import { createClient } from './lib/client.js';
import { exactCountsWhenIdle } from './lib/compare-all.js';
import { startDistributed } from './lib/distributed.js';
import { rssOf, startEmbedded } from './lib/embedded-process.js';
import { issueKey, registerProviders } from './lib/load.js';
import { thirds, type MemorySample } from './lib/memory.js';
import { log, machine, options, writeJson } from './lib/run-info.js';
import { readWhile, Recorder, streamDataset } from './lib/traffic.js';

const opts = options({ minutes: '10', runtime: 'embedded', rate: '20', out: '' });
const minutes = Number(opts.minutes);
const rate = Number(opts.rate);
if (!(minutes > 0) || !(rate > 0) || !['embedded', 'distributed'].includes(opts.runtime))
  throw new Error(
    'usage: soak [--minutes N] [--runtime embedded|distributed] [--rate records/s] [--out file]',
  );
const out = opts.out || `.data/reliability/soak-${opts.runtime}.json`;
const durationS = minutes * 60;
const INTERVAL_MS = 2000;

// About 2.4 records per person in the synthetic data; a little more than needed, cut to the duration below.
const dataset = generateDataset({ seed: 9090, persons: Math.ceil((rate * durationS) / 2.2) });
const total = dataset.submissions.reduce((n, s) => n + s.records.length, 0);
const batches = Math.floor((durationS * 1000) / INTERVAL_MS);
log(
  `${opts.runtime}: ${total} records over ${minutes} min (${(total / durationS).toFixed(1)}/s), reads every 500 ms`,
);

interface Target {
  readonly url: string;
  readonly adminToken: string;
  sample(t: number): Promise<MemorySample[]>;
  stop(): Promise<void>;
}

async function embedded(): Promise<Target> {
  const work = mkdtempSync(join(tmpdir(), 'mosy-soak-'));
  const app = await startEmbedded(join(work, 'data'), work);
  return {
    url: app.url,
    adminToken: app.adminToken,
    async sample(t) {
      const heapUsedBytes = await app.heapUsed();
      return [{ t, process: 'standalone', rssBytes: rssOf(app.pid), heapUsedBytes }];
    },
    async stop() {
      await app.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

async function distributed(): Promise<Target> {
  const system = await startDistributed();
  return {
    url: system.url,
    adminToken: system.adminToken,
    async sample(t) {
      return Promise.all(
        system.services.map(async (s, i) => {
          const text = await s.metrics();
          return {
            t,
            process: `${s.name}-${i}`,
            rssBytes: metric(text, 'process_resident_memory_bytes'),
            heapUsedBytes: metric(text, 'nodejs_heap_size_used_bytes'),
          };
        }),
      );
    },
    stop: () => system.stop(),
  };
}

const target = opts.runtime === 'embedded' ? await embedded() : await distributed();
try {
  const client = createClient(target.url);
  const keys = await registerProviders(client, target.adminToken, dataset);
  const coordinator = (await issueKey(client, target.adminToken, 'coordinator')).key;
  const recorder = new Recorder();
  const samples: MemorySample[] = [];
  const started = Date.now();
  let done = false;
  const sampling = (async () => {
    while (!done) {
      const t = (Date.now() - started) / 1000;
      samples.push(...(await target.sample(Math.round(t))));
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  })();
  const reading = readWhile(
    recorder,
    () => target.url,
    coordinator,
    500,
    () => done,
  );
  const progress = setInterval(() => {
    const s = recorder.summary();
    const last = samples.slice(-1)[0];
    log(
      `${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(s.byStatus)}, rss ${Math.round((last?.rssBytes ?? 0) / 2 ** 20)} MiB`,
    );
  }, 60_000);
  await streamDataset(recorder, dataset, keys, {
    batchSize: (records) => Math.ceil(records / batches),
    intervalMs: INTERVAL_MS,
    url: () => target.url,
  });
  const submittedS = (Date.now() - started) / 1000;
  done = true;
  clearInterval(progress);
  await Promise.all([sampling, reading]);
  const counts = await exactCountsWhenIdle(client, coordinator, dataset);
  const memory = thirds(samples, submittedS);
  const figures = {
    command: `npm run soak -- --minutes ${minutes} --runtime ${opts.runtime} --rate ${rate}`,
    runtime: opts.runtime,
    machine: machine(),
    minutes,
    submittedRecords: total,
    recordsPerSecond: Math.round((total / submittedS) * 10) / 10,
    submittedSeconds: Math.round(submittedS),
    drainSecondsAfterLastSubmission: Math.round(counts.idleAfterS * 10) / 10,
    answers: recorder.summary(),
    submitLatencyMs: recorder.latency('submit'),
    readLatencyMs: recorder.latency('read'),
    countsExact: counts.exact,
    countProblems: counts.problems,
    queriesCompared: counts.queriesCompared,
    memory,
    memoryBounded: memory.every((v) => v.bounded),
    samples,
  };
  writeJson(out, figures);
  log(`counts exact: ${figures.countsExact}; memory bounded: ${figures.memoryBounded}`);
  for (const v of memory)
    log(
      `${v.process} ${v.metric}: middle ${v.middleMedianMiB} MiB, last ${v.lastMedianMiB} MiB (${v.growthPercent} %)`,
    );
  process.exitCode = figures.countsExact && figures.memoryBounded ? 0 : 1;
} finally {
  await target.stop();
}
