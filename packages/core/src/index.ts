/** @mosy/core: MoSy's pure domain. Explicit named exports only. */
export { ERROR_CODES, MosyError, isMosyError, toMosyError } from './errors.js';
export { csvField } from './csv-field.js';
export type { FieldIssue, MosyErrorCode, MosyErrorOptions } from './errors.js';
export {
  AGE_CLASSES,
  AGE_GROUPS,
  CODE_LISTS,
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
export {
  EUROSTAT_EXPLOITATION,
  EUROSTAT_SEX_TOTAL,
  EUROSTAT_TOTAL,
  eurostatAge,
  eurostatCitizenship,
  eurostatExploitation,
  eurostatExploitationGroups,
  eurostatGeo,
  eurostatSex,
} from './taxonomy/eurostat.js';
export type { EurostatExploitation } from './taxonomy/eurostat.js';
export {
  MAX_YEAR,
  MIN_YEAR,
  latestAcceptedDay,
  parseReferenceDate,
  periodBounds,
  referenceDateProblem,
  withinPeriod,
} from './time/reference-date.js';
export type { ReferenceDate } from './time/reference-date.js';
export { isoWeekMonday, periodOf } from './time/period.js';
export { MAX_RECORD_ID_LENGTH, validateSubmittedRecord } from './submission/validate-record.js';
export type { RecordValidation } from './submission/validate-record.js';
export { parseMapping } from './mapping/parse.js';
export { DEFAULT_TRUTHY, MAX_UNMAPPED_VALUE_LENGTH, applyMapping } from './mapping/apply.js';
export type { MappingContext, MappingResult, UnmappedValue } from './mapping/apply.js';
export { mapRecord } from './mapping/map-record.js';
export type { RecordMapping } from './mapping/map-record.js';
export { MAX_AGE, TRANSFORMS, ageGroupOfAge, applyTransform } from './mapping/transforms.js';
export type { TransformName, TransformResult } from './mapping/transforms.js';
export { mappingCoverage } from './mapping/coverage.js';
export type { FieldCoverage, MappingCoverage } from './mapping/coverage.js';
export { NAME_FIELDS, nameTokens, normalizeDateOfBirth, normalizeIdentity } from './pseudonym/identity.js';
export type { NormalizedIdentity } from './pseudonym/identity.js';
export { MIN_SECRET_BYTES, assertSecret, cellRecordKey, personKeyOf } from './pseudonym/keys.js';
export type { PseudonymSecret, RecordRef } from './pseudonym/keys.js';
export { normalize } from './normalize.js';
export type { NormalizeOptions } from './normalize.js';
export {
  CITIZENSHIP_GROUPS,
  ageClassOf,
  citizenshipGroup,
  isRegistered,
  latestPerRecord,
  personCitizenshipGroup,
} from './counting/rules.js';
export type { AgeClass, CitizenshipGroup } from './counting/rules.js';
export { INDICATORS, dimensionsOf, findIndicator } from './indicators/catalogue.js';
export type { CkiReference, IndicatorDefinition } from './indicators/catalogue.js';
export { MAX_BREAKDOWNS, namesProviders, parseIndicatorQuery } from './query/parse.js';
export type { ParseQueryOptions, QueryParams } from './query/parse.js';
export { isMappedRecord, recordKeyOf } from './records.js';
export { DEFAULT_DEAD_LETTER_STAGES, deadLetterOf, versionOf } from './ports/dead-letters.js';
export type { DeadLetterInput } from './ports/dead-letters.js';
export type {
  CanonicalValues,
  DatePrecision,
  DeadLetter,
  MappedFields,
  MappedRecord,
  NormalizedRecord,
  RawValue,
  RecordAction,
  SubmissionMessage,
  SubmittedRecord,
} from './records.js';
export { FREE_TEXT, MAPPING_FORMAT } from './mapping/format.js';
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
export type { ApplyOutcome, IndicatorStore, StoreLogger, Timeliness } from './ports/indicator-store.js';
export { ROLES } from './ports/registry.js';
export type { ApiKey, Provider, Registry, Role } from './ports/registry.js';
export type {
  CsvFormat,
  DeadLetteredVersion,
  IntakeLedger,
  ProviderActivity,
  ProviderBacklog,
  QualityCount,
  QualityEvent,
  QualityEventKind,
  RecordReceipt,
  SubmissionEntry,
  SubmissionReceipt,
} from './ports/intake-ledger.js';
export { checkCronPattern } from './ports/scheduler.js';
export type { JobRun, JobSchedule, Scheduler } from './ports/scheduler.js';
export type { AuditEntry, AuditLog } from './ports/audit-log.js';
export type {
  LinkageChange,
  LinkageStore,
  LinkageTotals,
  LinkageWrite,
  PersonRelink,
  StoredLinkage,
} from './ports/linkage-store.js';
export {
  CONFIDENTIAL,
  DEFAULT_THRESHOLD,
  WITHHELD,
  isSensitive,
  primarySuppress,
} from './disclosure/primary.js';
export type { ProtectedValue } from './disclosure/primary.js';
export type {
  FrequencyTable,
  ProtectTableOptions,
  ProtectedEntry,
  ProtectedTable,
  TableEntry,
} from './disclosure/table.js';
export { protectTable } from './disclosure/protect-table.js';
export { perturbTable } from './disclosure/perturb-table.js';
export type {
  KeyedFrequencyTable,
  KeyedTableEntry,
  PerturbTableOptions,
  PerturbedTable,
} from './disclosure/perturb-table.js';
export { KEY_SPACE, addKeySums, cellKeyOf, keySumOf, personKeyNumber } from './disclosure/cell-key.js';
export {
  DEFAULT_PERTURBATION,
  createPerturbationTable,
  defaultPerturbationTable,
  perturb,
  perturbedCount,
  resolvePerturbationTable,
} from './disclosure/perturbation.js';
export type { PerturbationOptions, PerturbationRow, PerturbationTable } from './disclosure/perturbation.js';
export { DISCLOSURE_MODES, protectResult } from './disclosure/protect-result.js';
export type {
  DisclosureInfo,
  DisclosureMode,
  KeyedCell,
  KeyedResult,
  ProtectResultOptions,
  ProtectedCell,
  ProtectedResult,
} from './disclosure/protect-result.js';
export {
  fitHoltWinters,
  forecastHoltWinters,
  initialHoltWintersState,
  smoothHoltWinters,
} from './forecast/index.js';
export type {
  FitHoltWintersOptions,
  HoltWintersFit,
  HoltWintersForecastPoint,
  HoltWintersInitialState,
  HoltWintersParams,
  HoltWintersSmoothing,
} from './forecast/index.js';
export {
  DEFAULT_FDR,
  DEFAULT_PERMUTATIONS,
  benjaminiHochberg,
  binaryWeights,
  centroidsOf,
  classifyHotspots,
  classifyMoranClusters,
  contiguityWeights,
  isSymmetric,
  localGetisOrdStar,
  localMoran,
  neighbourIds,
  pointDistance,
  rowStandardisedWeights,
  seededRandom,
  significantAtFdr,
  starWeights,
  transformWeights,
  weightsFromNeighbours,
  analyseHotspots,
  RATE_BASE,
  populationFromRows,
  populationOf,
  ratePer100k,
  Z_95,
  groupRate,
  rateRatio,
  averageRanks,
  spearman,
  TREND_MIN_ABSOLUTE_CHANGE,
  TREND_MIN_RELATIVE_CHANGE,
  slope,
  trendDirection,
} from './spatial/index.js';
export type {
  ContiguityOptions,
  ContiguityWeights,
  DistanceKind,
  GetisOrdOptions,
  Hotspot,
  HotspotKind,
  LocalGStar,
  LocalMoran,
  LocalMoranOptions,
  MoranCluster,
  MoranQuadrant,
  PermutationOptions,
  Position,
  RandomSource,
  SpatialWeights,
  TopoGeometry,
  TopoGeometryCollection,
  Topology,
  TopologyTransform,
  WeightsTransform,
  HotspotAnalysisOptions,
  RegionHotspot,
  PopulationRow,
  PopulationTable,
  RateGroup,
  RateRatio,
  RankCorrelation,
  TrendDirection,
} from './spatial/index.js';
// The quarterly Common Key Indicators report: suppression across its tables, citizenship precedence, revisions.
export { cellIdentity, protectLinkedTables } from './disclosure/linked-tables.js';
export type { LinkedTable, ProtectedLinkedTable, ProtectedLinkedTables } from './disclosure/linked-tables.js';
export {
  EUROSTAT_CITIZENSHIP_GROUPS,
  countByCitizenshipGroup,
  eurostatPersonCitizenship,
} from './quarterly/citizenship.js';
export type { EurostatCitizenshipGroup } from './quarterly/citizenship.js';
export { diffReportVersions, sortedDimensions } from './quarterly/revision-diff.js';
export type {
  CellChange,
  PublishedObservation,
  ReportCell,
  RevisionDiff,
} from './quarterly/revision-diff.js';
export { metadataSheet, metadataSheetCsv, metadataSheetJson } from './quarterly/metadata-sheet.js';
export type {
  IndicatorDefinitionRow,
  MetadataSheet,
  MetadataSheetInput,
  ProviderCoverage,
} from './quarterly/metadata-sheet.js';
export {
  DEFAULT_LINKAGE_OPTIONS,
  DOB_FILTER_BITS,
  DOB_WORDS,
  ENCODING_WORDS,
  NAME_FILTER_BITS,
  NAME_WORDS,
  bigramsOf,
  blockingTexts,
  createBlockingKeyer,
  createFeatureHasher,
  createLinkageEncoder,
  createLinkageIndex,
  createLinker,
  dice,
  diceAt,
  encodeFeatures,
  encodingFromBytes,
  encodingToBytes,
  foldNameToken,
  identityFeatures,
  linkQuality,
  linkageMessageOf,
  linkageScore,
  partCounts,
  popcount,
  popcount32,
  scoreAt,
  skeletonOf,
  type BlockingTexts,
  type DateOfBirthParts,
  type EncodingField,
  type FeatureHasher,
  type IdentityFeatures,
  type LinkQuality,
  type LinkageEncoder,
  type LinkageEncoding,
  type LinkageIndex,
  type LinkageMessage,
  type LinkageMatch,
  type LinkageOptions,
  type LinkRef,
  type LinkResult,
  type Linker,
  type PersonRevision,
  type LinkageOutcome,
} from './linkage/index.js';
export {
  HTCDS_2_MAPPING,
  HTCDS_DROPPED,
  HTCDS_ENVELOPE_COLUMNS,
  HTCDS_LABEL_ALIASES,
  HTCDS_MAPPING_NAME,
  HTCDS_SOURCES,
  builtinMapping,
  htcdsColumn,
  htcdsRowToRecord,
  isHtcdsFileColumn,
} from './htcds/index.js';
export {
  dueQuarter,
  parseQuarter,
  previousQuarter,
  quarterClosesAt,
  quarterOf,
  yearToDate,
} from './quarterly/quarter.js';
export type { Quarter } from './quarterly/quarter.js';
export {
  QUARTERLY_PERIOD,
  buildQuarterlyReport,
  isYearOnlyBucket,
  quarterlyColumn,
  quarterlyTables,
  ytdPeriodOf,
} from './quarterly/report.js';
export type {
  CountedTable,
  QuarterlyReport,
  QuarterlyReportInput,
  QuarterlyTable,
  QuarterlyTableSpec,
} from './quarterly/report.js';
export {
  QUARTERLY_FORMATS,
  quarterlyArtefacts,
  quarterlyCsv,
  quarterlyJson,
  quarterlySdmxCsv,
  reportColumns,
  sdmxDataflow,
  sdmxLastUpdate,
} from './quarterly/render.js';
export type { QuarterlyFormat } from './quarterly/render.js';
export type {
  ReportArchive,
  ReportVersion,
  ReportVersionInput,
  StoredArtefact,
} from './ports/report-archive.js';
// The hub: national quarterly reports combined across countries.
export { citizenshipFlows, countryComparisons, decideRevision, euTotals, keyName } from './hub/aggregate.js';
export type {
  CitizenshipFlow,
  CountryComparison,
  EuTotal,
  NationalReport,
  RevisionDecision,
} from './hub/aggregate.js';
// Rolling counts: the catalogue's finest cells kept up to date record by record, catalogue reads rolled up from them.
export {
  ROLLING_FINGERPRINT,
  ROLLING_GROUPINGS,
  ROLLING_MAX_DIMENSIONS,
  isGeoDimension,
} from './rolling/groupings.js';
export type { RollingGrouping } from './rolling/groupings.js';
export {
  cellSourceOf,
  codesOf,
  passesFilters,
  rollingCellId,
  rollingCellsOf,
  rollingMonthOf,
} from './rolling/cells.js';
export type { CellSource, RollingCell } from './rolling/cells.js';
export { isRecordPerson, rollingDelta } from './rolling/delta.js';
export type { PersonRefChange, RollingCellChange, RollingDelta } from './rolling/delta.js';
export { createRollingReference } from './rolling/reference.js';
export type { RollingCount, RollingRef, RollingReference, RollingState } from './rolling/reference.js';
export {
  codeAtLevel,
  inMonths,
  periodOfMonth,
  rollingReadOf,
  rollingResultOf,
  totalQueryOf,
} from './rolling/read.js';
export type { RollingColumn, RollingMonths, RollingRead } from './rolling/read.js';
export {
  COUNTER_GRAINS,
  counterPeriodOf,
  inSelection,
  personCountersOf,
  personCountersReadOf,
  personCountersResultOf,
} from './rolling/person-counters.js';
export type {
  CounterGrain,
  CounterSelection,
  PersonCounter,
  PersonCountersRead,
} from './rolling/person-counters.js';
// Coarser grains of person references (all providers; month, quarter, year, all time) for persons reads.
export { ROLLING_GRAINS, rollingGrainsOf } from './rolling/grains.js';
export type { GrainPeriods, GrainSelection, RollingGrain, RollingGrainsPlan } from './rolling/grains.js';
