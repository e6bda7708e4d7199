/** @mosy/standalone: the embedded runtime (all services in one process). */
export { startStandalone, AGGREGATOR_GROUP, NORMALIZER_GROUP } from './standalone.js';
export type { Standalone, StandaloneOptions } from './standalone.js';
export { loadConfig, REPO_ROOT } from './config.js';
export type { StandaloneConfig } from './config.js';
export { loadDemoIfEmpty } from './demo.js';
export type { DemoKeys } from './demo.js';
export { EMBEDDED_ROUTES, embeddedApiDocument } from './api.js';
export { spatialTables } from './spatial-tables.js';
