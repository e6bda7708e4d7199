/**
 * The ingest service as its own process (distributed runtime): submissions and the admin API over HTTP, publishing
 * to Kafka, with providers, keys and the intake ledger in ClickHouse. Configured by the environment
 * (see packages/distributed/src/config.ts); listens on PORT (default 8180).
 */
import express from 'express';
import {
  assertDocumented,
  configOrExit,
  createAuthenticator,
  createHardening,
  createLogger,
  createOpenApiDocument,
  finishApp,
  hardeningFromEnv,
  rememberingAuthenticator,
  requestLogger,
} from '@mosy/http';
import {
  closeServer,
  createMetrics,
  createRedisSessionStore,
  listen,
  loadDistributedConfig,
  mountOps,
  OPS_ROUTES,
  openBus,
  openStores,
  stopOnSignal,
} from '@mosy/distributed';
import { INGEST_ROUTES } from './api/routes.js';
import { createIngest } from './app.js';

const config = configOrExit(() => loadDistributedConfig(process.env, 8180), 'mosy-ingest');
const logger = createLogger({ name: 'mosy-ingest', level: config.logLevel });
const metrics = createMetrics('ingest');
const [bus, stores] = await Promise.all([openBus(config, 'mosy-ingest', logger), openStores(config, logger)]);
const hardeningSettings = configOrExit(() => hardeningFromEnv(process.env), 'mosy-ingest');
// The browser sessions report-api starts (in Redis): the web app's admin and data entry pages reach ingest's routes
// through report-api's forwarding with the session cookie. Ingest never starts a session itself.
const sessions =
  config.redisUrl === undefined
    ? undefined
    : createRedisSessionStore({
        url: config.redisUrl,
        maxAgeMs: hardeningSettings.sessionMaxAgeSeconds * 1000,
        idleMs: hardeningSettings.sessionIdleSeconds * 1000,
        logger,
      });
// Remembered per request: the rate limit and the route's role check read the registry once.
const authenticate = rememberingAuthenticator(
  createAuthenticator({
    registry: stores.registry,
    ...(sessions === undefined ? {} : { sessions }),
    ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
  }),
);
const hardening = createHardening(hardeningSettings, authenticate);
const ingest = createIngest({
  bus,
  registry: stores.registry,
  ledger: stores.ledger,
  authenticate,
  onReceipt: (receipt) => {
    metrics.records.inc({ outcome: 'accepted' }, receipt.accepted);
    metrics.records.inc({ outcome: 'duplicate' }, receipt.duplicates);
    metrics.records.inc({ outcome: 'rejected' }, receipt.rejected);
  },
});

const app = express();
app.disable('x-powered-by');
app.use(hardening.headers);
app.use(requestLogger(logger));
mountOps(app, metrics, async () => {
  await stores.registry.listProviders();
  await bus.lag('submissions', `${config.groupPrefix}normalizer`);
});
// Probes and metrics above are not limited; the limit is per process (each replica keeps its own buckets).
app.use(hardening.rateLimit);
app.use(ingest.router);
finishApp(app, logger);
assertDocumented(app, createOpenApiDocument([...OPS_ROUTES, ...INGEST_ROUTES]));
const server = await listen(app, config.port, config.host, hardeningSettings.requestTimeoutMs);
logger.info({ port: config.port }, 'ingest listening');

stopOnSignal(logger, async () => {
  await closeServer(server);
  await sessions?.close();
  await bus.close();
  await stores.close();
});
