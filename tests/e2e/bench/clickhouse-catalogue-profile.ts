/**
 * Where the time of one ClickHouse catalogue read goes through the HTTP API (not run by the tests, nor by
 * `npm run bench`): the distributed runtime is started with ClickHouse behind a recording proxy in this process,
 * the bench's query records (same base and copies as `npm run bench`) are loaded through the store's `apply`, then
 * CKI 1.4 and CKI 1.7a are read through the gateway, straight from report-api, each again and again, and each right
 * after a one-record submission was counted (as the bench's "after a write"). For every read: its time, and the
 * statements report-api sent while it ran, each with the time the proxy saw and the server's own
 * (`system.query_log`, `query_duration_ms`, logged for this run's statements alone by `log_queries=1`).
 *
 *   set -a; . /tmp/mosy-local/env; set +a
 *   nice node --conditions=@mosy/source --import tsx tests/e2e/bench/clickhouse-catalogue-profile.ts
 *   SIZE=200000 RUNS=30 (defaults shown)
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createClickHouseIndicatorStore } from '@mosy/store-clickhouse';
import { createClient } from '../lib/client.js';
import { localServiceEnv, startDistributed } from '../lib/distributed.js';
import { issueKey, submitBatch, waitIdle } from '../lib/load.js';
import { getJson } from './http.js';
import { registerProbeProvider } from './probe.js';
import { CATALOGUE_READS } from './queries.js';
import { copyOf, currentNormalized, datasetOf, probeOf } from './records.js';
import { latency, now } from './stats.js';

const SIZE = Number(process.env.SIZE ?? 200_000);
const RUNS = Number(process.env.RUNS ?? 30);
const SECRET = 'bench-pseudonym-secret-of-at-least-32-bytes';
const target = new URL(localServiceEnv().MOSY_CLICKHOUSE_URL!);

/** A request the proxy forwarded: when it went and came back (this process's clock), its query id and head. */
interface Sent {
  readonly start: number;
  end: number;
  readonly queryId: string;
  head: string;
}
const sent: Sent[] = [];
let next = 0;

const proxy = createServer((incoming: IncomingMessage, answer) => {
  const url = new URL(incoming.url ?? '/', target);
  url.searchParams.set('log_queries', '1');
  const queryId = url.searchParams.get('query_id') ?? `profile-${next++}`;
  url.searchParams.set('query_id', queryId);
  const entry: Sent = { start: now(), end: 0, queryId, head: url.searchParams.get('query') ?? '' };
  sent.push(entry);
  const outgoing = request(
    url,
    { method: incoming.method, headers: { ...incoming.headers, host: target.host } },
    (response) => {
      answer.writeHead(response.statusCode ?? 500, response.headers);
      response.pipe(answer);
      response.on('end', () => (entry.end = now()));
    },
  );
  let head = '';
  incoming.on('data', (chunk: Buffer) => {
    if (head.length < 200) head += chunk.toString('utf8', 0, 200);
  });
  incoming.on('end', () => (entry.head ||= head));
  incoming.pipe(outgoing);
});
await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

const chText = async (sql: string): Promise<string> => {
  const response = await fetch(`${target.origin}/`, { method: 'POST', body: sql });
  const text = await response.text();
  if (!response.ok) throw new Error(text);
  return text;
};
const chRows = async (sql: string): Promise<Record<string, unknown>[]> =>
  (JSON.parse(await chText(`${sql} FORMAT JSON`)) as { data: Record<string, unknown>[] }).data;

/** A short name of a statement, from its first words. */
const shapeOf = (head: string): string => {
  const sql = head.replace(/\s+/g, ' ').trim();
  // Ahead of findKey: the state names api_keys among the tables it leaves out.
  if (sql.includes('system.parts')) return 'state of the tables (system.parts)';
  if (sql.includes('api_keys')) return 'findKey (api_keys FINAL)';
  if (sql.startsWith('SELECT part') || sql.includes("'h' AS part")) return 'catalogue read';
  return sql.slice(0, 60);
};

const system = await startDistributed({
  partitions: 4,
  env: {
    MOSY_CLICKHOUSE_URL: proxyUrl,
    MOSY_PSEUDONYM_SECRET: SECRET,
    LOG_LEVEL: 'warn',
  },
});
try {
  const dataset = datasetOf(Math.min(SIZE, 60_000), 15);
  const base = currentNormalized(dataset, SECRET);
  const store = await createClickHouseIndicatorStore({
    url: target.origin,
    database: system.database,
    migrate: false,
  });
  try {
    const started = now();
    for (let at = 0; at < SIZE;) {
      const copy = Math.floor(at / base.length);
      const records = copyOf(base, copy).slice(at % base.length, (at % base.length) + (SIZE - at));
      for (let i = 0; i < records.length; i += 50_000) await store.apply(records.slice(i, i + 50_000));
      at += records.length;
    }
    console.log(`loaded ${SIZE} in ${((now() - started) / 1000).toFixed(1)} s`);
    await store.refreshCounters();
  } finally {
    await store.close();
  }
  const client = createClient(system.url);
  const analyst = (await issueKey(client, system.adminToken, 'analyst')).key;
  const coordinator = (await issueKey(client, system.adminToken, 'coordinator')).key;
  const probe = await registerProbeProvider(client, system.adminToken, dataset, 'profile-probe', 'profile');
  const reportApi = system.services.find((s) => s.name === 'report-api')!.url;
  let written = 0;
  const write = async (): Promise<void> => {
    await submitBatch(client, probe.key, [probeOf(probe.record, `write-${written++}`)], 'json');
    await waitIdle(client, coordinator, 120_000);
  };

  interface Read {
    readonly ms: number;
    readonly statements: Sent[];
  }
  const timeReads = async (url: string, path: string, before?: () => Promise<void>): Promise<Read[]> => {
    for (let i = 0; i < 3; i++) await getJson(url, path, analyst);
    const reads: Read[] = [];
    for (let i = 0; i < RUNS; i++) {
      await before?.();
      const from = sent.length;
      const start = now();
      await getJson(url, path, analyst);
      const end = now();
      reads.push({
        ms: end - start,
        statements: sent.slice(from).filter((s) => s.start >= start && s.end <= end),
      });
    }
    return reads;
  };

  const results: { name: string; reads: Read[] }[] = [];
  for (const { name, path } of CATALOGUE_READS) {
    const short = name.split(' ').slice(0, 2).join(' ');
    results.push({ name: `${short} again, via gateway`, reads: await timeReads(system.url, path) });
    results.push({ name: `${short} again, report-api`, reads: await timeReads(reportApi, path) });
    results.push({
      name: `${short} after a write, report-api`,
      reads: await timeReads(reportApi, path, write),
    });
  }
  await chText('SYSTEM FLUSH LOGS');
  const ids = results.flatMap((r) => r.reads.flatMap((read) => read.statements.map((s) => s.queryId)));
  const logged = new Map<string, { ms: number; rows: number }>();
  for (let i = 0; i < ids.length; i += 500) {
    const list = ids
      .slice(i, i + 500)
      .map((id) => `'${id.replaceAll("'", '')}'`)
      .join(', ');
    for (const row of await chRows(
      `SELECT query_id, query_duration_ms AS ms, read_rows AS r FROM system.query_log WHERE type = 2 AND query_id IN (${list})`,
    ))
      logged.set(String(row.query_id), { ms: Number(row.ms), rows: Number(row.r) });
  }
  const fmt = (samples: number[]): string => {
    const { p50Ms, p95Ms } = latency(samples);
    return `p50 ${p50Ms} p95 ${p95Ms}`;
  };
  console.log(
    `size ${SIZE}, runs ${RUNS}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const { name, reads } of results) {
    const statements = reads.map((r) => r.statements.length);
    const proxied = reads.map((r) => r.statements.reduce((n, s) => n + s.end - s.start, 0));
    const server = reads.map((r) => r.statements.reduce((n, s) => n + (logged.get(s.queryId)?.ms ?? 0), 0));
    console.log(
      `${name}: total ${fmt(reads.map((r) => r.ms))} ms; statements ${fmt(statements)}; ` +
        `at the proxy ${fmt(proxied)} ms; server ${fmt(server)} ms; outside ClickHouse ${fmt(reads.map((r, i) => r.ms - proxied[i]!))} ms`,
    );
    const byShape = new Map<string, { proxy: number[]; server: number[]; rows: number[] }>();
    for (const read of reads)
      for (const s of read.statements) {
        const shape = shapeOf(s.head);
        const entry = byShape.get(shape) ?? { proxy: [], server: [], rows: [] };
        entry.proxy.push(s.end - s.start);
        entry.server.push(logged.get(s.queryId)?.ms ?? NaN);
        entry.rows.push(logged.get(s.queryId)?.rows ?? NaN);
        byShape.set(shape, entry);
      }
    for (const [shape, e] of byShape)
      console.log(
        `    ${(e.proxy.length / reads.length).toFixed(2)}x ${shape}: proxy ${fmt(e.proxy)} ms, server ${fmt(e.server)} ms, rows read p50 ${latency(e.rows).p50Ms}`,
      );
  }
} finally {
  await system.stop();
  proxy.close();
  proxy.closeAllConnections();
}
