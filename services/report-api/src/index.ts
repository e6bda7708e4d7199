/** @mosy/report-api: indicator values, reports with disclosure control, catalogue, status, taxonomy, regions, audit. */
export { createReportApi } from './app.js';
export type { PipelineStatus, ReportApiDeps } from './app.js';
export { READ_UNPROTECTED, createMemoryAuditLog, resolveProtection } from './audit.js';
export type { Protection } from './audit.js';
export type { DisclosureSettings } from './reports/context.js';
export { loadRegionNames, NUTS_REGIONS_FILE } from './regions.js';
export type { RegionName } from './regions.js';
