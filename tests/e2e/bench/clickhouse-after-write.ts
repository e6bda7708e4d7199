/**
 * ClickHouse catalogue reads right after a write, at store level (not run by the tests, nor by `npm run bench`): the
 * bench's query records (same base and copies as `npm run bench`) are loaded once through the store's `apply` into
 * DATABASE, then, with the aggregator's counters refresher running (a refresh a second after applies), a loop of
 * "apply one new record → read" times CKI 1.4 and CKI 1.7a (persons, with key sums, as the API asks them), each
 * read right after its own one-record apply; and the same reads again and again without writes. The write probe is
 * a registered victim of the base without identity (as the bench's probe: its person is its record), or with
 * IDENTIFIED=1 one with an identity (a person of its own).
 *
 *   nice node --conditions=@mosy/source --import tsx tests/e2e/bench/clickhouse-after-write.ts
 *   SIZE=200000 DATABASE=after_write_200k RUNS=100 IDENTIFIED=0 MOSY_CLICKHOUSE_URL=… (defaults shown)
 *
 * Runs as is from a checkout of another commit (copy the file there), so that two versions can be alternated on
 * one loaded database; DROP=1 drops the database at the end.
 */
import { loadavg } from 'node:os';
import { INDICATORS, parseIndicatorQuery, type NormalizedRecord, type StoreQuery } from '@mosy/core';
import { createClickHouseIndicatorStore, createCountersRefresher } from '@mosy/store-clickhouse';
import { copyOf, currentNormalized, datasetOf } from './records.js';
import { latency, now } from './stats.js';

const SIZE = Number(process.env.SIZE ?? 200_000);
const DATABASE = process.env.DATABASE ?? 'after_write_200k';
const RUNS = Number(process.env.RUNS ?? 100);
const IDENTIFIED = process.env.IDENTIFIED === '1';
const URL = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const BATCH = 50_000;

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

// As `npm run bench` with its default seed (14): the query base from seed 15, repeated to the size.
const base = currentNormalized(
  datasetOf(Math.min(SIZE, 60_000), 15),
  'bench-pseudonym-secret-of-at-least-32-bytes',
);
const store = await createClickHouseIndicatorStore({ url: URL, database: DATABASE });
const refresher = createCountersRefresher(
  () => store.refreshCounters(),
  1000,
  (error) => console.error('refresh failed', error),
);
try {
  const held = await store.countRecords();
  if (held < SIZE) {
    const started = now();
    for (let at = held; at < SIZE;) {
      const copy = Math.floor(at / base.length);
      const records = copyOf(base, copy).slice(at % base.length, (at % base.length) + (SIZE - at));
      for (let i = 0; i < records.length; i += BATCH) await store.apply(records.slice(i, i + BATCH));
      at += records.length;
    }
    console.log(`loaded ${SIZE - held} records in ${((now() - started) / 1000).toFixed(1)} s`);
  }
  const refreshStarted = now();
  const { certified } = await store.refreshCounters();
  console.log(`refresh: ${certified} periods in ${((now() - refreshStarted) / 1000).toFixed(2)} s`);

  const template = base.find(
    (r) =>
      r.kind === 'victim' &&
      r.action === 'upsert' &&
      r.personKey.startsWith('r:') !== IDENTIFIED &&
      (r.fields.status === 'IDENTIFIED' || r.fields.status === 'PRESUMED'),
  )!;
  const tag = `${Date.now().toString(36)}`;
  let written = 0;
  const write = async (): Promise<void> => {
    const id = `after-write-${tag}-${written++}`;
    const probe: NormalizedRecord = {
      ...template,
      recordId: id,
      version: 1,
      personKey: IDENTIFIED ? `${template.personKey}.${id}` : `r:${template.providerId}/${id}`,
    };
    const outcome = await store.apply([probe]);
    if (outcome.applied !== 1) throw new Error(`the probe ${id} was not applied`);
    refresher.poke();
  };

  console.log(
    `size ${SIZE}, runs ${RUNS}, identified ${IDENTIFIED}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const applies: number[] = [];
  const after: Record<string, number[]> = {};
  const again: Record<string, number[]> = {};
  for (const name of Object.keys(reads)) {
    after[name] = [];
    again[name] = [];
  }
  for (let i = 0; i < 3; i++) for (const query of Object.values(reads)) await store.query(query);
  for (let run = 0; run < RUNS; run++) {
    for (const [name, query] of Object.entries(reads)) {
      const applyStarted = now();
      await write();
      applies.push(now() - applyStarted);
      const started = now();
      await store.query(query);
      after[name]!.push(now() - started);
    }
  }
  // The same reads again and again once the refresher has certified the last writes.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, query] of Object.entries(reads)) {
      const started = now();
      await store.query(query);
      again[name]!.push(now() - started);
    }
  }
  const figure = (samples: number[]) => {
    const { p50Ms, p95Ms } = latency(samples);
    return `p50 ${p50Ms} ms, p95 ${p95Ms} ms`;
  };
  console.log(`one-record apply: ${figure(applies)}`);
  for (const name of Object.keys(reads)) {
    console.log(`${name} after a write: ${figure(after[name]!)}`);
    console.log(`${name} again:         ${figure(again[name]!)}`);
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
if (process.env.DROP === '1') {
  await fetch(`${URL}/`, { method: 'POST', body: `DROP DATABASE IF EXISTS ${DATABASE}` });
}
