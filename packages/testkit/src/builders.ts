/**
 * Builders for test data: a complete, valid `NormalizedRecord` from a few overrides, so a test states only what it
 * is about. Defaults: provider `prov-a` (POLICE), record `r1` version 1, an upsert of a victim dated `2026-03-14`,
 * every field that applies to the kind `UNK` (`[UNK]` for lists) except a victim's status, which is `IDENTIFIED`
 * (a registered victim). The period and person key follow from the other values unless given.
 */
import {
  CANONICAL_FIELDS,
  FIELDS,
  TAXONOMY_VERSION,
  isListField,
  type CanonicalValues,
  type DatePrecision,
  type NormalizedRecord,
  type RecordKind,
} from '@mosy/core';

/** Anything of a record may be overridden; `fields` are merged over the kind's defaults. */
export type NormalizedRecordOverrides = Partial<Omit<NormalizedRecord, 'fields'>> & {
  readonly fields?: CanonicalValues;
};

/** The precision and first and last day of a reference date `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
export function periodOf(referenceDate: string): {
  precision: DatePrecision;
  periodStart: string;
  periodEnd: string;
} {
  const [year, month, day] = referenceDate.split('-');
  if (year === undefined || !/^\d{4}$/.test(year)) throw new Error(`bad reference date ${referenceDate}`);
  if (month === undefined)
    return { precision: 'year', periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` };
  if (day === undefined) {
    const last = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
    return { precision: 'month', periodStart: `${year}-${month}-01`, periodEnd: `${year}-${month}-${last}` };
  }
  return { precision: 'day', periodStart: referenceDate, periodEnd: referenceDate };
}

/** Every field that applies to `kind`, unknown; a victim is IDENTIFIED. */
export function defaultFields(kind: RecordKind): CanonicalValues {
  const fields: Record<string, string | readonly string[]> = {};
  for (const field of CANONICAL_FIELDS) {
    if (FIELDS[field].kinds.includes(kind)) fields[field] = isListField(field) ? ['UNK'] : 'UNK';
  }
  if (kind === 'victim') fields.status = 'IDENTIFIED';
  return fields;
}

/** A stable uint32 from a string (FNV-1a), standing in for the record's cell key. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A valid normalized record with `overrides` applied. */
export function buildNormalizedRecord(overrides: NormalizedRecordOverrides = {}): NormalizedRecord {
  const providerId = overrides.providerId ?? 'prov-a';
  const recordId = overrides.recordId ?? 'r1';
  const kind = overrides.kind ?? 'victim';
  const action = overrides.action ?? 'upsert';
  const referenceDate = overrides.referenceDate ?? '2026-03-14';
  const period = periodOf(referenceDate);
  const baseFields = action === 'withdraw' ? {} : defaultFields(kind);
  return {
    providerType: 'POLICE',
    version: 1,
    personKey: `r:${providerId}/${recordId}`,
    recordKey: hash32(`${providerId}/${recordId}`),
    quality: [],
    mappingVersion: 1,
    taxonomyVersion: TAXONOMY_VERSION,
    receivedAt: Date.UTC(2026, 3, 1),
    ...period,
    ...overrides,
    providerId,
    recordId,
    kind,
    action,
    referenceDate,
    fields: { ...baseFields, ...overrides.fields },
  };
}
