/** @mosy/report-api: indicator values, reports with disclosure control, catalogue, status, taxonomy, regions, audit. */
export { createReportApi } from './app.js';
export type { LinkageStatus, PipelineStatus, ReportApiDeps } from './app.js';
export {
  READ_UNPROTECTED,
  REFUSED_AUDIT_READ,
  REFUSED_UNPROTECTED,
  createMemoryAuditLog,
  resolveProtection,
} from './audit.js';
export type { Protection } from './audit.js';
export { MAX_LIVE_INDICATORS, createLiveRoutes, createLiveUpdates, publishApplied } from './live.js';
export type { LiveDeps, LiveEvent, LiveUpdates, LiveValues } from './live.js';
export { MIN_PROJECTION_QUARTERS, createProjectionRoutes } from './projection.js';
export { MAX_PROJECTION_QUARTERS } from './api/indicators.js';
export { REPORT_API_ROUTES } from './api/routes.js';
export type { ProjectionDeps } from './projection.js';
export { loadRegionNames, NUTS_REGIONS_FILE } from './regions.js';
export { loadGeoFiles, NUTS_GEO_FOLDER } from './geo-files.js';
export type { GeoFiles, GeoManifest } from './geo-files.js';
export type { RegionName } from './regions.js';
export { reportSettingsFromEnv } from './settings.js';
export type { DisclosureSettings, ReportSettings } from './settings.js';
export { CONTENT_SECURITY_POLICY, DEFAULT_WEB_DIR, createWebAppRoutes } from './web-app.js';
export { spatialSettingsFromEnv } from './settings.js';
export type { SpatialSettings } from './settings.js';
export {
  loadPopulationCsv,
  loadRegionalIndicatorsCsv,
  regionalIndicatorsFromRows,
} from './spatial/tables.js';
export type { RegionalIndicators } from './spatial/tables.js';
export type { SpatialOptions } from './spatial/deps.js';
export { SCHEDULER, createQuarterlyExports } from './quarterly/exports.js';
export type { Actor, BuildOutcome, QuarterlyExports, QuarterlyExportsDeps } from './quarterly/exports.js';
export {
  DEFAULT_QUARTERLY,
  QUARTERLY_DRAFT_JOB,
  QUARTERLY_REVISION_JOB,
  quarterlySettingsFromEnv,
  scheduleQuarterlyExports,
} from './quarterly/schedule.js';
export type { QuarterlySettings, ScheduleOptions } from './quarterly/schedule.js';
export { createHub, isHubPeriod } from './hub/hub.js';
export type { Hub, HubReceipt } from './hub/hub.js';
export { createHubSender } from './hub/send.js';
export type { HubSender, HubSenderOptions } from './hub/send.js';
export { hubParts, hubSettingsFromEnv } from './hub/settings.js';
export type { HubSettings } from './hub/settings.js';
