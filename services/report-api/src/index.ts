/** @mosy/report-api: indicator values, catalogue, status, taxonomy and regions over HTTP. */
export { createReportApi } from './app.js';
export type { PipelineStatus, ReportApiDeps } from './app.js';
export { loadRegionNames, NUTS_REGIONS_FILE } from './regions.js';
export type { RegionName } from './regions.js';
