/**
 * Where a one-record submission's time goes in the embedded runtime, and how fresh reports are under load (not run
 * by the tests; a measurement for issue 14). The runtime runs from source as a child process with
 * `bench/latency-timers.ts` preloaded; the phases are the benchmark's own (`bench/traffic.ts`): a load of `--records`
 * synthetic records in 10 000-record requests, two in flight; `--samples` sequential one-record POSTs timed from
 * the client, with the runtime's statement, transaction and fdatasync timings over the same window; then freshness
 * (202 → counted in a report) at `--rate` records a second of background load (by default half the throughput
 * measured by the load, as the benchmark does).
 *
 *   node --conditions=@mosy/source --import tsx tests/e2e/latency.ts [--records 50000] [--samples 300] [--rate records/s]
 *        [--freshness-seconds 20] [--poll-ms 5]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from './lib/client.js';
import { issueKey, registerProviders, waitIdle } from './lib/load.js';
import { options } from './lib/run-info.js';
import { datasetOf, lanesOf, probeOf, probeTemplate, requestsOf } from './bench/records.js';
import { now, round, sleep } from './bench/stats.js';
import { freshness, oneRecordBody, pushLanes, submissionLatency } from './bench/traffic.js';

const opts = options({
  records: '50000',
  samples: '300',
  rate: '',
  'freshness-seconds': '20',
  'poll-ms': '5',
});
const records = Number(opts.records);
const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const work = mkdtempSync(join(tmpdir(), 'mosy-latency-'));
const statsFile = join(work, 'stats.json');
const adminToken = 'latency-admin-token-of-the-embedded-run';
const log = (message: string) => process.stdout.write(`[${new Date().toISOString()}] ${message}\n`);

const child = spawn(
  process.execPath,
  [
    '--conditions=@mosy/source',
    '--import',
    'tsx',
    '--import',
    join(here, 'bench/latency-timers.ts'),
    join(root, 'services/standalone/src/main.ts'),
  ],
  {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      MOSY_DATA_DIR: join(work, 'data'),
      MOSY_DEMO: '0',
      MOSY_ADMIN_TOKEN: adminToken,
      MOSY_PSEUDONYM_SECRET: 'latency-pseudonym-secret-of-at-least-32-bytes',
      MOSY_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
      LATENCY_STATS_FILE: statsFile,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((found, fail) => {
  let seen = '';
  child.stdout.on('data', (chunk: Buffer) => {
    seen += chunk.toString('utf8');
    const match = /running at (http:\/\/[^\s)]+)/.exec(seen);
    if (match) found(match[1]!);
  });
  child.once('exit', () => fail(new Error(`the runtime exited:\n${seen}`)));
});

/** The runtime's timings since the last call. */
async function runtimeStats(): Promise<unknown> {
  rmSync(statsFile, { force: true });
  child.kill('SIGUSR2');
  while (!existsSync(statsFile)) await sleep(20);
  await sleep(50);
  return JSON.parse(readFileSync(statsFile, 'utf8')) as unknown;
}

try {
  log(
    `load ${loadavg()
      .map((l) => round(l, 2))
      .join(' ')}; runtime at ${url}`,
  );
  const dataset = datasetOf(records, 14);
  const client = createClient(url);
  const keys = await registerProviders(client, adminToken, dataset);
  const coordinator = (await issueKey(client, adminToken, 'coordinator')).key;
  const template = probeTemplate(dataset);
  const provider = dataset.providers.find((p) => p.id === template.providerId)!;
  const probeKey = (
    await client.request<{ key: string }>('POST', '/v1/admin/providers', {
      key: adminToken,
      json: { id: 'bench-probe', type: provider.type, name: 'probes', mapping: provider.mapping },
    })
  ).body.key;
  const keyOf = (providerId: string) => keys.get(providerId)!;

  const started = now();
  const lanes = lanesOf(requestsOf(dataset, records, 10_000), 2);
  const loaded = await pushLanes(url, lanes, keyOf);
  await waitIdle(client, coordinator, 3_600_000);
  const seconds = (now() - started) / 1000;
  log(
    `accepted → counted: ${loaded.accepted} records in ${round(seconds)} s, ${Math.round(loaded.accepted / seconds)}/s`,
  );

  await runtimeStats();
  const bodies = Array.from({ length: Number(opts.samples) }, (_, i) =>
    oneRecordBody(probeOf(template.record, `latency-${i}`)),
  );
  const latency = await submissionLatency(url, probeKey, bodies);
  log(`one-record submission: ${JSON.stringify(latency)}`);
  log(`runtime during it: ${JSON.stringify(await runtimeStats(), null, 1)}`);
  await waitIdle(client, coordinator, 600_000);

  // The benchmark's: half the throughput just measured.
  const rate = opts.rate === '' ? loaded.accepted / seconds / 2 : Number(opts.rate);
  await runtimeStats();
  const fresh = await freshness({
    url,
    coordinatorKey: coordinator,
    probeKey,
    probeProvider: 'bench-probe',
    probes: Array.from({ length: 10_000 }, (_, i) => probeOf(template.record, `fresh-${i}`)),
    load: requestsOf(dataset, records, Math.max(50, Math.round(rate / 2)), (id) => `${id}f`).flat(),
    keyOf,
    recordsPerSecond: rate,
    seconds: Number(opts['freshness-seconds']),
    pollMs: Number(opts['poll-ms']),
  });
  log(`freshness: ${JSON.stringify(fresh)}`);
  log(`runtime during it: ${JSON.stringify(await runtimeStats(), null, 1)}`);
  log(
    `load ${loadavg()
      .map((l) => round(l, 2))
      .join(' ')}`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  rmSync(work, { recursive: true, force: true });
}
