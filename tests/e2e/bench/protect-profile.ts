/**
 * The time of disclosure control alone on catalogue results (not run by the tests, nor by `npm run bench`): CKI 1.4
 * and CKI 1.7a (persons, with key sums) as read from the DuckDB file `read-profile.ts` loads (DIR, SIZE), and
 * synthetic ones of the same shapes (counts and key sums from a fixed seed; left out with REAL=1), each protected by
 * each mode again and again: wall time per run, and the process's CPU time per run, steadier on a loaded machine.
 * Copied beside a `node_modules` linked to another checkout's, it times that checkout's code.
 *
 *   nice node --conditions=@mosy/source --import tsx tests/e2e/bench/protect-profile.ts
 *   RUNS=300 SIZE=200000 DIR=/tmp/mosy-read-profile REAL=0 (defaults shown)
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  INDICATORS,
  parseIndicatorQuery,
  protectResult,
  seededRandom,
  type DisclosureMode,
  type KeyedResult,
} from '@mosy/core';
import { createDuckDbStores } from '@mosy/store-duckdb';
import { latency, now } from './stats.js';

const RUNS = Number(process.env.RUNS ?? 300);
const SIZE = Number(process.env.SIZE ?? 200_000);
const PATH = join(process.env.DIR ?? '/tmp/mosy-read-profile', String(SIZE), 'mosy.duckdb');

function resultOf(dims: Record<string, readonly string[]>, quarters: number, seed: number): KeyedResult {
  const next = seededRandom(seed);
  const periods = Array.from({ length: quarters }, (_, i) => `${2015 + Math.floor(i / 4)}-Q${(i % 4) + 1}`);
  const names = Object.keys(dims);
  let keys: Record<string, string>[] = [{}];
  for (const name of names)
    keys = keys.flatMap((key) => dims[name]!.map((code) => ({ ...key, [name]: code })));
  const cells = periods
    .flatMap((period) =>
      keys.map((key) => {
        // Mostly large counts, a tenth small ones, as a catalogue table of a few hundred thousand records.
        const value = next() < 0.1 ? Math.floor(next() * 5) : Math.floor(next() * 400) + 5;
        return { key, period, value, keySum: Math.floor(next() * 2 ** 32) };
      }),
    )
    .filter((cell) => cell.value > 0);
  const sum = cells.reduce((s, cell) => s + cell.value, 0);
  return { cells, total: Math.round(sum * 0.9), totalKeySum: Math.floor(next() * 2 ** 32) };
}

const results: Record<string, KeyedResult> =
  process.env.REAL === '1'
    ? {}
    : {
        'CKI 1.4': resultOf(
          {
            sex: ['F', 'M', 'X'],
            ageGroup: ['0-4', '5-9', '10-14', '15-17', '18-24', '25-34', '35-44', '45-54', '55+'],
          },
          40,
          1,
        ),
        'CKI 1.7a': resultOf({ citizenship: Array.from({ length: 30 }, (_, i) => `C${i}`) }, 40, 2),
      };

if (existsSync(PATH)) {
  const victims = INDICATORS.find((indicator) => indicator.id === 'victims')!;
  const stores = await createDuckDbStores({ path: PATH });
  try {
    for (const [name, by] of [
      ['CKI 1.4', 'sex,ageGroup'],
      ['CKI 1.7a', 'citizenship'],
    ] as const)
      results[`${name} at ${SIZE}`] = await stores.store.query({
        ...parseIndicatorQuery(victims, { by, interval: 'quarter' }, []),
        keySums: true,
      });
  } finally {
    await stores.close();
  }
}

console.log(`runs ${RUNS}, load ${loadavg()[0]!.toFixed(1)}`);
for (const [name, result] of Object.entries(results)) {
  for (const mode of ['perturb', 'suppress'] as DisclosureMode[]) {
    for (let i = 0; i < 20; i++) protectResult(result, mode, { threshold: 5 });
    const samples: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) {
      const started = now();
      protectResult(result, mode, { threshold: 5 });
      samples.push(now() - started);
    }
    const { user, system } = process.cpuUsage(cpu);
    const { p50Ms, p95Ms } = latency(samples);
    const withheld = protectResult(result, mode, { threshold: 5 }).disclosure;
    console.log(
      `${name} (${result.cells.length} cells, withheld ${'withheld' in withheld ? withheld.withheld : 0}) ${mode}: p50 ${p50Ms} ms, p95 ${p95Ms} ms, CPU ${((user + system) / 1000 / RUNS).toFixed(2)} ms a run`,
    );
  }
}
