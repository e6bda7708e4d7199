/**
 * The records that flow through MoSy, stage by stage: what a provider submits, what the ingest service puts on the
 * submissions topic (the record mapped, with its identity), what the normalizer emits (no identity, no free text,
 * canonical codes only) and what goes to the dead-letter topic. These shapes mirror the Avro schemas in `schemas/`;
 * a test keeps the two in step.
 */
import type { CanonicalField } from './taxonomy/fields.js';
import type { ProviderType, RecordKind } from './taxonomy/codes.js';

export type RecordAction = 'upsert' | 'withdraw';

/** A value in a provider's own vocabulary, before mapping. */
export type RawValue = string | number | boolean | null | readonly string[];

/** One record as a provider submits it (contract §3), after envelope validation. */
export interface SubmittedRecord {
  readonly recordId: string;
  readonly version: number;
  readonly action: RecordAction;
  readonly kind: RecordKind;
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
  readonly referenceDate: string;
  /** Provider vocabulary (or canonical codes), mapped by the provider's mapping. */
  readonly fields: Readonly<Record<string, RawValue>>;
  /** Personal identifiers, used only to derive the pseudonym in the normalizer, then dropped. */
  readonly identity?: Readonly<Record<string, string>>;
}

/** What the provider's mapping made of one record's `fields`. */
export interface MappedFields {
  /** Every canonical field that applies to the kind, `UNK` (or `[UNK]`) where unknown. Empty for a withdrawal. */
  readonly fields: CanonicalValues;
  /** Sorted data-quality flags, e.g. `unmapped:sex`, `defaulted:status`. */
  readonly quality: readonly string[];
}

/**
 * A record as ingest accepted it: the envelope and identity as submitted, and the mapping's output in place of the
 * provider's fields, which go no further than ingest.
 */
export interface MappedRecord extends Omit<SubmittedRecord, 'fields'> {
  readonly mapped: MappedFields;
}

/**
 * What ingest puts on the submissions topic: the record plus who sent it and when. Keyed by `recordKeyOf`. Ingest
 * writes a `MappedRecord`; a message written before `mosy.submission` v3 holds the provider's `SubmittedRecord`,
 * which the normalizer maps itself with `mappingVersion`.
 */
export interface SubmissionMessage {
  readonly submissionId: string;
  readonly providerId: string;
  readonly providerType: ProviderType;
  /** The provider's mapping version in force when the record was accepted. */
  readonly mappingVersion: number;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
  readonly record: MappedRecord | SubmittedRecord;
}

/** Whether ingest mapped the record, as it does for every record it writes since `mosy.submission` v3. */
export const isMappedRecord = (record: MappedRecord | SubmittedRecord): record is MappedRecord =>
  'mapped' in record;

export type DatePrecision = 'day' | 'month' | 'year';

/** Canonical field values: a code, or a list of codes for list fields. */
export type CanonicalValues = { readonly [F in CanonicalField]?: string | readonly string[] };

/** A record after the normalizer: canonical codes, a pseudonymous person key, nothing personal. */
export interface NormalizedRecord {
  readonly providerId: string;
  readonly providerType: ProviderType;
  readonly recordId: string;
  readonly version: number;
  readonly action: RecordAction;
  readonly kind: RecordKind;
  readonly referenceDate: string;
  readonly precision: DatePrecision;
  /** First and last day (inclusive, `YYYY-MM-DD`) of the period `referenceDate` names. */
  readonly periodStart: string;
  readonly periodEnd: string;
  /**
   * Whom the record counts as: `p:` + keyed pseudonym of the identity when one was given, else `r:` + a keyed hash
   * of (provider, recordId). Equal keys are the same person.
   */
  readonly personKey: string;
  /** The record's key for the cell key method (disclosure control): uniform in [0, 2^32), stable per record. */
  readonly recordKey: number;
  /** Every field that applies to the kind, `UNK` (or `[UNK]`) where unknown. Empty for a withdrawal. */
  readonly fields: CanonicalValues;
  /** Data-quality flags, e.g. `unmapped:sex`, `defaulted:status`. */
  readonly quality: readonly string[];
  readonly mappingVersion: number;
  readonly taxonomyVersion: string;
  readonly receivedAt: number;
}

/** Where a record that could not be processed goes, with the reason. Never carries identity or raw values. */
export interface DeadLetter {
  readonly stage: 'ingest' | 'normalizer' | 'aggregator';
  readonly providerId: string;
  readonly recordId: string;
  readonly version: number;
  readonly code: string;
  readonly reason: string;
  readonly receivedAt: number;
  readonly failedAt: number;
}

/** The bus key of a record: all versions of one record share it, so they stay ordered. */
export const recordKeyOf = (providerId: string, recordId: string): string => `${providerId}/${recordId}`;
