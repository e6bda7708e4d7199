/**
 * @mosy/testkit: contract suites for every port, record and message builders, the independent reference counts,
 * benchmark records, and the synthetic data generator of `@mosy/synthetic` re-exported for tests.
 */
export {
  DEMO_SEED,
  SYNTHETIC_PREFIX,
  completeFields,
  createRng,
  demoDataset,
  generateDataset,
  generateLinkageCorpus,
  sensitiveValues,
  toSubmissionCsv,
  SYNTHETIC_INDICATOR,
  SYNTHETIC_POPULATION_SOURCE,
  syntheticIndicatorRows,
  syntheticPopulationRows,
} from '@mosy/synthetic';
export type {
  GenerateOptions,
  LinkageCorpus,
  LinkageCorpusRecord,
  ProviderSubmissions,
  Rng,
  SyntheticDataset,
  SyntheticProvider,
  Transport,
  TruthRecord,
} from '@mosy/synthetic';
export { BENCH_QUERIES, benchRecords } from './bench-records.js';
export { referenceQuery, valuesOf } from './reference/reference-query.js';
export { entryId, expectedTable, publishedTable } from './reference/expected-table.js';
export type { PublishedTableBody } from './reference/expected-table.js';
export { bucketOf, periodBoundsOf, precisionOf } from './reference/periods.js';
export { buildNormalizedRecord, defaultFields, periodOf } from './builders.js';
export type { NormalizedRecordOverrides } from './builders.js';
export {
  comparableResult,
  runIndicatorStoreContract,
  sortCells,
} from './contracts/indicator-store-contract.js';
export { adHocTwin } from './contracts/indicator-store/rolling-counts.js';
export type { IndicatorStoreContractOptions } from './contracts/indicator-store-contract.js';
export { runRegistryContract } from './contracts/registry-contract.js';
export type { RegistryContractOptions } from './contracts/registry-contract.js';
export { runIntakeLedgerContract } from './contracts/intake-ledger-contract.js';
export type { IntakeLedgerContractOptions } from './contracts/intake-ledger-contract.js';
export { acceptRecords, submissionEntry } from './ledger-submissions.js';
export { runProviderBacklogContract } from './contracts/provider-backlog-contract.js';
export type { ProviderBacklogContractOptions } from './contracts/provider-backlog-contract.js';
export { createReferenceIndicatorStore } from './contracts/reference-indicator-store.js';
export { buildDeadLetter, buildSubmissionMessage } from './message-builders.js';
export type { SubmissionMessageOverrides } from './message-builders.js';
export { runEventBusContract } from './contracts/event-bus-contract.js';
export type { BusHooks, EventBusContractOptions } from './contracts/event-bus-contract.js';
export {
  catalogueQueryArb,
  normalizedRecordArb,
  recordBatchesArb,
  storeQueryArb,
} from './contracts/store-arbitraries.js';
export { runAuditLogContract } from './contracts/audit-log-contract.js';
export { runLinkageStoreContract } from './contracts/linkage-store-contract.js';
export { createMemoryLinkageStore } from './contracts/memory-linkage-store.js';
export type { MemoryLinkageStore } from './contracts/memory-linkage-store.js';
export type { LinkageStoreContractOptions } from './contracts/linkage-store-contract.js';
export type { AuditLogContractOptions } from './contracts/audit-log-contract.js';
export { runSchedulerContract } from './contracts/scheduler-contract.js';
export type { SchedulerContractOptions } from './contracts/scheduler-contract.js';
export { runReportArchiveContract } from './contracts/report-archive-contract.js';
export type { ReportArchiveContractOptions } from './contracts/report-archive-contract.js';
export { clickHouseTestDatabases, type ClickHouseTestDatabases } from './clickhouse-databases.js';
export { CKI_PERSON_READS } from './cki-reads.js';
