/**
 * The distributed runtime for the end-to-end tests: the four services as separate processes
 * (`node services/<name>/dist/main.js`) on the real Kafka, schema registry and ClickHouse that deploy/local starts,
 * each test run isolated by its own topics, consumer groups and ClickHouse database, removed by `stop`. A small gateway gives the
 * suite one base URL, routing by path as an ingress would in production. Processes can be stopped, killed with
 * SIGKILL and started again, for the scale-out and crash tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeRunResources } from './run-resources.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const LOCAL_ENV =
  process.env.MOSY_LOCAL_ENV ?? join(process.env.MOSY_LOCAL_STATE ?? '/tmp/mosy-local', 'env');

export type ServiceName = 'ingest' | 'normalizer' | 'aggregator' | 'report-api';

/** The MOSY_* variables of the local services: from the environment, else from the file deploy/local writes. */
export function localServiceEnv(): Record<string, string> {
  const fromFile: Record<string, string> = {};
  if (existsSync(LOCAL_ENV)) {
    for (const line of readFileSync(LOCAL_ENV, 'utf8').split('\n')) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match?.[1] && match[2] !== undefined) fromFile[match[1]] = match[2];
    }
  }
  const env: Record<string, string> = {};
  for (const name of [
    'MOSY_KAFKA_BROKERS',
    'MOSY_SCHEMA_REGISTRY_URL',
    'MOSY_CLICKHOUSE_URL',
    'MOSY_REDIS_URL',
  ]) {
    const value = process.env[name] ?? fromFile[name];
    if (value === undefined) {
      throw new Error(
        `${name} is not set and ${LOCAL_ENV} does not name it: start the services with deploy/local/up.sh`,
      );
    }
    env[name] = value;
  }
  return env;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      const reply = await fetch(`${url}/readyz`);
      if (reply.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly url: string;
  readonly logFile: string;
  /** The process id of the running process (a new one after `restart`), for /proc readings. */
  readonly pid: number;
  /** SIGKILL: no shutdown, no commit. */
  kill(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
  /** Starts it again on the same port and log file; resolves when ready. */
  restart(): Promise<void>;
  /** Prometheus text of its /metrics. */
  metrics(): Promise<string>;
}

export interface DistributedSystem {
  readonly url: string;
  readonly adminToken: string;
  /** The physical topics and the ClickHouse database of this run. */
  readonly topics: { readonly submissions: string; readonly records: string; readonly deadletter: string };
  readonly database: string;
  readonly services: readonly ServiceProcess[];
  readonly artifacts: readonly string[];
  /** Every process's environment: this run's topics (`MOSY_TOPIC_*`), database (`MOSY_CLICKHOUSE_DATABASE`). */
  readonly env: Readonly<Record<string, string>>;
  /** Starts one more replica of a consumer service. */
  addReplica(name: 'normalizer' | 'aggregator'): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

export interface DistributedOptions {
  readonly normalizers?: number;
  readonly aggregators?: number;
  /** @defaultValue 4 */
  readonly partitions?: number;
  /** Only ingest and report-api, no consumers (tests of the HTTP side alone). @defaultValue false */
  readonly httpOnly?: boolean;
  /** Variables added to (or overriding) every process's environment, e.g. `LOG_LEVEL`, or MOSY_CLICKHOUSE_URL through a proxy. */
  readonly env?: Readonly<Record<string, string>>;
  /** Each process writes a V8 CPU profile `<service>-<replica>.cpuprofile` into this folder when it stops. */
  readonly cpuProfileDir?: string;
}

export async function startDistributed(options: DistributedOptions = {}): Promise<DistributedSystem> {
  const id = randomUUID().replaceAll('-', '').slice(0, 12);
  const root = mkdtempSync(join(tmpdir(), 'mosy-e2e-distributed-'));
  const adminToken = `e2e-admin-${id}`;
  const baseEnv: Record<string, string> = {
    ...localServiceEnv(),
    MOSY_TOPIC_SUBMISSIONS: `e2e-${id}.submissions`,
    MOSY_TOPIC_RECORDS: `e2e-${id}.records`,
    MOSY_TOPIC_DEADLETTER: `e2e-${id}.deadletter`,
    MOSY_TOPIC_LINKAGE: `e2e-${id}.linkage`,
    MOSY_TOPIC_PARTITIONS: String(options.partitions ?? 4),
    MOSY_CLICKHOUSE_DATABASE: `e2e_${id}`,
    // The suite reads every indicator at full speed with one key; the rate limit has its own unit test.
    MOSY_RATE_LIMIT_PER_MINUTE: '1000000',
    MOSY_GROUP_PREFIX: `e2e-${id}-`,
    MOSY_ADMIN_TOKEN: adminToken,
    MOSY_PSEUDONYM_SECRET: 'e2e-pseudonym-secret-of-at-least-32-bytes',
    // Fail over within seconds when a replica is killed (the broker's group.min.session.timeout.ms is 6 s).
    MOSY_KAFKA_SESSION_TIMEOUT_MS: '8000',
    MOSY_KAFKA_REBALANCE_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const services: ServiceProcess[] = [];
  const logs: WriteStream[] = [];
  let replica = 0;

  const launch = async (
    name: ServiceName,
    env: Readonly<Record<string, string>> = {},
  ): Promise<ServiceProcess> => {
    const port = await freePort();
    const instance = `${name}-${replica++}`;
    const logFile = join(root, `${instance}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    logs.push(log);
    const url = `http://127.0.0.1:${port}`;
    let child: ChildProcess;
    const start = async () => {
      const profile =
        options.cpuProfileDir === undefined
          ? []
          : [
              '--cpu-prof',
              `--cpu-prof-dir=${options.cpuProfileDir}`,
              `--cpu-prof-name=${instance}.cpuprofile`,
            ];
      child = spawn(process.execPath, [...profile, join(REPO, 'services', name, 'dist', 'main.js')], {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? '', ...baseEnv, ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      try {
        await waitHealthy(url, child, 120_000);
      } catch (error) {
        // A process that never became ready must not outlive the run that gave up on it.
        child.kill('SIGKILL');
        await exited();
        throw error;
      }
    };
    const exited = () =>
      new Promise<void>((done) =>
        child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done()),
      );
    await start();
    const handle: ServiceProcess = {
      name,
      url,
      logFile,
      get pid() {
        return child.pid!;
      },
      async kill() {
        child.kill('SIGKILL');
        await exited();
      },
      async stop() {
        child.kill('SIGTERM');
        await exited();
      },
      restart: start,
      async metrics() {
        return (await fetch(`${url}/metrics`)).text();
      },
    };
    services.push(handle);
    return handle;
  };

  const closeLogs = () => Promise.all(logs.map((log) => new Promise<void>((done) => log.end(done))));
  const startAll = async () => {
    // Ingest first: it migrates the database and creates the topics before the others race to do the same.
    const ingest = await launch('ingest');
    // Report-api forwards ingest's routes to it, so its origin alone serves the whole web app.
    const reportApi = await launch('report-api', { MOSY_INGEST_URL: ingest.url });
    const consumers = options.httpOnly === true ? 0 : 1;
    // Settled, not all: when one fails, the others are waited for so that every started process is stopped below.
    const started = await Promise.allSettled([
      ...Array.from({ length: consumers * (options.normalizers ?? 1) }, () => launch('normalizer')),
      ...Array.from({ length: consumers * (options.aggregators ?? 1) }, () => launch('aggregator')),
    ]);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return startGateway(ingest.url, reportApi.url);
  };
  let gateway: Server;
  try {
    gateway = await startAll();
  } catch (error) {
    await Promise.all(services.map((s) => s.stop()));
    await closeLogs();
    await removeRunResources(baseEnv);
    throw error;
  }
  const gatewayPort = (gateway.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${gatewayPort}`,
    adminToken,
    topics: {
      submissions: baseEnv.MOSY_TOPIC_SUBMISSIONS!,
      records: baseEnv.MOSY_TOPIC_RECORDS!,
      deadletter: baseEnv.MOSY_TOPIC_DEADLETTER!,
    },
    database: baseEnv.MOSY_CLICKHOUSE_DATABASE!,
    services,
    artifacts: [root],
    env: baseEnv,
    addReplica: (name) => launch(name),
    async stop() {
      await new Promise<void>((done) => gateway.close(() => done()));
      gateway.closeAllConnections();
      await Promise.all(services.map((s) => s.stop()));
      await closeLogs();
      await removeRunResources(baseEnv);
    },
  };
}

/** Routes report paths to the report API and everything else to ingest, streaming bodies both ways. */
const REPORT_PATHS =
  /^\/(v1\/(indicators|status|taxonomy|regions|reports|live|audit|session)|openapi\.json|docs)(\/|\?|$)/;

function startGateway(ingestUrl: string, reportUrl: string): Promise<Server> {
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', REPORT_PATHS.test(req.url ?? '/') ? reportUrl : ingestUrl);
    const upstream = request(target, { method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    // As an ingress in front of replicas would be configured to: a service that is not there (killed, restarting)
    // is a 503 problem with Retry-After, never a hang.
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '5' });
      res.end(
        JSON.stringify({
          type: 'https://mosy.eu/problems/unavailable',
          title: 'Service Unavailable',
          status: 503,
          detail: `gateway: ${target.pathname} has no upstream (${error.message})`,
          code: 'unavailable',
        }),
      );
    });
    req.pipe(upstream);
  });
  // As the services' own servers (packages/http): idle keep-alive connections are kept longer than a client keeps
  // them, so a client never sends a request on a connection the gateway is closing (ECONNRESET under load).
  server.keepAliveTimeout = 65_000;
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}
