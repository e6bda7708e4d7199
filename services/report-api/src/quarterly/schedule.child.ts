/**
 * A report API process reduced to its quarterly draft job, for `schedule-bullmq.int.test.ts`: the test's store, the
 * ClickHouse archive and audit log of the given database, a BullMQ scheduler on the given queue, and the time read
 * from a file the test writes (its advanced clock). With `slow`, every store query waits 40 ms, so the test can
 * kill the process in the middle of a build; it prints `counting` when a build starts.
 * Arguments: redisUrl queueName clickhouseUrl database clockFile slow|normal
 */
import { readFileSync } from 'node:fs';
import type { IndicatorStore, StoreQuery } from '@mosy/core';
import { createBullMqScheduler } from '@mosy/scheduler-bullmq';
import { createClickHouseStores } from '@mosy/store-clickhouse';
import { openQuarterlyStores } from '../test-support/quarterly.js';
import { createQuarterlyExports } from './exports.js';
import { scheduleQuarterlyExports } from './schedule.js';

const [redisUrl, queueName, clickhouseUrl, database, clockFile, speed] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const local = await openQuarterlyStores();
const shared = await createClickHouseStores({ url: clickhouseUrl, database, migrate: false });
let announced = false;
async function counting(): Promise<void> {
  if (!announced) {
    announced = true;
    process.stdout.write('counting\n');
  }
  if (speed === 'slow') await new Promise((resolve) => setTimeout(resolve, 40));
}
const queryParts = local.store.queryParts?.bind(local.store);
const store: IndicatorStore = {
  ...local.store,
  query: async (query) => {
    await counting();
    return local.store.query(query);
  },
  // A table's parts in one read count as one store query.
  ...(queryParts === undefined
    ? {}
    : {
        queryParts: async (query: StoreQuery, parts: readonly (readonly string[])[]) => {
          await counting();
          return queryParts(query, parts);
        },
      }),
};
const exports = createQuarterlyExports({
  store,
  registry: local.registry,
  archive: shared.archive,
  audit: shared.audit,
  reportingCountry: 'PT',
  threshold: 5,
  now: Date.now,
});
const scheduler = createBullMqScheduler({
  connection: { url: redisUrl },
  prefix: 'mosy-test',
  queueName,
  globalConcurrency: 1,
  lockDurationMs: 1500,
});
await scheduleQuarterlyExports(
  scheduler,
  exports,
  { draftSchedule: { everyMs: 200 }, graceDays: 15 },
  { timeOf: () => Number(readFileSync(clockFile, 'utf8')) },
);
process.stdout.write('ready\n');
