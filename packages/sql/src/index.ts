/**
 * @mosy/sql: SQL generation from the query model for DuckDB and ClickHouse, the one escaping function, and the
 * stores' migration plan and the reading of their rows.
 */
export { MAX_LITERAL_LENGTH, SAFE_LITERAL_PATTERN, sqlIdentifier, sqlLiteral } from './literal.js';
export {
  DIMENSION_COLUMNS,
  FIELD_COLUMNS,
  GEO_FIELDS,
  LIST_FIELDS,
  RECORD_COLUMNS,
  toRow,
} from './columns.js';
export type { ColumnType, ColumnValue, RecordColumn, RecordRow } from './columns.js';
export { filterCondition, isGeoColumn, isListDimension } from './filter-sql.js';
export { clickHouseDialect, duckDbDialect } from './dialect.js';
export type { Dialect } from './dialect.js';
export {
  PERSON_LINKS_TABLE,
  buildIndicatorSql,
  cellsFromRows,
  resultOfSingle,
  resultOfTwo,
  toCount,
  type TotalFrom,
} from './indicator-sql.js';
export type { IndicatorSql } from './indicator-sql.js';
export { buildTimelinessSql, timelinessFromRows } from './timeliness-sql.js';
export { STDERR_LOGGER, pendingMigrations, readMigrations } from './migrations.js';
export type { Migration, MigrationFile } from './migrations.js';
export {
  API_KEY_COLUMNS,
  AUDIT_COLUMNS,
  appliedMigrations,
  integer,
  optionalInteger,
  optionalText,
  text,
  toApiKey,
  toAuditEntry,
  toMappingDocument,
  toProvider,
  toQualityCount,
  toReceipt,
} from './rows.js';
export type { Row } from './rows.js';
export { encodingToHex, toStoredLinkage } from './linkage-rows.js';
export {
  PERIOD_PART,
  buildPartsSql,
  partQuery,
  partsFromRows,
  type Part,
  type PartsSql,
} from './parts-sql.js';
export {
  ROLLING_CELLS_TABLE,
  ROLLING_CELL_KEY,
  ROLLING_CELL_VALUES,
  ROLLING_REFS_TABLE,
  buildRollingReadSql,
  rollingCellDeltaSql,
  rollingExpandSql,
  rollingRefDeltaSql,
  rollingResultFromRows,
  periodExpression,
  rollingSourceColumns,
} from './rolling-sql.js';
export type { RollingSources } from './rolling-sql.js';
export {
  PERSON_COUNTERS_TABLE,
  PERSON_COUNTER_KEY,
  buildPersonCountersReadSql,
  ownPersonCounterDeltaSql,
  personCounterDeltaSql,
} from './person-counters-sql.js';
