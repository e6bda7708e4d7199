/**
 * A quick throughput probe of the embedded runtime, for profiling changes (not the benchmark: `npm run bench` is).
 * Starts the runtime from source in a child process (with `--cpu-prof` when asked), submits a synthetic dataset as
 * JSON in requests of `--batch` records with `--inflight` requests at a time (each provider's requests in order),
 * waits until the pipeline is idle, and prints records per second accepted → counted and the child's CPU per record;
 * then the latency of `--single` one-record submissions made one after another. `--baseline` runs the same traffic
 * against a bare HTTP server that only parses the bodies.
 *
 *   nice node --conditions=@mosy/source --import tsx scripts/tput.ts [--persons 80000] [--batch 10000]
 *     [--inflight 2] [--single 200] [--prof dir] [--baseline]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDataset, type SyntheticDataset } from '@mosy/synthetic';

const { values: opts } = parseArgs({
  options: {
    persons: { type: 'string', default: '80000' },
    batch: { type: 'string', default: '10000' },
    inflight: { type: 'string', default: '2' },
    single: { type: 'string', default: '200' },
    prof: { type: 'string' },
    baseline: { type: 'boolean', default: false },
    serve: { type: 'string' },
  },
});

const ADMIN = 'tput-admin-token-of-the-probe-run-0000';
const SECRET = 'tput-pseudonym-secret-of-at-least-32-bytes';

if (opts.serve !== undefined) await serve(opts.serve);
else await drive();

/** The child: the runtime (or the bare baseline) on a free port, printing its URL. */
async function serve(dataDir: string): Promise<void> {
  if (opts.baseline) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records?: unknown[] };
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ accepted: body.records?.length ?? 0 }));
      });
    });
    server.listen(0, '127.0.0.1', () => {
      console.log(`URL http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
    return;
  }
  const { startStandalone } = await import('@mosy/standalone');
  const { createLogger } = await import('@mosy/http');
  const app = await startStandalone({
    dataDir,
    port: 0,
    adminToken: ADMIN,
    pseudonymSecret: SECRET,
    webDir: false,
    hardening: { rateLimitPerMinute: 100_000_000 },
    logger: createLogger({ name: 'tput', level: 'warn' }),
  });
  console.log(`URL ${app.url}`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function cpuSeconds(pid: number, task = ''): number {
  const fields = readFileSync(`/proc/${pid}${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds per thread name (DuckDB's workers, libuv's pool, V8's helpers), for the profile of a phase. */
function threads(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const name =
      tid === String(pid) ? 'main' : `${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()}#${tid}`;
    out.set(name, (out.get(name) ?? 0) + cpuSeconds(pid, `/task/${tid}`));
  }
  return out;
}

function threadDelta(before: Map<string, number>, after: Map<string, number>, n: number): string {
  return [...after]
    .map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const)
    .filter(([, s]) => s > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 6)
    .map(([name, s]) => `${name} ${((s * 1e6) / n).toFixed(0)} µs`)
    .join(', ');
}

/** CPU seconds of the whole process and of its main (JavaScript) thread. */
function cpu(pid: number): { all: number; main: number } {
  return { all: cpuSeconds(pid), main: cpuSeconds(pid, `/task/${pid}`) };
}

async function post(url: string, key: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 202 && res.status !== 201)
    throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

function dataset(persons: number): SyntheticDataset {
  const cache = join(tmpdir(), `tput-dataset-${persons}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as SyntheticDataset;
  const data = generateDataset({ seed: 4242, persons });
  writeFileSync(cache, JSON.stringify(data));
  return data;
}

async function drive(): Promise<void> {
  const data = dataset(Number(opts.persons));
  const batch = Number(opts.batch);
  const work = mkdtempSync(join(tmpdir(), 'tput-'));
  const args = [
    ...(opts.prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.prof}`]),
    '--conditions=@mosy/source',
    '--import',
    'tsx',
    process.argv[1]!,
    '--serve',
    join(work, 'data'),
    ...(opts.baseline ? ['--baseline'] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((found) => {
    let seen = '';
    child.stdout.on('data', (c: Buffer) => {
      seen += c.toString();
      const m = /URL (\S+)/.exec(seen);
      if (m) found(m[1]!);
    });
  });
  try {
    const keys = new Map<string, string>();
    for (const p of data.providers) {
      const reply = opts.baseline
        ? { key: 'k' }
        : await post(`${url}/v1/admin/providers`, ADMIN, {
            id: p.id,
            type: p.type,
            name: p.name,
            mapping: p.mapping,
          });
      keys.set(p.id, reply.key as string);
    }
    const queues = data.submissions.map((s) => {
      const requests: unknown[][] = [];
      for (let i = 0; i < s.records.length; i += batch)
        requests.push(s.records.slice(i, i + batch) as unknown[]);
      return { providerId: s.providerId, requests, busy: false };
    });
    const total = data.submissions.reduce((n, s) => n + s.records.length, 0);
    let accepted = 0;
    const cpu0 = cpu(child.pid!);
    const threads0 = threads(child.pid!);
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      for (;;) {
        const q = queues.find((x) => !x.busy && x.requests.length > 0);
        if (q === undefined) return;
        q.busy = true;
        const receipt = await post(`${url}/v1/submissions`, keys.get(q.providerId)!, {
          records: q.requests.shift(),
        });
        accepted += Number(receipt.accepted);
        q.busy = false;
      }
    };
    await Promise.all(Array.from({ length: Number(opts.inflight) }, worker));
    const tAccepted = performance.now();
    if (!opts.baseline) {
      for (;;) {
        const res = await fetch(`${url}/v1/status`, { headers: { authorization: `Bearer ${ADMIN}` } });
        const status = (await res.json()) as { idle: boolean };
        if (status.idle) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const t1 = performance.now();
    const cpu1 = cpu(child.pid!);
    console.log(`  per record by thread: ${threadDelta(threads0, threads(child.pid!), total)}`);
    const seconds = (t1 - t0) / 1000;
    console.log(
      `${total} records, ${accepted} accepted: accepted in ${((tAccepted - t0) / 1000).toFixed(2)} s, ` +
        `counted in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} records/s, ` +
        `${Math.round(((cpu1.all - cpu0.all) * 1e6) / total)} µs CPU per record ` +
        `(${Math.round(((cpu1.main - cpu0.main) * 1e6) / total)} µs on the main thread)`,
    );

    // One-record submissions, one after another: fresh record ids of a real record, so each is accepted.
    const provider = data.submissions[0]!;
    const template = provider.records[0]!;
    const latencies: number[] = [];
    const cpu2 = cpu(child.pid!);
    const threads2 = threads(child.pid!);
    for (let i = 0; i < Number(opts.single); i++) {
      const s = performance.now();
      await post(`${url}/v1/submissions`, keys.get(provider.providerId)!, {
        records: [{ ...template, recordId: `tput-single-${i}` }],
      });
      latencies.push(performance.now() - s);
    }
    const cpu3 = cpu(child.pid!);
    console.log(
      `  per one-record submission by thread: ${threadDelta(threads2, threads(child.pid!), latencies.length)}`,
    );
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    if (latencies.length > 0)
      console.log(
        `one-record submission: p50 ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, ` +
          `p99 ${q(0.99).toFixed(1)} ms, ${(((cpu3.all - cpu2.all) * 1000) / latencies.length).toFixed(1)} ms CPU each`,
      );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
}
