/**
 * The normalizer as its own process (distributed runtime): a member of the `normalizer` consumer group on the
 * submissions topic; run several replicas to split the partitions. Ops endpoints on PORT (default 8182). Needs
 * MOSY_PSEUDONYM_SECRET, the same in every replica, so that one person gets one pseudonym. With MOSY_LINKAGE=fuzzy
 * it also publishes each record's linkage encoding to the linkage topic, for the aggregator's linker.
 */
import { MosyError, createLinkageEncoder } from '@mosy/core';
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
  watchLag,
} from '@mosy/distributed';
import { createNormalizer } from './app.js';

const config = configOrExit(() => loadDistributedConfig(process.env, 8182), 'mosy-normalizer');
if (config.pseudonymSecret === undefined) {
  throw new MosyError(
    'invalid-request',
    'MOSY_PSEUDONYM_SECRET is required by the normalizer (at least 32 bytes).',
  );
}
const logger = createLogger({ name: 'mosy-normalizer', level: config.logLevel });
const metrics = createMetrics('normalizer');
const group = `${config.groupPrefix}normalizer`;
// The bus marks in the ledger the record versions its consumers dead-letter: they will never be counted.
const stores = await openStores(config, logger);
const bus = await openBus(config, 'mosy-normalizer', logger, (letters) =>
  stores.ledger.markDeadLettered(letters),
);
watchLag(metrics, bus, 'submissions', group);

const normalizer = createNormalizer({
  bus,
  registry: stores.registry,
  ledger: stores.ledger,
  pseudonymSecret: config.pseudonymSecret,
  logger,
  group,
  // A whole partition's fetch (up to 1 MiB) in one batch: one publish and one offset commit for it, not several.
  maxBatch: 5000,
  // Every replica publishes to the one-partition linkage topic under one key: one ordered stream for the linker.
  ...(config.linkage === 'fuzzy'
    ? {
        linkage: {
          encoder: createLinkageEncoder(config.pseudonymSecret),
          sink: (messages) =>
            bus.publish(
              'linkage',
              messages.map((value) => ({ key: 'linkage', value })),
            ),
        },
      }
    : {}),
  onBatch: ({ normalized, deadLetters }) => {
    metrics.records.inc({ outcome: 'normalized' }, normalized);
    metrics.records.inc({ outcome: 'deadletter' }, deadLetters);
  },
});
await normalizer.start();
const server = await listen(
  createOpsApp(metrics, async () => {
    await bus.lag('submissions', group);
  }),
  config.port,
  config.host,
);
logger.info({ port: config.port, group }, 'normalizer consuming');

stopOnSignal(logger, async () => {
  await normalizer.stop();
  await closeServer(server);
  await bus.close();
  await stores.close();
});
