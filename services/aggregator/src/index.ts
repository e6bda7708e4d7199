/** @mosy/aggregator: normalized records → current state in the indicator store. */
export { createAggregator } from './app.js';
export type { AggregatorDeps, Service } from './app.js';
export { REGROUPING_ACTION, createLinkageStage } from './linkage-stage.js';
export type { LinkageStage, LinkageStageDeps } from './linkage-stage.js';
