/** @mosy/aggregator: normalized records → current state in the indicator store. */
export { createAggregator } from './app.js';
export type { AggregatorDeps, Service } from './app.js';
