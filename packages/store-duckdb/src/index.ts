/** @mosy/store-duckdb: the embedded IndicatorStore, Registry and IntakeLedger on one DuckDB database. */
export { createDuckDbIndicatorStore, createDuckDbStores } from './duckdb-stores.js';
export type { DuckDbStoreOptions, DuckDbStores } from './duckdb-stores.js';
export type { DuckDbIndicatorStore } from './indicator-store.js';
export { MIGRATIONS } from './migrations.js';
export { ledgerPathOf } from './database.js';
