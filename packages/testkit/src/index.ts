export {};
export { DEMO_SEED, demoDataset, generateDataset } from './synthetic/generate.js';
export type {
  GenerateOptions,
  ProviderSubmissions,
  SyntheticDataset,
  SyntheticProvider,
  Transport,
  TruthRecord,
} from './synthetic/types.js';
export { SYNTHETIC_PREFIX } from './synthetic/providers.js';
export { createRng } from './synthetic/prng.js';
export { BENCH_QUERIES, benchRecords } from './synthetic/bench-records.js';
export type { Rng } from './synthetic/prng.js';
export { toSubmissionCsv } from './synthetic/csv.js';
export { sensitiveValues } from './synthetic/sensitive.js';
export { referenceQuery, valuesOf } from './reference/reference-query.js';
export { bucketOf, periodBoundsOf, precisionOf } from './reference/periods.js';
export { buildNormalizedRecord, defaultFields, periodOf } from './builders.js';
export type { NormalizedRecordOverrides } from './builders.js';
export { runIndicatorStoreContract, sortCells } from './contracts/indicator-store-contract.js';
export type { IndicatorStoreContractOptions } from './contracts/indicator-store-contract.js';
export { runRegistryContract } from './contracts/registry-contract.js';
export type { RegistryContractOptions } from './contracts/registry-contract.js';
export { runIntakeLedgerContract } from './contracts/intake-ledger-contract.js';
export type { IntakeLedgerContractOptions } from './contracts/intake-ledger-contract.js';
export { createReferenceIndicatorStore } from './contracts/reference-indicator-store.js';
export { buildDeadLetter, buildSubmissionMessage } from './message-builders.js';
export type { SubmissionMessageOverrides } from './message-builders.js';
export { runEventBusContract } from './contracts/event-bus-contract.js';
export type { EventBusContractOptions } from './contracts/event-bus-contract.js';
export { completeFields } from './synthetic/draft.js';
export { normalizedRecordArb, recordBatchesArb, storeQueryArb } from './contracts/store-arbitraries.js';
export { runAuditLogContract } from './contracts/audit-log-contract.js';
export type { AuditLogContractOptions } from './contracts/audit-log-contract.js';
export { runSchedulerContract } from './contracts/scheduler-contract.js';
export type { SchedulerContractOptions } from './contracts/scheduler-contract.js';
