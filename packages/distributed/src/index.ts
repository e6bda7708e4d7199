/** @mosy/distributed: what each service process of the distributed runtime shares. */
export { loadDistributedConfig } from './config.js';
export type { DistributedConfig } from './config.js';
export { openBus, openStores } from './adapters.js';
export type { ClickHouseStores } from './adapters.js';
export { createCountersRefresher } from '@mosy/store-clickhouse';
export { createMetrics, timedStore, watchLag } from './metrics.js';
export type { ServiceMetrics } from './metrics.js';
export { OPS_ROUTES, createOpsApp, mountOps } from './ops.js';
export { closeServer, listen, stopOnSignal } from './process.js';
export { createRedisSessionStore } from './redis-sessions.js';
export type { RedisSessionStore, RedisSessionStoreOptions } from './redis-sessions.js';
