/**
 * Preloaded into the embedded runtime by `tests/e2e/latency.ts` (`--import`), never by the product: times what a
 * submission waits for without touching the product's code, by wrapping prototypes as
 * packages/store-duckdb/bench/apply-stages.ts does. DuckDB statements are labelled by their SQL (the ledger's
 * `acceptedVersions` read, the registry's provider read), transactions by what they wrote (a ledger transaction
 * wrote `submission_receipts`, an apply `records_current`), and every `datasync` of a file (the bus's appends and
 * offset commits, the journal's) is timed too; the event loop's delay is sampled. On SIGUSR2 the figures since the
 * last dump are written as JSON to LATENCY_STATS_FILE and reset.
 */
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DuckDBConnection } from '@duckdb/node-api';

const samples = new Map<string, number[]>();
const note = (label: string, ms: number) => {
  let list = samples.get(label);
  if (list === undefined) samples.set(label, (list = []));
  list.push(ms);
};

/** Per connection: when its open transaction began, what it wrote and how many rows it staged. */
const transactions = new WeakMap<
  DuckDBConnection,
  { started: number; kind: string | undefined; staged: number }
>();
/** The slowest applies since the last dump: records staged, begin→commit and commit ms. */
let applies: { records: number; ms: number; commitMs: number }[] = [];
const labelOf = (sql: string): string | undefined => {
  if (/FROM intake_ledger\.accepted_versions\s+WHERE provider_id/.test(sql)) return 'sql acceptedVersions';
  if (/FROM providers/i.test(sql)) return 'sql registry read';
  if (/submission_receipts\s+WHERE provider_id/.test(sql)) return 'sql getReceipt';
  return undefined;
};
const kindOf = (sql: string): string | undefined => {
  if (/INTO intake_ledger\.submission_receipts/.test(sql)) return 'ledger';
  if (/records_current/.test(sql) && /^\s*(INSERT|DELETE|UPDATE)/i.test(sql)) return 'apply';
  return undefined;
};

type Method = (this: DuckDBConnection, sql: string, ...rest: unknown[]) => Promise<unknown>;
for (const name of ['run', 'runAndReadAll'] as const) {
  const proto = DuckDBConnection.prototype as unknown as Record<string, Method>;
  const original = proto[name]!;
  proto[name] = async function (this: DuckDBConnection, sql: string, ...rest: unknown[]) {
    const started = performance.now();
    const trimmed = sql.trim().toUpperCase();
    if (trimmed.startsWith('BEGIN')) transactions.set(this, { started, kind: undefined, staged: 0 });
    const open = transactions.get(this);
    const kind = kindOf(sql);
    if (open !== undefined && kind !== undefined) open.kind ??= kind;
    try {
      const result = await original.call(this, sql, ...rest);
      if (open !== undefined && /^\s*(INSERT INTO|UPDATE) records_current/.test(sql) && name === 'run')
        open.staged += Number((result as { rowsChanged: number | bigint }).rowsChanged);
      return result;
    } finally {
      const ended = performance.now();
      const label = labelOf(sql);
      if (label !== undefined) note(label, ended - started);
      if (trimmed === 'COMMIT' && open !== undefined) {
        note(`txn ${open.kind ?? 'other'} (begin→commit)`, ended - open.started);
        note(`txn ${open.kind ?? 'other'} commit`, ended - started);
        if (open.kind === 'apply')
          applies.push({ records: open.staged, ms: ended - open.started, commitMs: ended - started });
        transactions.delete(this);
      }
    }
  };
}

// The FileHandle class is not exported: its prototype is reached through an opened handle.
const handle = await open('/dev/null');
const fileProto = Object.getPrototypeOf(handle) as { datasync: () => Promise<void> };
await handle.close();
const datasync = fileProto.datasync;
fileProto.datasync = async function (this: unknown) {
  const started = performance.now();
  try {
    return await datasync.call(this);
  } finally {
    note('fs datasync', performance.now() - started);
  }
};

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let cpu = process.cpuUsage();
let since = performance.now();

process.on('SIGUSR2', () => {
  const pick = (sorted: number[], p: number) =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const figures = Object.fromEntries(
    [...samples].map(([label, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      const sum = list.reduce((a, b) => a + b, 0);
      return [
        label,
        { n: list.length, p50: pick(sorted, 50), p99: pick(sorted, 99), mean: sum / list.length, sum },
      ];
    }),
  );
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - since;
  writeFileSync(
    process.env.LATENCY_STATS_FILE ?? 'latency-stats.json',
    JSON.stringify({
      wallMs: wall,
      cpuCoresUsed: (used.user + used.system) / 1000 / wall,
      eventLoopDelayMs: {
        p50: loop.percentile(50) / 1e6,
        p99: loop.percentile(99) / 1e6,
        max: loop.max / 1e6,
      },
      figures,
      slowestApplies: applies.sort((a, b) => b.ms - a.ms).slice(0, 8),
    }),
  );
  samples.clear();
  applies = [];
  loop.reset();
  cpu = process.cpuUsage();
  since = performance.now();
});
