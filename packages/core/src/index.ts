/** @mosy/core: MoSy's pure domain. Explicit named exports only. */
export { ERROR_CODES, MosyError, isMosyError, toMosyError } from './errors.js';
export type { FieldIssue, MosyErrorCode, MosyErrorOptions } from './errors.js';
export {
  AGE_CLASSES,
  AGE_GROUPS,
  EXPLOITATION,
  FINALISED_OUTCOMES,
  LABOUR_SECTORS,
  MEANS_OF_CONTROL,
  PERSON_KINDS,
  PROSECUTION_OUTCOMES,
  PROVIDER_TYPES,
  RECORD_KINDS,
  RECRUITER_RELATIONSHIP,
  REGISTERED_STATUSES,
  SEX,
  TAXONOMY_VERSION,
  UNKNOWN,
  VICTIM_STATUS,
  YES_NO,
  isCode,
} from './taxonomy/codes.js';
export type { AgeGroup, CodeList, ProviderType, RecordKind } from './taxonomy/codes.js';
export { COUNTRIES, EU_MEMBERS, STATELESS, isCountry } from './taxonomy/countries.js';
export {
  NUTS_COUNTRIES,
  geoAtLevel,
  geoCodeProblem,
  geoCountryIso,
  geoWithin,
  isGeoCode,
  isoToNutsCountry,
  nutsLevel,
} from './taxonomy/nuts.js';
export type { NutsLevel } from './taxonomy/nuts.js';
export {
  CANONICAL_FIELDS,
  FIELDS,
  fieldAppliesTo,
  fieldValueProblem,
  isCanonicalField,
  isListField,
} from './taxonomy/fields.js';
export type { CanonicalField, FieldDefinition, FieldValueKind } from './taxonomy/fields.js';
export { recordKeyOf } from './records.js';
export type {
  CanonicalValues,
  DatePrecision,
  DeadLetter,
  NormalizedRecord,
  RawValue,
  RecordAction,
  SubmissionMessage,
  SubmittedRecord,
} from './records.js';
export { MAPPING_FORMAT } from './mapping/format.js';
export type { FieldRule, MappingDocument, UnmappedPolicy } from './mapping/format.js';
export { DERIVED_DIMENSIONS, INTERVALS, UNSPECIFIED_PERIOD_SUFFIX } from './query/model.js';
export type { Cell, Dimension, Interval, StoreQuery, StoreResult, Unit } from './query/model.js';
export type {
  ConsumeOptions,
  DeliveredMessage,
  EventBus,
  OutgoingMessage,
  Subscription,
  Topic,
  TopicPayloads,
} from './ports/event-bus.js';
export type { ApplyOutcome, IndicatorStore } from './ports/indicator-store.js';
export { ROLES } from './ports/registry.js';
export type { ApiKey, Provider, Registry, Role } from './ports/registry.js';
export type {
  IntakeLedger,
  QualityCount,
  QualityEvent,
  QualityEventKind,
  RecordReceipt,
  SubmissionReceipt,
} from './ports/intake-ledger.js';
export type { JobRun, JobSchedule, Scheduler } from './ports/scheduler.js';
