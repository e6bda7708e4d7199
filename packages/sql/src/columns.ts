/**
 * The current-records table as both stores lay it out: one source of truth for its columns (`RECORD_COLUMNS`, each
 * with how its value is read from a normalized record), the fixed map from query dimensions to columns, and
 * `toRow`, which flattens a record into a row. Column names are never taken from input: the SQL builder looks them
 * up here. Each store's migration creates exactly these columns (its tests compare the migrated table with this
 * list), and bulk loaders can read values column by column without building row objects.
 */
import {
  CANONICAL_FIELDS,
  FIELDS,
  MosyError,
  isListField,
  ageClassOf,
  type CanonicalField,
  type Dimension,
  type NormalizedRecord,
} from '@mosy/core';

/** A column's logical type; each dialect maps it to a physical type (`Dialect.columnType`). */
export type ColumnType = 'string' | 'list' | 'date' | 'int' | 'bool';

/** A column value: strings, string arrays (lists), numbers (ints), booleans, dates as `YYYY-MM-DD`. */
export type ColumnValue = string | number | boolean | readonly string[];

export interface RecordColumn {
  /** snake_case column name. */
  readonly name: string;
  readonly type: ColumnType;
  /** Part of the table's key (provider_id, record_id). */
  readonly key: boolean;
  /** The column's value for a record (of the JavaScript type matching `type`). */
  readonly read: (record: NormalizedRecord) => ColumnValue;
}

/** Canonical field → column. Typed as a full record so a new canonical field fails to compile until mapped. */
export const FIELD_COLUMNS: Readonly<Record<CanonicalField, string>> = {
  status: 'status',
  sex: 'sex',
  ageGroup: 'age_group',
  citizenship: 'citizenship',
  exploitation: 'exploitation',
  regionOfIdentification: 'region_of_identification',
  regionOfExploitation: 'region_of_exploitation',
  countryOfRecruitment: 'country_of_recruitment',
  organisedCrime: 'organised_crime',
  assistance: 'assistance',
  reflectionPeriod: 'reflection_period',
  residencePermit: 'residence_permit',
  meansOfControl: 'means_of_control',
  recruiterRelationship: 'recruiter_relationship',
  labourSector: 'labour_sector',
  outcome: 'outcome',
};

/** Canonical fields stored as lists (any number of codes per record). */
export const LIST_FIELDS: ReadonlySet<CanonicalField> = new Set(CANONICAL_FIELDS.filter(isListField));

/** Fields whose filters match by prefix and whose breakdowns follow `geoLevel`. */
export const GEO_FIELDS: ReadonlySet<CanonicalField> = new Set(
  CANONICAL_FIELDS.filter((field) => FIELDS[field].value === 'geo'),
);

/** Query dimension → column. */
export const DIMENSION_COLUMNS: Readonly<Record<Dimension, string>> = {
  ...FIELD_COLUMNS,
  providerId: 'provider_id',
  providerType: 'provider_type',
  ageClass: 'age_class',
};

/** A single-code field's value, '' when the record does not have it. */
function scalarValue(record: NormalizedRecord, field: CanonicalField): string {
  const value = record.fields[field];
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  throw new MosyError(
    'invalid-field',
    `record ${record.providerId}/${record.recordId}: ${field} holds a list but takes one code`,
  );
}

/** A list field's value without repeats, so unnesting never counts a record twice in one cell. */
function listValue(record: NormalizedRecord, field: CanonicalField): readonly string[] {
  const value = record.fields[field];
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  // Lists hold a few codes: a pairwise check is cheaper than building a set for every record.
  for (let i = 1; i < value.length; i++) {
    for (let j = 0; j < i; j++) if (value[i] === value[j]) return [...new Set(value)];
  }
  return value;
}

const column = (
  name: string,
  type: ColumnType,
  read: (record: NormalizedRecord) => ColumnValue,
  key = false,
): RecordColumn => ({ name, type, key, read });

/** Every column of the current-records table, in table order. */
export const RECORD_COLUMNS: readonly RecordColumn[] = [
  column('provider_id', 'string', (r) => r.providerId, true),
  column('record_id', 'string', (r) => r.recordId, true),
  column('version', 'int', (r) => r.version),
  column('withdrawn', 'bool', (r) => r.action === 'withdraw'),
  column('provider_type', 'string', (r) => r.providerType),
  column('kind', 'string', (r) => r.kind),
  column('reference_date', 'string', (r) => r.referenceDate),
  column('date_precision', 'string', (r) => r.precision),
  column('period_start', 'date', (r) => r.periodStart),
  column('period_end', 'date', (r) => r.periodEnd),
  column('person_key', 'string', (r) => r.personKey),
  column('record_key', 'int', (r) => r.recordKey),
  ...CANONICAL_FIELDS.map((field) =>
    LIST_FIELDS.has(field)
      ? column(FIELD_COLUMNS[field], 'list', (r) => listValue(r, field))
      : column(FIELD_COLUMNS[field], 'string', (r) => scalarValue(r, field)),
  ),
  column('age_class', 'string', (r) => {
    // '' when the record has no age group (kinds without one, withdrawals); else the roll-up of the contract.
    const ageGroup = scalarValue(r, 'ageGroup');
    return ageGroup === '' ? '' : ageClassOf(ageGroup);
  }),
  column('mapping_version', 'int', (r) => r.mappingVersion),
  column('taxonomy_version', 'string', (r) => r.taxonomyVersion),
  column('received_at', 'int', (r) => r.receivedAt),
];

/** A flattened record: one value per column of `RECORD_COLUMNS`. */
export type RecordRow = Readonly<Record<string, ColumnValue>>;

/**
 * Flattens a normalized record into a row of `RECORD_COLUMNS`: lists become arrays without repeats, fields
 * absent from the record become '' (or []), and `age_class` is derived from the age group.
 */
export function toRow(record: NormalizedRecord): RecordRow {
  const row: Record<string, ColumnValue> = {};
  for (const { name, read } of RECORD_COLUMNS) row[name] = read(record);
  return row;
}
