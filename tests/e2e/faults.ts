/**
 * `npm run faults`: fault injection on both runtimes while providers stream a synthetic dataset and readers ask
 * for reports, then every indicator compared exactly with the dataset's truth: nothing lost, nothing counted twice.
 *
 *   npm run faults -- [--persons 500] [--runtime both|embedded|distributed] [--out .data/reliability/faults.json]
 *
 * Distributed: it starts its OWN Kafka, schema registry, ClickHouse and Redis (deploy/local with
 * MOSY_LOCAL_STATE=/tmp/mosy-faults and the ports below, never the shared ones) and the four services on them, and
 * in turn kills each service with SIGKILL and starts it again, restarts Kafka, ClickHouse and Redis, and stops the
 * registry for 30 s. Embedded: the built CLI on a data folder that is a 64 MiB tmpfs (root needed), which is
 * filled to the last block for 20 s. For each fault it records how long the fault lasted, how long after it the API
 * answered a submission and a read successfully again, and every answer meanwhile (a 503 must carry Retry-After;
 * a 500 or a request unanswered after 60 s is a failure). It stops what it started and writes the figures as JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset, type SyntheticDataset } from '@mosy/testkit';
import { createClient } from './lib/client.js';
import { exactCountsWhenIdle } from './lib/compare-all.js';
import { startDistributed, type ServiceProcess } from './lib/distributed.js';
import { startEmbedded } from './lib/embedded-process.js';
import { issueKey, registerProviders } from './lib/load.js';
import { log, machine, options, writeJson } from './lib/run-info.js';
import { mountTmpfs } from './lib/tmpfs.js';
import { readWhile, Recorder, streamDataset } from './lib/traffic.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const STATE = '/tmp/mosy-faults';
const PRIVATE_PORTS = {
  MOSY_LOCAL_STATE: STATE,
  MOSY_KAFKA_PORT: '29092',
  MOSY_KAFKA_CONTROLLER_PORT: '29093',
  MOSY_KAFKA_SASL_PORT: '29094',
  MOSY_REGISTRY_PORT: '28081',
  MOSY_REGISTRY_MGMT_PORT: '28091',
  MOSY_CLICKHOUSE_HTTP_PORT: '28123',
  MOSY_CLICKHOUSE_TCP_PORT: '29000',
  MOSY_REDIS_PORT: '26379',
};

const opts = options({ persons: '500', runtime: 'both', out: '.data/reliability/faults.json' });
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Runs a deploy/local script on the private instances, without blocking the traffic of this process. */
function local(script: string, ...args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [join(REPO, 'deploy/local', script), ...args], {
      env: { ...process.env, ...PRIVATE_PORTS },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${script} ${args.join(' ')} exited ${code}:\n${err}`)),
    );
  });
}

interface FaultFigures {
  readonly fault: string;
  /** From the injection until the component was back (restarted and ready, or the space freed). */
  readonly faultSeconds: number;
  /** From the component being back until a submission was accepted and a read answered again. */
  readonly recoverySeconds: number;
  readonly answers: ReturnType<Recorder['summary']>;
}

/** Injects a fault, restores it, and measures; `traffic` must be running. */
async function measure(
  recorder: Recorder,
  fault: string,
  inject: () => Promise<void>,
  restore: () => Promise<void>,
): Promise<FaultFigures> {
  log(`fault: ${fault}`);
  const injectedAt = Date.now();
  await inject();
  await restore();
  const restoredAt = Date.now();
  // Recovered when a submission and a read sent after the restore were both answered successfully.
  const ok = (kind: 'submit' | 'read') =>
    recorder.answers.find((a) => a.kind === kind && a.at >= restoredAt && a.status >= 200 && a.status < 300);
  const deadline = Date.now() + 300_000;
  while ((!ok('submit') || !ok('read')) && Date.now() < deadline) await sleep(200);
  const recoveredAt = Math.max(
    ...(['submit', 'read'] as const).map((k) => {
      const a = ok(k);
      return a === undefined ? Infinity : a.at + a.ms;
    }),
  );
  const figures = {
    fault,
    faultSeconds: Math.round((restoredAt - injectedAt) / 100) / 10,
    recoverySeconds: Math.round((recoveredAt - restoredAt) / 100) / 10,
    answers: recorder.summary(injectedAt, Math.min(recoveredAt, Date.now())),
  };
  log(`  ${JSON.stringify(figures)}`);
  // Some ordinary traffic between two faults.
  await sleep(10_000);
  return figures;
}

async function distributedRun(dataset: SyntheticDataset) {
  log(`starting private Kafka, registry, ClickHouse and Redis in ${STATE}`);
  await local('up.sh', 'redis', 'clickhouse', 'kafka', 'registry');
  for (const line of readFileSync(join(STATE, 'env'), 'utf8').split('\n')) {
    const match = /^(MOSY_[A-Z_]+)=(.*)$/.exec(line);
    // The private instances win over whatever the shell had loaded (the shared ones).
    if (match?.[1] && match[2] !== undefined) process.env[match[1]] = match[2];
  }
  const system = await startDistributed({ partitions: 4 });
  try {
    const client = createClient(system.url);
    const keys = await registerProviders(client, system.adminToken, dataset);
    const coordinator = (await issueKey(client, system.adminToken, 'coordinator')).key;
    const recorder = new Recorder();
    let streaming = true;
    // Paced to last through the faults (about 8 minutes); what is left goes at the end.
    const stream = streamDataset(recorder, dataset, keys, {
      batchSize: (records) => Math.ceil(records / 240),
      intervalMs: 2000,
      url: () => system.url,
    }).finally(() => (streaming = false));
    let reading = true;
    const reads = readWhile(
      recorder,
      () => system.url,
      coordinator,
      500,
      () => !reading,
    );
    await sleep(10_000);

    const service = (name: ServiceProcess['name']) => system.services.find((s) => s.name === name)!;
    const faults: FaultFigures[] = [];
    for (const name of ['ingest', 'normalizer', 'aggregator', 'report-api'] as const) {
      faults.push(
        await measure(
          recorder,
          `kill -9 ${name}, restarted 5 s later`,
          async () => {
            await service(name).kill();
            await sleep(5000);
          },
          () => service(name).restart(),
        ),
      );
    }
    for (const [name, script] of [
      ['Kafka', 'kafka.sh'],
      ['ClickHouse', 'clickhouse.sh'],
      ['Redis', 'redis.sh'],
    ] as const) {
      faults.push(
        await measure(
          recorder,
          `${name} restarted (stop, then start)`,
          () => local(script, 'stop'),
          () => local(script, 'start'),
        ),
      );
    }
    faults.push(
      await measure(
        recorder,
        'schema registry stopped for 30 s',
        async () => {
          await local('registry.sh', 'stop');
          await sleep(30_000);
        },
        () => local('registry.sh', 'start'),
      ),
    );
    log(`faults done; ${streaming ? 'the rest of the dataset goes in' : 'the dataset was all in already'}`);
    await stream;
    reading = false;
    await reads;
    const counts = await exactCountsWhenIdle(createClient(system.url), coordinator, dataset);
    log(`distributed counts exact: ${counts.exact}`);
    return { faults, counts, answers: recorder.summary() };
  } finally {
    await system.stop();
    await local('down.sh').catch((error: unknown) => log(`down.sh: ${String(error)}`));
  }
}

async function embeddedRun(dataset: SyntheticDataset) {
  const work = mkdtempSync(join(tmpdir(), 'mosy-faults-embedded-'));
  const fs = mountTmpfs(join(work, 'disk'), 64);
  const app = await startEmbedded(join(fs.dir, 'data'), work);
  try {
    const client = createClient(app.url);
    const keys = await registerProviders(client, app.adminToken, dataset);
    const coordinator = (await issueKey(client, app.adminToken, 'coordinator')).key;
    const recorder = new Recorder();
    const stream = streamDataset(recorder, dataset, keys, {
      batchSize: (records) => Math.ceil(records / 40),
      intervalMs: 2000,
      url: () => app.url,
    });
    let reading = true;
    const reads = readWhile(
      recorder,
      () => app.url,
      coordinator,
      500,
      () => !reading,
    );
    await sleep(20_000);
    const fault = await measure(
      recorder,
      'embedded data folder full (64 MiB tmpfs filled) for 20 s',
      async () => {
        const bytes = fs.fill();
        log(`  filler: ${Math.round(bytes / 2 ** 20)} MiB`);
        await sleep(20_000);
      },
      () => Promise.resolve(fs.free()),
    );
    await stream;
    reading = false;
    await reads;
    const counts = await exactCountsWhenIdle(createClient(app.url), coordinator, dataset);
    log(`embedded counts exact: ${counts.exact}`);
    return { faults: [fault], counts, answers: recorder.summary() };
  } finally {
    fs.free();
    await app.stop();
    fs.unmount();
    rmSync(work, { recursive: true, force: true });
  }
}

/** What a run got wrong: counts that differ, and any 500, hang or 503 without Retry-After during a fault. */
function runFailures(run: { counts: { exact: boolean }; faults: FaultFigures[] }): string[] {
  return [
    ...(run.counts.exact ? [] : ['counts differ from the truth']),
    ...run.faults.flatMap((f) =>
      f.answers.serverErrors + f.answers.hangs + f.answers.unavailableWithoutRetryAfter > 0
        ? [`${f.fault}: ${JSON.stringify(f.answers.byStatus)}`]
        : [],
    ),
  ];
}

const dataset = generateDataset({ seed: 1111, persons: Number(opts.persons) });
const records = dataset.submissions.reduce((n, s) => n + s.records.length, 0);
log(`dataset: ${records} records of ${dataset.providers.length} providers`);
const started = Date.now();
const embedded = opts.runtime === 'distributed' ? undefined : await embeddedRun(dataset);
const distributed = opts.runtime === 'embedded' ? undefined : await distributedRun(dataset);
const failures = [embedded, distributed].flatMap((run) => (run === undefined ? [] : runFailures(run)));
writeJson(opts.out, {
  command: `npm run faults -- --persons ${opts.persons} --runtime ${opts.runtime}`,
  machine: machine(),
  records,
  minutes: Math.round((Date.now() - started) / 6000) / 10,
  embedded,
  distributed,
  failures,
});
log(
  failures.length === 0
    ? 'every fault answered 503 with Retry-After or less; counts exact'
    : failures.join('\n'),
);
process.exitCode = failures.length === 0 ? 0 : 1;
