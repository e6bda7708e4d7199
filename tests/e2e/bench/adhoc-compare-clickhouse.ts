/**
 * `adhoc-compare.ts` for ClickHouse: old against new store, and the raw GROUP BY, in one run (not run by the tests,
 * nor by `npm run bench`). The bench's query records (seed 15, copies up to `SIZE`, as `read-profile.ts`) are loaded
 * once through this checkout's store into DATABASE; three children (`adhoc-worker-clickhouse.ts`) read it: the
 * store of the old checkout (`OLD`, its own rolling tables built by its own `migrate`), the store of this checkout,
 * and the raw engine. Then in ROUNDS rounds each child in turn (the order rotating, so the machine's load falls on
 * all alike) times every query of `QUERIES` REPS times. Prints p50 / p95 of each, the ratios to raw, and whether old
 * and new answered the same. One database for all three: the server's caches are shared alike.
 *
 *   ONLY=citizenship (only the queries whose name holds it) ROUNDS=10 REPS=10 DROP=1 (drops DATABASE at the end)
 *   OLD=/tmp/adhoc-clickhouse/old SIZE=200000 DATABASE=adhoc_200000 MOSY_CLICKHOUSE_URL=… (defaults shown)
 *   nice node --conditions=@mosy/source --import tsx tests/e2e/bench/adhoc-compare-clickhouse.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createClickHouseIndicatorStore } from '@mosy/store-clickhouse';
import { clickHouseExec } from './query-run.js';
import { copyOf, currentNormalized, datasetOf } from './records.js';
import { percentile } from './stats.js';

const SIZE = Number(process.env.SIZE ?? 200_000);
const DATABASE = process.env.DATABASE ?? `adhoc_${SIZE}`;
const URL = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const OLD = process.env.OLD ?? '/tmp/adhoc-clickhouse/old';
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const REPS = Number(process.env.REPS ?? 10);
const NEW = resolve(import.meta.dirname, '../../..');

const loader = await createClickHouseIndicatorStore({ url: URL, database: DATABASE });
const held = await loader.countRecords();
if (held < SIZE) {
  const base = currentNormalized(
    datasetOf(Math.min(SIZE, 60_000), 15),
    'bench-pseudonym-secret-of-at-least-32-bytes',
  );
  for (let at = held; at < SIZE;) {
    const records = copyOf(base, Math.floor(at / base.length)).slice(
      at % base.length,
      (at % base.length) + (SIZE - at),
    );
    for (let i = 0; i < records.length; i += 50_000) await loader.apply(records.slice(i, i + 50_000));
    at += records.length;
  }
}
await loader.close();

type Answer = Record<string, { samples: number[]; digest: string }>;
interface Side {
  readonly name: string;
  readonly child: ChildProcess;
  readonly samples: Map<string, number[]>;
  /** Per query, the digests of the last answer of every round. */
  readonly digests: Map<string, Set<string>>;
}

function start(name: string, checkout: string, mode: 'store' | 'raw'): Promise<Side> {
  const child = fork(join(NEW, 'tests/e2e/bench/adhoc-worker-clickhouse.ts'), {
    cwd: NEW,
    execArgv: ['--conditions=@mosy/source', '--import', 'tsx'],
    env: { ...process.env, DATABASE, MODE: mode, CHECKOUT: checkout },
  });
  return new Promise((ready) =>
    child.once('message', () => ready({ name, child, samples: new Map(), digests: new Map() })),
  );
}

const ask = <T>(side: Side, message: unknown) =>
  new Promise<T>((answer) => {
    side.child.once('message', (m) => answer(m as T));
    side.child.send(message as object);
  });

const sides = [
  await start('old', OLD, 'store'),
  await start('new', NEW, 'store'),
  await start('raw', NEW, 'raw'),
];
const loads: number[] = [];
// One untimed round each: warm caches.
for (const side of sides) await ask<Answer>(side, { reps: 2 });
for (let round = 0; round < ROUNDS; round++) {
  loads.push(loadavg()[0]!);
  for (let i = 0; i < sides.length; i++) {
    const side = sides[(round + i) % sides.length]!;
    const answer = await ask<Answer>(side, { reps: REPS });
    process.stderr.write(`round ${round + 1}/${ROUNDS}: ${side.name} done\n`);
    for (const [query, { samples, digest }] of Object.entries(answer)) {
      side.samples.set(query, [...(side.samples.get(query) ?? []), ...samples]);
      side.digests.set(query, (side.digests.get(query) ?? new Set()).add(digest));
    }
  }
}
for (const side of sides) {
  await ask(side, 'close');
  // The child listens for messages until its channel closes: without this the run never exits.
  side.child.disconnect();
}
if (process.env.DROP === '1') await clickHouseExec(URL, `DROP DATABASE IF EXISTS ${DATABASE}`);

const f = (ms: number) => ms.toFixed(2).padStart(7);
console.log(
  `${SIZE} records, ${ROUNDS} rounds × ${REPS} reps; load average (1 min) during the rounds: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
);
const [old, now, raw] = sides as [Side, Side, Side];
const same = (query: string) => {
  const [a, b] = [old.digests.get(query)!, now.digests.get(query)!];
  return a.size === 1 && b.size === 1 && [...a][0] === [...b][0];
};
for (const query of old.samples.keys()) {
  const p = (side: Side, q: number) => percentile(side.samples.get(query)!, q);
  console.log(`${query}`);
  for (const side of sides)
    console.log(`  ${side.name.padEnd(4)} p50 ${f(p(side, 50))} ms  p95 ${f(p(side, 95))} ms`);
  console.log(
    `  store ÷ raw, p50: old ${(p(old, 50) / p(raw, 50)).toFixed(2)}×, new ${(p(now, 50) / p(raw, 50)).toFixed(2)}×;` +
      ` old and new answered alike in every round: ${same(query) ? 'yes' : 'NO'}`,
  );
}
