/**
 * The report API as one router: the indicator catalogue, single ad-hoc indicator queries, the report families
 * (simple, total, time-frame, geo and data quality, each in `reports/`) in JSON, CSV or SDMX-CSV (`formats/`), the
 * pipeline status (so a client can tell when what it submitted is reflected in the counts) with each provider's
 * latest submission, the taxonomy with labels, the region names and the audit log. Reports are aggregate only: no endpoint returns a record. Every
 * number an analyst sees is disclosure-controlled; coordinators may ask for unprotected values, and each such read
 * is audited (contract §5, §6). Providers read no report but their own data quality. It also signs the web app in
 * (`/v1/session`) and serves it at `/`.
 */
import express, { type Router } from 'express';
import {
  CODE_LISTS,
  INDICATORS,
  TAXONOMY_VERSION,
  COUNTRIES,
  MosyError,
  isCountry,
  type AuditLog,
  type IndicatorStore,
  type IntakeLedger,
  type Registry,
  type Role,
} from '@mosy/core';
import {
  createSessionRoutes,
  jsonHandler,
  mountRoute,
  principalOf,
  rawHandler,
  requireRole,
  type Authenticator,
  type SessionRoutesOptions,
} from '@mosy/http';
import { INDICATOR_VALUES, LIST_INDICATORS } from './api/indicators.js';
import { PROVIDER_ACTIVITY, REGIONS, STATUS, TAXONOMY } from './api/meta.js';
import { GEO_REPORT, QUALITY_REPORT, SIMPLE_REPORT, TIME_FRAME_REPORT, TOTAL_REPORT } from './api/reports.js';
import type { RegionName } from './regions.js';
import { createAuditRouter } from './audit.js';
import type { ReportContext } from './reports/context.js';
import { DEFAULT_DISCLOSURE, type DisclosureSettings } from './settings.js';
import { indicatorValues } from './reports/values.js';
import { simpleReport } from './reports/simple.js';
import { totalReport } from './reports/total.js';
import { timeFrameReport } from './reports/time-frame.js';
import { geoReport } from './reports/geo.js';
import { qualityReport } from './reports/quality.js';
import { sendTableReport, sendTotalReport, sendValues } from './formats/send.js';
import { createLiveRoutes, type LiveUpdates } from './live.js';
import { createProjectionRoutes } from './projection.js';
import { createWebAppRoutes } from './web-app.js';
import { createSpatialGeo } from './spatial/geo.js';
import { namesOf, type SpatialOptions } from './spatial/deps.js';
import { createSpatialRoutes } from './spatial/routes.js';
import { createGeoRoutes, loadGeoFiles, type GeoFiles } from './geo-files.js';
import { createExportRoutes } from './quarterly/routes.js';
import type { QuarterlyExports } from './quarterly/exports.js';
import { createHubRoutes } from './hub/routes.js';
import type { Hub } from './hub/hub.js';
import type { HubSender } from './hub/send.js';

export interface PipelineStatus {
  /** True when every accepted record is reflected in the store. */
  readonly idle: boolean;
  readonly stages: Readonly<Record<string, { readonly backlog: number }>>;
}

/** Fuzzy linkage's state for `/v1/status`: re-groupings are visible, not silent jumps in person totals. */
export interface LinkageStatus {
  readonly mode: 'exact' | 'fuzzy';
  readonly merges: number;
  readonly revisedRecords: number;
  readonly backlog: number;
}

const EXACT_LINKAGE: LinkageStatus = { mode: 'exact', merges: 0, revisedRecords: 0, backlog: 0 };

/** The roles that read each provider's backlog (`pending`) in the providers' activity; analysts do not. */
const BACKLOG_READERS: ReadonlySet<Role> = new Set(['coordinator', 'admin']);

export interface ReportApiDeps {
  readonly store: IndicatorStore;
  readonly registry: Registry;
  readonly authenticate: Authenticator;
  readonly pipelineStatus: () => Promise<PipelineStatus>;
  /** Fuzzy linkage's state. @defaultValue exact linkage: no re-groupings, no backlog */
  readonly linkageStatus?: () => Promise<LinkageStatus>;
  /** NUTS region names from the geo data folder; empty when it is not configured. */
  readonly regions?: readonly RegionName[];
  /** The map's boundary files (`loadGeoFiles`). @defaultValue the country-level fallback of `world-atlas` */
  readonly geo?: GeoFiles;
  /** Where every read of unprotected values is recorded before it is served. */
  readonly audit: AuditLog;
  /** Data-quality events (rejects, dead letters, unmapped values) for the quality report; none when absent. */
  readonly ledger?: IntakeLedger;
  /**
   * Disclosure control of analysts' outputs.
   * @defaultValue `DEFAULT_DISCLOSURE`: `{ threshold: 5, adHoc: 'perturb' }`
   */
  readonly disclosure?: Partial<DisclosureSettings>;
  /**
   * The reporting country (ISO 3166-1 alpha-2, `GR` for Greece): SDMX-CSV answers count citizenship in Eurostat's
   * groups relative to it (`NAT`, `EU27_2020_FOR`, `NEU27_2020_FOR`, `STLS`, `UNK`).
   * @defaultValue none: SDMX-CSV keeps citizenship's ISO codes
   */
  readonly reportingCountry?: string;
  /** The clock of audit entries. @defaultValue `Date.now` */
  readonly now?: () => number;
  /** In-process aggregation updates for the live stream (embedded runtime); without them it polls the store. */
  readonly liveUpdates?: LiveUpdates;
  /** Browser sign-in (`/v1/session`); without it the web app cannot sign in. */
  readonly sessions?: SessionRoutesOptions;
  /** The geo data folder (holding `nuts/2024`) whose borders and typologies the spatial analysis reads. */
  readonly geoDir?: string;
  /** Population and regional indicator tables for the spatial analysis; without them it uses counts. */
  readonly spatial?: SpatialOptions;
  /** The quarterly exports (`createQuarterlyExports`); without them the export routes answer 404. */
  readonly quarterly?: QuarterlyExports;
  /** The hub role (`createHub`): without it the hub's routes answer 404. */
  readonly hub?: Hub;
  /** Sends published versions to a hub (`createHubSender`); without it the send route answers 404. */
  readonly hubSender?: HubSender;
  /** The built web app served at `/`; `false` serves none. @defaultValue `DEFAULT_WEB_DIR` (`web/dist`) */
  readonly webDir?: string | false;
}

/** @throws MosyError `invalid-request` when `reportingCountry` is not an ISO 3166-1 alpha-2 country code. */
export function createReportApi(deps: ReportApiDeps): Router {
  const { store, authenticate } = deps;
  if (deps.reportingCountry !== undefined && !isCountry(deps.reportingCountry))
    throw new MosyError(
      'invalid-request',
      `reportingCountry must be an ISO 3166-1 alpha-2 country code, got "${deps.reportingCountry}".`,
    );
  const ctx: ReportContext = {
    store,
    registry: deps.registry,
    audit: deps.audit,
    ...(deps.ledger === undefined ? {} : { ledger: deps.ledger }),
    disclosure: { ...DEFAULT_DISCLOSURE, ...deps.disclosure },
    ...(deps.reportingCountry === undefined ? {} : { reportingCountry: deps.reportingCountry }),
    now: deps.now ?? Date.now,
  };
  const router = express.Router();
  const readers = requireRole(authenticate, 'analyst', 'coordinator');
  const anyRole = requireRole(authenticate, 'provider', 'analyst', 'coordinator', 'admin');

  mountRoute(
    router,
    LIST_INDICATORS,
    readers,
    jsonHandler(LIST_INDICATORS)(() => Promise.resolve({ indicators: INDICATORS })),
  );
  mountRoute(
    router,
    INDICATOR_VALUES,
    readers,
    rawHandler(INDICATOR_VALUES)(async ({ req, res }) => {
      sendValues(req, res, await indicatorValues(ctx, req));
    }),
  );
  mountRoute(
    router,
    SIMPLE_REPORT,
    readers,
    rawHandler(SIMPLE_REPORT)(async ({ req, res }) => {
      sendTableReport(req, res, await simpleReport(ctx, req), ctx.reportingCountry);
    }),
  );
  mountRoute(
    router,
    TOTAL_REPORT,
    readers,
    rawHandler(TOTAL_REPORT)(async ({ req, res }) => {
      sendTotalReport(req, res, await totalReport(ctx, req));
    }),
  );
  mountRoute(
    router,
    TIME_FRAME_REPORT,
    readers,
    rawHandler(TIME_FRAME_REPORT)(async ({ req, res }) => {
      sendTableReport(req, res, await timeFrameReport(ctx, req), ctx.reportingCountry);
    }),
  );
  mountRoute(
    router,
    GEO_REPORT,
    readers,
    rawHandler(GEO_REPORT)(async ({ req, res }) => {
      sendTableReport(req, res, await geoReport(ctx, req), ctx.reportingCountry);
    }),
  );
  mountRoute(
    router,
    QUALITY_REPORT,
    requireRole(authenticate, 'provider', 'analyst', 'coordinator'),
    jsonHandler(QUALITY_REPORT)(async ({ req }) => qualityReport(ctx, req)),
  );
  router.use(createAuditRouter(deps.audit, authenticate, ctx.now));
  router.use(
    createExportRoutes({
      authenticate,
      now: ctx.now,
      ...(deps.quarterly === undefined ? {} : { exports: deps.quarterly }),
    }),
  );
  router.use(
    createHubRoutes({
      authenticate,
      registry: deps.registry,
      now: ctx.now,
      ...(deps.hub === undefined ? {} : { hub: deps.hub }),
      ...(deps.hubSender === undefined ? {} : { sender: deps.hubSender }),
    }),
  );
  router.use(
    createLiveRoutes({
      authenticate,
      store,
      registry: deps.registry,
      audit: deps.audit,
      disclosure: ctx.disclosure,
      ...(deps.now === undefined ? {} : { now: deps.now }),
      ...(deps.liveUpdates === undefined ? {} : { updates: deps.liveUpdates }),
    }),
  );
  router.use(
    createProjectionRoutes({
      store,
      registry: deps.registry,
      authenticate,
      audit: deps.audit,
      disclosure: ctx.disclosure,
      ...(deps.now === undefined ? {} : { now: deps.now }),
    }),
  );

  router.use(
    createSpatialRoutes(
      {
        report: ctx,
        geo: createSpatialGeo(deps.geoDir),
        regionNames: namesOf(deps.regions),
        ...deps.spatial,
      },
      authenticate,
    ),
  );

  mountRoute(
    router,
    STATUS,
    anyRole,
    jsonHandler(STATUS)(async () => ({
      ...(await deps.pipelineStatus()),
      records: await store.countRecords(),
      linkage: (await deps.linkageStatus?.()) ?? EXACT_LINKAGE,
    })),
  );

  // When each provider last submitted: operations figures about the pipeline (no breakdown of any indicator). How
  // many of a provider's records wait is an exact count, small for a small provider and moving as its records are
  // counted: only the roles trusted with exact figures (coordinators) and operations (admins) read it.
  mountRoute(
    router,
    PROVIDER_ACTIVITY,
    requireRole(authenticate, 'analyst', 'coordinator', 'admin'),
    jsonHandler(PROVIDER_ACTIVITY)(async ({ req }) => {
      const [status, providers, activity] = await Promise.all([
        deps.pipelineStatus(),
        deps.registry.listProviders(),
        deps.ledger?.activity() ?? [],
      ]);
      const backlog = BACKLOG_READERS.has(principalOf(req).role)
        ? await deps.ledger?.backlog?.(providers.map(({ id }) => id))
        : undefined;
      const byId = new Map(activity.map((a) => [a.providerId, a]));
      const pendingOf = new Map(backlog?.map((b) => [b.providerId, b.pending]));
      return {
        ...status,
        providers: providers.map(({ id, name, type }) => {
          const seen = byId.get(id);
          const pending = pendingOf.get(id);
          return {
            id,
            name,
            type,
            submissions: seen?.submissions ?? 0,
            ...(seen === undefined ? {} : { lastSubmittedAt: seen.lastSubmittedAt }),
            ...(pending === undefined ? {} : { pending }),
          };
        }),
      };
    }),
  );

  mountRoute(
    router,
    TAXONOMY,
    jsonHandler(TAXONOMY)(() =>
      Promise.resolve({
        version: TAXONOMY_VERSION,
        codeLists: { ...CODE_LISTS, country: COUNTRIES },
      }),
    ),
  );

  mountRoute(
    router,
    REGIONS,
    jsonHandler(REGIONS)(({ query }) => {
      const level = query.level === undefined ? undefined : Number(query.level);
      const regions = (deps.regions ?? []).filter(
        (r) =>
          (level === undefined || r.level === level) &&
          (query.country === undefined || r.id.startsWith(query.country)),
      );
      return Promise.resolve({ nutsVersion: '2024', regions });
    }),
  );

  router.use(createGeoRoutes(deps.geo ?? loadGeoFiles(undefined), readers));

  if (deps.sessions !== undefined) router.use(createSessionRoutes(deps.sessions));
  // Last, so a static file can never shadow an API route.
  if (deps.webDir !== false) router.use(createWebAppRoutes(deps.webDir));

  return router;
}
