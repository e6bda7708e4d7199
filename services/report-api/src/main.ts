/**
 * The report API as its own process (distributed runtime): indicator values from ClickHouse, pipeline status from
 * the consumer groups' lag on Kafka. Listens on PORT (default 8181); run several replicas behind a load balancer.
 */
import { existsSync } from 'node:fs';
import express from 'express';
import { MosyError } from '@mosy/core';
import {
  DOCS_ROUTES,
  assertDocumented,
  configOrExit,
  createApiDocsRoutes,
  createAuthenticator,
  createHardening,
  createKeyVerifier,
  createLogger,
  createSessionStore,
  createOpenApiDocument,
  finishApp,
  hardeningFromEnv,
  rememberingAuthenticator,
  requestLogger,
} from '@mosy/http';
import { DEFAULT_LIMITS, INGEST_ROUTES } from '@mosy/ingest';
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
  timedStore,
} from '@mosy/distributed';
import { REPORT_API_ROUTES } from './api/routes.js';
import { createReportApi } from './app.js';
import { loadRegionNames } from './regions.js';
import { reportSettingsFromEnv, spatialSettingsFromEnv } from './settings.js';
import { loadPopulationCsv, loadRegionalIndicatorsCsv } from './spatial/tables.js';
import { loadGeoFiles } from './geo-files.js';
import { createBullMqScheduler } from '@mosy/scheduler-bullmq';
import { createQuarterlyExports } from './quarterly/exports.js';
import { quarterlySettingsFromEnv, scheduleQuarterlyExports } from './quarterly/schedule.js';
import { hubParts, hubSettingsFromEnv } from './hub/settings.js';
import { createIngestForward } from './ingest-forward.js';

const config = configOrExit(() => loadDistributedConfig(process.env, 8181), 'mosy-report-api');
const report = configOrExit(() => reportSettingsFromEnv(process.env), 'mosy-report-api');
const spatial = configOrExit(() => {
  const settings = spatialSettingsFromEnv(process.env, existsSync);
  return {
    ...(settings.populationCsv === undefined
      ? {}
      : { population: loadPopulationCsv(settings.populationCsv) }),
    ...(settings.regionalIndicatorsCsv === undefined
      ? {}
      : { indicators: loadRegionalIndicatorsCsv(settings.regionalIndicatorsCsv) }),
  };
}, 'mosy-report-api');
const quarterlySettings = configOrExit(() => quarterlySettingsFromEnv(process.env), 'mosy-report-api');
const hubSettings = configOrExit(() => hubSettingsFromEnv(process.env), 'mosy-report-api');
const hardeningSettings = configOrExit(() => hardeningFromEnv(process.env), 'mosy-report-api');
// Ingest's base URL: when set, this origin forwards ingest's routes to it, so the web app's admin and data entry
// pages work against report-api alone.
const ingestUrl = configOrExit(() => {
  const value = process.env.MOSY_INGEST_URL;
  if (value === undefined || value === '') return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || !['http:', 'https:'].includes(url.protocol))
    throw new MosyError('invalid-request', `MOSY_INGEST_URL must be an http(s) URL, got "${value}".`);
  return url;
}, 'mosy-report-api');
const logger = createLogger({ name: 'mosy-report-api', level: config.logLevel });
const metrics = createMetrics('report-api');
const [bus, stores] = await Promise.all([
  openBus(config, 'mosy-report-api', logger),
  openStores(config, logger),
]);
const groups = {
  normalizer: `${config.groupPrefix}normalizer`,
  aggregator: `${config.groupPrefix}aggregator`,
  linker: `${config.groupPrefix}linker`,
};

// The quarterly exports need a reporting country; every replica schedules the draft job on the shared BullMQ
// queue (each occurrence runs once, in whichever replica takes it) when Redis is configured.
const quarterly =
  report.reportingCountry === undefined
    ? undefined
    : createQuarterlyExports({
        store: stores.store,
        registry: stores.registry,
        archive: stores.archive,
        audit: stores.audit,
        reportingCountry: report.reportingCountry,
        threshold: report.disclosure.threshold,
        now: Date.now,
      });
const scheduler =
  quarterly === undefined || config.redisUrl === undefined
    ? undefined
    : // One run at a time across the replicas: the draft job checks, then builds and stores.
      createBullMqScheduler({ connection: { url: config.redisUrl }, logger, globalConcurrency: 1 });
if (scheduler !== undefined && quarterly !== undefined)
  await scheduleQuarterlyExports(scheduler, quarterly, quarterlySettings);

// Behind the gateway this process answers /openapi.json for the whole API, ingest's routes included.
const document = createOpenApiDocument([
  ...OPS_ROUTES,
  ...DOCS_ROUTES,
  ...INGEST_ROUTES,
  ...REPORT_API_ROUTES,
]);

// With Redis, sessions are shared with ingest and every replica; without it they live in this replica's memory (the
// load balancer must keep a browser on one, and ingest's routes do not accept the cookie).
const sessionLimits = {
  maxAgeMs: hardeningSettings.sessionMaxAgeSeconds * 1000,
  idleMs: hardeningSettings.sessionIdleSeconds * 1000,
};
const redisSessions =
  config.redisUrl === undefined
    ? undefined
    : createRedisSessionStore({ url: config.redisUrl, ...sessionLimits, logger });
const sessions = redisSessions ?? createSessionStore(sessionLimits);
if (config.redisUrl === undefined)
  logger.warn(
    'MOSY_REDIS_URL is not set: browser sessions stay in this process and ingest will not accept them',
  );
const authOptions = {
  registry: stores.registry,
  sessions,
  ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
};
// Remembered per request: the rate limit and the route's role check read the registry once.
const authenticate = rememberingAuthenticator(createAuthenticator(authOptions));
const hardening = createHardening(hardeningSettings, authenticate);

const app = express();
app.disable('x-powered-by');
app.use(hardening.headers);
app.use(requestLogger(logger));
mountOps(app, metrics, async () => {
  await stores.store.countRecords();
});
// Probes and metrics above are not limited; the limit is per process (each replica keeps its own buckets).
app.use(hardening.rateLimit);
app.use(createApiDocsRoutes(document));
if (ingestUrl !== undefined)
  app.use(
    createIngestForward({
      target: ingestUrl,
      routes: INGEST_ROUTES,
      maxBodyBytes: DEFAULT_LIMITS.maxBodyBytes,
      // Longer than ingest's own request timeout plus its Kafka publish deadline (10 s), so ingest answers first
      // (408 or 503) and a slow 202 is not turned into a 503 that the client would retry as duplicates.
      timeoutMs: hardeningSettings.requestTimeoutMs + 15_000,
    }),
  );
app.use(
  createReportApi({
    store: timedStore(stores.store, metrics),
    registry: stores.registry,
    authenticate,
    sessions: { sessions: authOptions.sessions, verifier: createKeyVerifier(authOptions), authenticate },
    ...(process.env.MOSY_WEB_DIR === undefined ? {} : { webDir: process.env.MOSY_WEB_DIR }),
    regions: loadRegionNames(process.env.MOSY_GEO_DIR),
    ...(process.env.MOSY_GEO_DIR === undefined ? {} : { geoDir: process.env.MOSY_GEO_DIR }),
    spatial,
    geo: loadGeoFiles(process.env.MOSY_GEO_DIR),
    audit: stores.audit,
    ledger: stores.ledger,
    ...(quarterly === undefined ? {} : { quarterly }),
    ...hubParts(hubSettings, {
      archive: stores.archive,
      ...(quarterly === undefined ? {} : { quarterly }),
      ...(report.reportingCountry === undefined ? {} : { reportingCountry: report.reportingCountry }),
      now: Date.now,
    }),
    ...report,
    pipelineStatus: async () => {
      const [normalizer, aggregator, linker] = await Promise.all([
        bus.lag('submissions', groups.normalizer),
        bus.lag('records', groups.aggregator),
        config.linkage === 'fuzzy' ? bus.lag('linkage', groups.linker) : 0,
      ]);
      return {
        idle: normalizer === 0 && aggregator === 0 && linker === 0,
        stages: {
          normalizer: { backlog: normalizer },
          aggregator: { backlog: aggregator },
          ...(config.linkage === 'fuzzy' ? { linker: { backlog: linker } } : {}),
        },
      };
    },
    linkageStatus: async () => ({
      mode: config.linkage,
      ...(config.linkage === 'fuzzy' ? await stores.linkage.totals() : { merges: 0, revisedRecords: 0 }),
      backlog: config.linkage === 'fuzzy' ? await bus.lag('linkage', groups.linker) : 0,
    }),
  }),
);
finishApp(app, logger);
assertDocumented(app, document);
const server = await listen(app, config.port, config.host, hardeningSettings.requestTimeoutMs);
logger.info({ port: config.port }, 'report API listening');

stopOnSignal(logger, async () => {
  await closeServer(server);
  await scheduler?.close();
  await redisSessions?.close();
  await bus.close();
  await stores.close();
});
