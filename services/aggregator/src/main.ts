/**
 * The aggregator as its own process (distributed runtime): a member of the `aggregator` consumer group on the
 * records topic, applying batches to ClickHouse; run several replicas to split the partitions. Ops endpoints on
 * PORT (default 8183). With MOSY_LINKAGE=fuzzy it also runs the linker on the linkage topic (needs
 * MOSY_PSEUDONYM_SECRET).
 */
import { configOrExit, createLogger } from '@mosy/http';
import {
  closeServer,
  createCountersRefresher,
  createMetrics,
  createOpsApp,
  listen,
  loadDistributedConfig,
  openBus,
  openStores,
  stopOnSignal,
  timedStore,
  watchLag,
} from '@mosy/distributed';
import { MosyError } from '@mosy/core';
import { createAggregator } from './app.js';
import { createLinkageStage } from './linkage-stage.js';

/** How long after an applied batch the person counters are refreshed (a burst of batches costs one refresh). */
const COUNTERS_REFRESH_DELAY_MS = 1000;

const config = configOrExit(() => loadDistributedConfig(process.env, 8183), 'mosy-aggregator');
const logger = createLogger({ name: 'mosy-aggregator', level: config.logLevel });
const metrics = createMetrics('aggregator');
const group = `${config.groupPrefix}aggregator`;
// The bus marks in the ledger the record versions its consumers dead-letter: they will never be counted.
const stores = await openStores(config, logger);
const bus = await openBus(config, 'mosy-aggregator', logger, (letters) =>
  stores.ledger.markDeadLettered(letters),
);
watchLag(metrics, bus, 'records', group);

// The person counters of the periods a batch wrote are refreshed a second after a burst of batches (and once at
// start, for periods written by a build or a process that stopped before refreshing): until then, reads of those
// periods group the references, exact but slower (store-clickhouse person-counters.ts).
const refresher = createCountersRefresher(
  () => stores.store.refreshCounters(),
  COUNTERS_REFRESH_DELAY_MS,
  (error) =>
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'person counters could not be refreshed: reads group the references until the next refresh',
    ),
);
refresher.poke();

const aggregator = createAggregator({
  bus,
  store: timedStore(stores.store, metrics),
  group,
  // A whole partition's fetch (up to 1 MiB, some 4 000 records) in one batch: each apply costs round trips to
  // ClickHouse whatever its size, and one insert of many rows leaves it fewer parts to merge.
  maxBatch: 5000,
  onApplied: ({ applied, ignored }) => {
    metrics.records.inc({ outcome: 'applied' }, applied);
    metrics.records.inc({ outcome: 'ignored' }, ignored);
    // Also after a batch that applied nothing: the replay of a batch whose apply failed after its begin mark (an
    // end mark refused, say) finds its versions stored, and its refresh is what sees that apply's lease and wakes
    // again when it runs out; without it those periods waited for the next write to be certified again.
    if (applied + ignored > 0) refresher.poke();
  },
});
await aggregator.start();

// With fuzzy linkage the linker runs here: the linkage topic has one partition, so one member of the group links
// and the others stand by; the one that takes over rebuilds from the store before its first batch (linkage-stage.ts).
let linkerSubscription: { stop(): Promise<void> } | undefined;
if (config.linkage === 'fuzzy') {
  if (config.pseudonymSecret === undefined)
    throw new MosyError(
      'invalid-request',
      'MOSY_PSEUDONYM_SECRET is required by the linker (MOSY_LINKAGE=fuzzy).',
    );
  const linker = createLinkageStage({
    store: stores.linkage,
    secret: config.pseudonymSecret,
    audit: stores.audit,
    logger: logger.child({ stage: 'linker' }),
  });
  await linker.start();
  linkerSubscription = await bus.consume('linkage', `${config.groupPrefix}linker`, (batch) =>
    linker.apply(batch.map((message) => message.value)),
  );
} else {
  // Linkage switched back to exact: persons count by the exact pseudonym again, and no encoding outlives fuzzy mode.
  const cleared = await stores.linkage.clear();
  if (cleared > 0)
    logger.warn({ records: cleared }, 'linkage is exact: the fuzzy links and encodings were deleted');
}
const server = await listen(
  createOpsApp(metrics, async () => {
    await stores.store.countRecords();
  }),
  config.port,
  config.host,
);
logger.info({ port: config.port, group }, 'aggregator consuming');

stopOnSignal(logger, async () => {
  await linkerSubscription?.stop();
  await aggregator.stop();
  await refresher.stop();
  await closeServer(server);
  await bus.close();
  await stores.close();
});
