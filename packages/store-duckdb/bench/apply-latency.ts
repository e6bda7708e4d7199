/**
 * The latency of one `apply` on a store that already holds many records (not run by the tests; issue 14's
 * freshness): the time a small batch (1–10 records) or a medium one (2,000 records, a tenth of them new versions of
 * stored records) takes, with the time of each statement the writer runs. Two modes, so the code before and after a
 * change can be run alternately, each on a database of its own (`bench/apply-latency.sh` does that):
 *
 *   node --conditions=@mosy/source --import tsx packages/store-duckdb/bench/apply-latency.ts build DB [RECORDS=200000]
 *   node --conditions=@mosy/source --import tsx packages/store-duckdb/bench/apply-latency.ts measure DB ROUND OUT.json
 *
 * `build` loads RECORDS synthetic records (`benchRecords`, 30 % with an identity; IDENTIFIED=1 for all, 2.4 records per
 * person, as in the end-to-end bench) in batches of 10,000; `measure`
 * runs one round (SMALL small and MEDIUM medium applies, interleaved; ROUND picks the records, so two databases
 * built alike get the same batches) and appends its timings to OUT.json. The database is opened as the embedded
 * runtime opens it (64 MB checkpoint threshold, checkpoints after 1 s without a write).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { benchRecords } from '@mosy/testkit';
import { createDuckDbStores } from '../src/duckdb-stores.js';

const [mode, path, third, out] = process.argv.slice(2);
const RECORDS = Number(process.env.RECORDS ?? 200_000);
const SMALL = Number(process.env.SMALL ?? 30);
const MEDIUM = Number(process.env.MEDIUM ?? 6);
if (path === undefined || (mode !== 'build' && mode !== 'measure')) {
  throw new Error('usage: apply-latency.ts build DB | measure DB ROUND OUT.json');
}

// Statement timings of the current apply, labelled by the statement's first words.
let current: Map<string, number> | undefined;
const labelOf = (sql: string): string => {
  const words = sql.replace(/\s+/g, ' ').trim().split(' ');
  const table = words.findIndex((w) => /^(TABLE|INTO|FROM|UPDATE)$/i.test(w));
  return words
    .slice(0, Math.max(2, table >= 0 ? table + 2 : 3))
    .join(' ')
    .slice(0, 60);
};
const note = (label: string, ms: number) => current?.set(label, (current.get(label) ?? 0) + ms);
type Method = (this: object, ...args: unknown[]) => Promise<unknown>;
const connectionProto = DuckDBConnection.prototype as unknown as Record<string, Method>;
const preparedSql = new WeakMap<object, string>();
for (const name of ['run', 'runAndReadAll', 'prepare']) {
  const original = connectionProto[name]!;
  connectionProto[name] = async function (this: object, ...args: unknown[]) {
    const started = performance.now();
    const result = await original.apply(this, args);
    const label = (name === 'prepare' ? 'prepare: ' : '') + labelOf(String(args[0]));
    note(label, performance.now() - started);
    if (name === 'prepare') preparedSql.set(result as object, labelOf(String(args[0])));
    return result;
  };
}
const preparedProto = DuckDBPreparedStatement.prototype as unknown as Record<string, Method>;
for (const name of ['run', 'runAndReadAll']) {
  const original = preparedProto[name]!;
  preparedProto[name] = async function (this: object, ...args: unknown[]) {
    const started = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      // Statements prepared inside `connection.run(sql, values)` are timed by that run.
      const sql = preparedSql.get(this);
      if (sql !== undefined) note(`(prepared) ${sql}`, performance.now() - started);
    }
  };
}

const stores = await createDuckDbStores({
  path,
  config: { checkpoint_threshold: '64MB' },
  idleCheckpointMs: 1000,
});
const generated = benchRecords(RECORDS);
// IDENTIFIED=1: every record with an identity, 2.4 records per person (the shape of the end-to-end bench's data).
const record =
  process.env.IDENTIFIED === '1'
    ? (index: number, version?: number) => ({
        ...generated(index, version),
        personKey: `p:${Math.floor(index / 2.4)}`,
      })
    : generated;
try {
  if (mode === 'build') {
    for (let offset = 0; offset < RECORDS; offset += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, RECORDS - offset) }, (_, i) => record(offset + i));
      await stores.store.apply(batch);
    }
  } else {
    const round = Number(third);
    // Fresh record indices per round and apply; updates reach stored records with a version above any earlier.
    let next = RECORDS + round * 1_000_000;
    const batchOf = (size: number, updates: number) =>
      Array.from({ length: size }, (_, i) =>
        i < updates ? record((next++ * 7919) % RECORDS, 2 + round) : record(next++),
      );
    const timings: { kind: string; records: number; ms: number; statements: Record<string, number> }[] = [];
    for (let i = 0; i < SMALL + MEDIUM; i++) {
      const medium = i % Math.ceil((SMALL + MEDIUM) / MEDIUM) === 0;
      const batch = medium ? batchOf(2000, 200) : batchOf(1 + (i % 10), 0);
      current = new Map();
      const started = performance.now();
      await stores.store.apply(batch);
      const ms = performance.now() - started;
      timings.push({
        kind: medium ? 'medium' : 'small',
        records: batch.length,
        ms,
        statements: Object.fromEntries(current),
      });
      current = undefined;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const earlier = out !== undefined && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as []) : [];
    writeFileSync(out ?? 'apply-latency.json', JSON.stringify([...earlier, ...timings]));
  }
} finally {
  await stores.close();
}
