/**
 * The aggregator as its own process (distributed runtime): a member of the `aggregator` consumer group on the
 * records topic, applying batches to ClickHouse; run several replicas to split the partitions. Ops endpoints on
 * PORT (default 8183).
 */
import { configOrExit, createLogger } from '@mosy/http';
import {
  closeServer,
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
import { createAggregator } from './app.js';

const config = configOrExit(() => loadDistributedConfig(process.env, 8183), 'mosy-aggregator');
const logger = createLogger({ name: 'mosy-aggregator', level: config.logLevel });
const metrics = createMetrics('aggregator');
const group = `${config.groupPrefix}aggregator`;
const [bus, stores] = await Promise.all([openBus(config, 'mosy-aggregator', logger), openStores(config)]);
watchLag(metrics, bus, 'records', group);

const aggregator = createAggregator({
  bus,
  store: timedStore(stores.store, metrics),
  group,
  onApplied: ({ applied, ignored }) => {
    metrics.records.inc({ outcome: 'applied' }, applied);
    metrics.records.inc({ outcome: 'ignored' }, ignored);
  },
});
await aggregator.start();
const server = await listen(
  createOpsApp(metrics, async () => {
    await stores.store.countRecords();
  }),
  config.port,
  config.host,
);
logger.info({ port: config.port, group }, 'aggregator consuming');

stopOnSignal(logger, async () => {
  await aggregator.stop();
  await closeServer(server);
  await bus.close();
  await stores.close();
});
