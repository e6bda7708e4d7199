/** @mosy/store-clickhouse: the IndicatorStore, Registry and IntakeLedger on one ClickHouse database (18.16 and later). */
export { createClickHouseIndicatorStore, createClickHouseStores } from './clickhouse-stores.js';
export type { ClickHouseStoreOptions, ClickHouseStores } from './clickhouse-stores.js';
export type { ClickHouseConnectionOptions } from './connection.js';
export { DATE_RANGE } from './indicator-store.js';
export type { ClickHouseIndicatorStore } from './indicator-store.js';
export { MIGRATIONS } from './migrations.js';
export { createCountersRefresher } from './counters-refresher.js';
export type { CountersRefresher } from './counters-refresher.js';
export type { CountersRefresh } from './person-counters.js';
