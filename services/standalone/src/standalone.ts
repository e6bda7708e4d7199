/**
 * The embedded runtime: the four services in one process on the in-process adapters (a durable log for the bus,
 * DuckDB for the store), behind one HTTP port. This is the composition root: it picks the adapters and wires them
 * into the same `create<Service>` functions that the distributed runtime runs as separate processes.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { createMemoryEventBus, openFileJournal } from '@mosy/bus-memory';
import { createDuckDbStores } from '@mosy/store-duckdb';
import { createIngest, type SubmitFn } from '@mosy/ingest';
import { createNormalizer } from '@mosy/normalizer';
import { createAggregator, createLinkageStage } from '@mosy/aggregator';
import { createLocalScheduler } from '@mosy/scheduler-local';
import {
  DEFAULT_QUARTERLY,
  createLiveUpdates,
  createQuarterlyExports,
  createReportApi,
  hubParts,
  type HubSettings,
  type SpatialOptions,
  loadGeoFiles,
  loadRegionNames,
  publishApplied,
  scheduleQuarterlyExports,
  type QuarterlySettings,
  type ReportSettings,
} from '@mosy/report-api';
import {
  DEFAULT_HARDENING,
  assertDocumented,
  createApiDocsRoutes,
  createAuthenticator,
  createHardening,
  createHttpServer,
  createKeyVerifier,
  createLogger,
  createSessionStore,
  finishApp,
  listenOn,
  rememberingAuthenticator,
  requestLogger,
  type HardeningSettings,
  type Logger,
} from '@mosy/http';
import {
  DEFAULT_THRESHOLD,
  createLinkageEncoder,
  type IndicatorStore,
  type Registry,
  type SubmissionEntry,
} from '@mosy/core';
import { embeddedApiDocument } from './api.js';
import { loadOrCreateSecret } from './secrets.js';

export interface StandaloneOptions {
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** @defaultValue "127.0.0.1" */
  readonly host?: string;
  /** @defaultValue generated once and kept in the data folder */
  readonly adminToken?: string;
  /** @defaultValue generated once and kept in the data folder */
  readonly pseudonymSecret?: string;
  /**
   * How persons are told apart: `exact` by the keyed pseudonym alone, `fuzzy` also by linkage of keyed encodings of
   * the identity (docs/linkage.md), run in this process inside the normalizer's batch. @defaultValue "exact"
   */
  readonly linkage?: 'exact' | 'fuzzy';
  readonly geoDir?: string;
  /** Population and regional indicator tables for the spatial analysis. @defaultValue none: counts only */
  readonly spatial?: SpatialOptions;
  /**
   * How long a fully consumed log or ledger-journal file may stay open for more appends before it is deleted (opening
   * and closing the runtime delete it at once). @defaultValue 1000
   */
  readonly logConsumedRetentionMs?: number;
  /** Checkpoint the database files once no write has come for this long. @defaultValue 1000 */
  readonly idleCheckpointMs?: number;
  /**
   * DuckDB's memory limit (`2GB`, `512MiB`): its caches and working memory, most of what the process holds on a
   * large store. @defaultValue DuckDB's own, 80 % of the machine's memory
   */
  readonly duckDbMemoryLimit?: string;
  /** Disclosure control and the reporting country. @defaultValue threshold 5, the cell key method, no country */
  readonly report?: ReportSettings;
  /**
   * When the quarterly report's draft is built (with a reporting country only). @defaultValue `DEFAULT_QUARTERLY`
   * (daily at 06:00 UTC, 15 days of grace, revisions only on request)
   */
  readonly quarterly?: QuarterlySettings;
  /** The hub role and sending to a hub. @defaultValue a node that sends nowhere */
  readonly hub?: HubSettings;
  /**
   * Rate limit, HSTS, request timeout and session lifetime. @defaultValue `DEFAULT_HARDENING` (600 requests a minute
   * per key, HSTS over https, 120 s per request, sessions of 8 hours ending after 30 minutes idle)
   */
  readonly hardening?: Partial<HardeningSettings>;
  /** The clock of the rate limit and of the browser sessions (tests). @defaultValue `Date.now` */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** The built web app served at `/`; `false` serves none. @defaultValue `web/dist` of this repository */
  readonly webDir?: string | false;
}

export interface Standalone {
  readonly url: string;
  readonly adminToken: string;
  /** True when the admin token was generated on this start (a new data folder). */
  readonly adminTokenCreated: boolean;
  readonly submit: SubmitFn;
  readonly registry: Registry;
  readonly store: IndicatorStore;
  close(): Promise<void>;
}

export const NORMALIZER_GROUP = 'normalizer';
export const AGGREGATOR_GROUP = 'aggregator';

export async function startStandalone(options: StandaloneOptions): Promise<Standalone> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logger = options.logger ?? createLogger({ name: 'mosy' });
  const admin =
    options.adminToken === undefined
      ? loadOrCreateSecret(options.dataDir, 'admin-token')
      : { value: options.adminToken, created: false };
  const pseudonymSecret =
    options.pseudonymSecret ?? loadOrCreateSecret(options.dataDir, 'pseudonym-secret').value;

  // A submission's ledger entry is durable once in this journal (one fdatasync), and reaches the ledger's DuckDB
  // tables in the background: a DuckDB commit per submission made most of a one-record submission's time.
  const ledgerJournal = await openFileJournal<SubmissionEntry>({
    dir: join(options.dataDir, 'ledger-journal'),
    ...(options.logConsumedRetentionMs === undefined
      ? {}
      : { consumedRetentionMs: options.logConsumedRetentionMs }),
    onError: (error) => logger.warn({ err: String(error) }, 'ledger journal retention failed'),
  });
  const stores = await createDuckDbStores({
    path: join(options.dataDir, 'mosy.duckdb'),
    logger,
    ledgerJournal: { journal: ledgerJournal },
    // Checkpoints in quiet moments, and under load four times rarer than inside an apply's commit every 16 MB of WAL
    // (DuckDB's default), where each held the reports back for a second or more; 256 MB made a rare one of 3 s.
    config: {
      checkpoint_threshold: '64MB',
      ...(options.duckDbMemoryLimit === undefined ? {} : { memory_limit: options.duckDbMemoryLimit }),
    },
    idleCheckpointMs: options.idleCheckpointMs ?? 1000,
  }).catch(async (error: unknown) => {
    await ledgerJournal.close();
    throw error;
  });
  logger.info({ memoryLimit: await stores.memoryLimit() }, 'DuckDB store opened');
  // Opening the log deletes what the groups had consumed before a crash: the runtime listens only after that.
  const bus = await createMemoryEventBus({
    dir: join(options.dataDir, 'log'),
    // Versions the bus dead-letters will never be counted: the ledger leaves them out of the providers' backlog.
    onDeadLetters: (letters) => stores.ledger.markDeadLettered(letters),
    ...(options.logConsumedRetentionMs === undefined
      ? {}
      : { consumedRetentionMs: options.logConsumedRetentionMs }),
  });
  const { store, registry, ledger } = stores;
  const settings: HardeningSettings = { ...DEFAULT_HARDENING, ...options.hardening };
  const sessions = createSessionStore({
    maxAgeMs: settings.sessionMaxAgeSeconds * 1000,
    idleMs: settings.sessionIdleSeconds * 1000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const authOptions = { registry, adminToken: admin.value, sessions };
  // Remembered per request: the rate limit and the route's role check read the registry once.
  const authenticate = rememberingAuthenticator(createAuthenticator(authOptions));
  const hardening = createHardening(settings, authenticate, options.now);

  const ingest = createIngest({ bus, registry, ledger, authenticate });
  const linkageMode = options.linkage ?? 'exact';
  if (linkageMode === 'exact') {
    // Switched back from fuzzy: persons count by the exact pseudonym again, and no encoding outlives fuzzy mode.
    const cleared = await stores.linkage.clear();
    if (cleared > 0)
      logger.warn({ records: cleared }, 'linkage is exact: the fuzzy links and encodings were deleted');
  }
  // In process, the linker's batch is durable before the normalizer's batch is committed: a crash replays both.
  const linker =
    linkageMode === 'fuzzy'
      ? createLinkageStage({
          store: stores.linkage,
          secret: pseudonymSecret,
          audit: stores.audit,
          logger: logger.child({ service: 'linker' }),
          ...(options.now === undefined ? {} : { now: options.now }),
        })
      : undefined;
  const normalizer = createNormalizer({
    bus,
    registry,
    ledger,
    pseudonymSecret,
    logger: logger.child({ service: 'normalizer' }),
    group: NORMALIZER_GROUP,
    ...(linker === undefined
      ? {}
      : {
          linkage: {
            encoder: createLinkageEncoder(pseudonymSecret),
            sink: (messages) => linker.apply(messages),
          },
        }),
    // As the aggregator's: one publish, one offset commit and one batch downstream per 10 000 records, not per 1 000.
    maxBatch: 10_000,
  });
  // The aggregator runs in this process, so live streams hear of applied batches at once instead of polling.
  const liveUpdates = createLiveUpdates();
  const aggregator = createAggregator({
    bus,
    store,
    group: AGGREGATOR_GROUP,
    // A batch's apply has costs that grow slower than the batch (the commit and its checkpoints, the stored-key
    // join, rolling cells shared by its records): at 50 000 rather than 10 000 records, measured about a quarter less
    // CPU per record (packages/store-duckdb/bench/apply-stages.ts). It only takes that many when it lags behind.
    maxBatch: 50_000,
    onApplied: publishApplied(liveUpdates),
  });

  const pipelineStatus = async () => {
    const [normalizerBacklog, aggregatorBacklog] = await Promise.all([
      bus.lag('submissions', NORMALIZER_GROUP),
      bus.lag('records', AGGREGATOR_GROUP),
    ]);
    return {
      idle: normalizerBacklog === 0 && aggregatorBacklog === 0,
      stages: { normalizer: { backlog: normalizerBacklog }, aggregator: { backlog: aggregatorBacklog } },
    };
  };

  // The quarterly exports need a reporting country (the report's geo and citizenship groups are relative to it).
  const reportingCountry = options.report?.reportingCountry;
  const quarterly =
    reportingCountry === undefined
      ? undefined
      : createQuarterlyExports({
          store,
          registry,
          archive: stores.archive,
          audit: stores.audit,
          reportingCountry,
          threshold: options.report?.disclosure.threshold ?? DEFAULT_THRESHOLD,
          now: options.now ?? Date.now,
        });
  const scheduler = createLocalScheduler({
    onError: (error, run, final) =>
      logger.warn({ job: run.name, attempt: run.attempt, final, err: String(error) }, 'scheduled job failed'),
  });
  if (quarterly !== undefined)
    await scheduleQuarterlyExports(scheduler, quarterly, options.quarterly ?? DEFAULT_QUARTERLY);

  const app = express();
  app.disable('x-powered-by');
  app.use(hardening.headers);
  app.use(requestLogger(logger.child({ service: 'http' })));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Health probes are not limited; everything else is.
  app.use(hardening.rateLimit);
  const document = embeddedApiDocument();
  app.use(createApiDocsRoutes(document));
  app.use(ingest.router);
  app.use(
    createReportApi({
      store,
      registry,
      authenticate,
      pipelineStatus,
      linkageStatus: async () => ({
        mode: linkageMode,
        ...(linker === undefined ? { merges: 0, revisedRecords: 0 } : await linker.totals()),
        backlog: 0,
      }),
      regions: loadRegionNames(options.geoDir),
      ...(options.geoDir === undefined ? {} : { geoDir: options.geoDir }),
      ...(options.spatial === undefined ? {} : { spatial: options.spatial }),
      geo: loadGeoFiles(options.geoDir),
      liveUpdates,
      audit: stores.audit,
      ledger,
      sessions: { sessions, verifier: createKeyVerifier(authOptions), authenticate },
      ...(options.webDir === undefined ? {} : { webDir: options.webDir }),
      ...(quarterly === undefined ? {} : { quarterly }),
      ...hubParts(options.hub ?? { role: 'node' }, {
        archive: stores.archive,
        ...(quarterly === undefined ? {} : { quarterly }),
        ...(reportingCountry === undefined ? {} : { reportingCountry }),
        now: options.now ?? Date.now,
      }),
      ...options.report,
    }),
  );
  finishApp(app, logger);
  assertDocumented(app, document);

  await linker?.start();
  await normalizer.start();
  await aggregator.start();

  const server = await listenOn(
    createHttpServer(app, { requestTimeoutMs: settings.requestTimeoutMs }),
    options.port,
    options.host ?? '127.0.0.1',
  );
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    adminToken: admin.value,
    adminTokenCreated: admin.created,
    submit: ingest.submit,
    registry,
    store,
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await scheduler.close();
        await normalizer.stop();
        await aggregator.stop();
        await bus.close();
        await stores.close();
        await ledgerJournal.close();
      })();
      return closed;
    },
  };
}
