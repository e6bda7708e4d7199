/**
 * Where the time of a ClickHouse catalogue read right after a write goes, statement by statement (not run by the
 * tests, nor by `npm run bench`): on a database loaded by `tests/e2e/bench/clickhouse-after-write.ts`, a loop of "apply one new record
 * → read" for CKI 1.4 and CKI 1.7a, as there, then the same reads again without writes, every SELECT of the store
 * timed in this process and classed by what it reads (the kept results' state, `system.parts`; the catalogue read,
 * the rolling tables; anything else). With `log_queries` on in the server's profile, the server's own time, CPU, rows
 * read and memory of the state and read statements of each phase come from `system.query_log`. Runs as is from a
 * checkout of another commit (copy the file there).
 *
 *   nice node --conditions=@mosy/source --import tsx packages/store-clickhouse/bench/after-write-stages.ts
 *   DATABASE=after_write_200k RUNS=40 MOSY_CLICKHOUSE_URL=… (defaults shown)
 */
import { loadavg } from 'node:os';
import {
  INDICATORS,
  parseIndicatorQuery,
  protectResult,
  type NormalizedRecord,
  type StoreQuery,
} from '@mosy/core';
import { buildNormalizedRecord } from '@mosy/testkit';
import { createClickHouseIndicatorStore } from '../src/clickhouse-stores.js';
import { ClickHouseConnection, type Row } from '../src/connection.js';
import { createCountersRefresher } from '../src/counters-refresher.js';

const now = (): number => performance.now();

/** The nearest-rank percentiles 50 and 95 of samples, rounded to 0.01 ms (as the bench's `stats.ts`). */
function latency(samples: readonly number[]): { p50Ms: number; p95Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted.length === 0
      ? NaN
      : Math.round(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]! * 100) / 100;
  return { p50Ms: at(50), p95Ms: at(95) };
}

const DATABASE = process.env.DATABASE ?? 'after_write_200k';
const RUNS = Number(process.env.RUNS ?? 40);
const URL = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

const victims = INDICATORS.find((indicator) => indicator.id === 'victims')!;
const reads: Record<string, StoreQuery> = {
  'CKI 1.4': {
    ...parseIndicatorQuery(victims, { by: 'sex,ageGroup', interval: 'quarter' }, []),
    keySums: true,
  },
  'CKI 1.7a': {
    ...parseIndicatorQuery(victims, { by: 'citizenship', interval: 'quarter' }, []),
    keySums: true,
  },
};

interface Traced {
  readonly kind: string;
  readonly ms: number;
}
let tracing: Traced[] | undefined;
const kindOf = (sql: string): string =>
  sql.includes('system.parts') ? 'state' : sql.includes('rolling_') ? 'read' : 'other';

// The store's SELECTs, timed around the connection's own.
const select = Object.getOwnPropertyDescriptor(ClickHouseConnection.prototype, 'select')!.value as (
  this: ClickHouseConnection,
  sql: string,
) => Promise<Row[]>;
ClickHouseConnection.prototype.select = async function (
  this: ClickHouseConnection,
  sql: string,
): Promise<Row[]> {
  const trace = tracing;
  const started = now();
  const rows = await select.call(this, sql);
  trace?.push({ kind: kindOf(sql), ms: now() - started });
  return rows;
};

const store = await createClickHouseIndicatorStore({ url: URL, database: DATABASE });
// As the aggregator's: a refresh a second after applies.
const refresher = createCountersRefresher(
  () => store.refreshCounters(),
  1000,
  (error) => console.error('refresh failed', error),
);
// A registered victim without identity (its person is its record), as the bench's probe, in a quarter of the data.
const template = buildNormalizedRecord({ referenceDate: '2024-05-10', fields: { status: 'IDENTIFIED' } });
const tag = Date.now().toString(36);
let written = 0;
const write = async (): Promise<void> => {
  const id = `stages-${tag}-${written++}`;
  const probe: NormalizedRecord = {
    ...template,
    recordId: id,
    version: 1,
    personKey: `r:${template.providerId}/${id}`,
  };
  if ((await store.apply([probe])).applied !== 1) throw new Error(`the probe ${id} was not applied`);
  refresher.poke();
};

interface Run {
  readonly name: string;
  readonly phase: 'after' | 'again';
  readonly total: number;
  readonly statements: Traced[];
}
const runs: Run[] = [];
/** Each phase's first and last moment (ms since the epoch), to find its statements in the query log. */
const windows: Record<Run['phase'], [number, number]> = { after: [0, 0], again: [0, 0] };
const timed = async (name: string, phase: Run['phase'], query: StoreQuery): Promise<void> => {
  tracing = [];
  const started = now();
  await store.query(query);
  runs.push({ name, phase, total: now() - started, statements: tracing });
  tracing = undefined;
};
try {
  console.log(
    `runs ${RUNS}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (let i = 0; i < 3; i++) for (const query of Object.values(reads)) await store.query(query);
  windows.after[0] = Date.now();
  for (let run = 0; run < RUNS; run++) {
    for (const [name, query] of Object.entries(reads)) {
      await write();
      await timed(name, 'after', query);
    }
  }
  windows.after[1] = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 2500));
  windows.again[0] = Date.now();
  for (let run = 0; run < RUNS; run++)
    for (const [name, query] of Object.entries(reads)) await timed(name, 'again', query);
  windows.again[1] = Date.now();

  await fetch(`${URL}/`, { method: 'POST', body: 'SYSTEM FLUSH LOGS' });
  const median = (values: number[]): number => latency(values).p50Ms;
  for (const name of Object.keys(reads)) {
    for (const phase of ['after', 'again'] as const) {
      const mine = runs.filter((r) => r.name === name && r.phase === phase);
      const { p50Ms, p95Ms } = latency(mine.map((r) => r.total));
      const counts = new Map<number, number>();
      for (const r of mine) counts.set(r.statements.length, (counts.get(r.statements.length) ?? 0) + 1);
      console.log(
        `${name} ${phase}: total p50 ${p50Ms} p95 ${p95Ms} ms; statements per read ${[...counts]
          .map(([n, c]) => `${n}×${c}`)
          .join(' ')}; outside statements p50 ${median(
          mine.map((r) => r.total - r.statements.reduce((sum, s) => sum + s.ms, 0)),
        )} ms`,
      );
      for (const kind of ['state', 'read', 'other']) {
        const statements = mine.flatMap((r) => r.statements.filter((s) => s.kind === kind));
        if (statements.length === 0) continue;
        const client = latency(statements.map((s) => s.ms));
        console.log(`  ${kind} ×${statements.length}: client p50 ${client.p50Ms} p95 ${client.p95Ms} ms`);
      }
    }
  }
  // The server's figures (`log_queries` on for the server's profile), by phase and statement text: the state, the
  // reads of two columns (CKI 1.4) and of one (CKI 1.7a). The refresher's and the applies' statements run in the
  // same seconds, and do not match.
  const texts: Record<string, string> = {
    state: `query LIKE '%system.parts%' AND query LIKE '%modification_time%'`,
    'read CKI 1.4': `query LIKE 'SELECT %\\'h\\' AS part%' AND query LIKE '% AS u1%'`,
    'read CKI 1.7a': `query LIKE 'SELECT %\\'h\\' AS part%' AND query NOT LIKE '% AS u1%'`,
  };
  for (const phase of ['after', 'again'] as const) {
    const [from, to] = windows[phase];
    for (const [kind, text] of Object.entries(texts)) {
      const answer = await fetch(`${URL}/?default_format=JSONEachRow`, {
        method: 'POST',
        body: `SELECT query_duration_ms AS ms, read_rows, memory_usage,
            ProfileEvents.Values[indexOf(ProfileEvents.Names, 'UserTimeMicroseconds')] AS cpu_us
          FROM system.query_log WHERE type = 2 AND event_time >= toDateTime(${Math.floor(from / 1000)})
            AND event_time <= toDateTime(${Math.ceil(to / 1000)}) AND ${text}`,
      });
      const rows = (await answer.text())
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Row);
      const server = latency(rows.map((row) => Number(row.ms)));
      console.log(
        `server, ${phase}, ${kind} ×${rows.length}: p50 ${server.p50Ms} p95 ${server.p95Ms} ms; CPU p50 ` +
          `${median(rows.map((row) => Number(row.cpu_us) / 1000))} ms; read rows p50 ` +
          `${median(rows.map((row) => Number(row.read_rows)))}; memory p50 ` +
          `${median(rows.map((row) => Number(row.memory_usage) / 1e6))} MB`,
      );
    }
  }
  // The report API's own work on such a read beside the store's: the key lookup (as the registry's `findKey`, one
  // statement of its own), the disclosure control an analyst's read gets and the JSON of the answer.
  const connection = await ClickHouseConnection.open({ url: URL, database: DATABASE });
  try {
    const lookups: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = now();
      await connection.select(`SELECT * FROM api_keys FINAL WHERE hash = 'no-such-key-${run}'`);
      lookups.push(now() - started);
    }
    console.log(`key lookup: p50 ${latency(lookups).p50Ms} p95 ${latency(lookups).p95Ms} ms`);
  } finally {
    await connection.close();
  }
  for (const [name, query] of Object.entries(reads)) {
    const result = await store.query(query);
    const protect: number[] = [];
    const json: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let started = now();
      const published = protectResult(result, 'perturb', { threshold: 5 });
      protect.push(now() - started);
      started = now();
      JSON.stringify(published);
      json.push(now() - started);
    }
    console.log(
      `${name}: ${result.cells.length} cells; disclosure control p50 ${latency(protect).p50Ms} ms, JSON p50 ` +
        `${latency(json).p50Ms} ms`,
    );
  }
  console.log(
    `load at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await refresher.stop();
  await store.close();
}
