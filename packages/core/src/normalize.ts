/**
 * The normalizer step as one pure function: from a submission message (a record as ingest accepted and mapped it)
 * to a normalized record — reference period, the canonical fields and quality flags ingest's mapping gave, person
 * key and cell record key from the deployment secret, taxonomy version — or to a dead letter saying why not.
 * Identity never reaches the output: the record holds canonical codes and keyed hashes only, and a dead letter
 * names fields and error codes, never values. A withdrawal keeps no fields, only its keys. A message written before
 * ingest mapped (`mosy.submission` v1, v2: the provider's own fields) is mapped here, by the same `mapRecord`.
 */
import { MosyError, toMosyError, type FieldIssue } from './errors.js';
import type { MappingDocument } from './mapping/format.js';
import { mapRecord, type RecordMapping } from './mapping/map-record.js';
import { cellRecordKey, personKeyOf, type PseudonymSecret } from './pseudonym/keys.js';
import {
  isMappedRecord,
  type DeadLetter,
  type MappedFields,
  type NormalizedRecord,
  type SubmissionMessage,
} from './records.js';
import { TAXONOMY_VERSION } from './taxonomy/codes.js';
import { parseReferenceDate, type ReferenceDate } from './time/reference-date.js';

export interface NormalizeOptions {
  /** When the record failed, for dead letters (epoch ms). @defaultValue Date.now() */
  readonly now?: number;
  /**
   * The provider's mapping at the message's `mappingVersion`: needed only for a record ingest did not map (written
   * before `mosy.submission` v3), and not read otherwise.
   */
  readonly mapping?: MappingDocument;
}

/** Longest dead-letter reason kept. */
const MAX_REASON_LENGTH = 1000;

/**
 * Normalizes one submission message. Never throws for bad data: a record that cannot be normalized comes back as a
 * dead letter.
 * @throws MosyError `internal` when the secret is shorter than 32 bytes, or when a record ingest did not map comes
 * without `options.mapping` (errors of the deployment or the caller, not of the record).
 */
export function normalize(
  message: SubmissionMessage,
  secret: PseudonymSecret,
  options: NormalizeOptions = {},
): { readonly record: NormalizedRecord } | { readonly deadLetter: DeadLetter } {
  const { providerId, record } = message;
  const ref = { secret, providerId, recordId: record.recordId };
  // Keys first: a bad secret is the deployment's fault, not the record's, so it must throw rather than dead-letter.
  const recordKey = cellRecordKey(ref);
  // Decoders may hand over an absent optional field as null.
  const identity = record.identity ?? undefined;
  const personKey = personKeyOf(identity === undefined ? ref : { ...ref, identity });

  const fail = (code: string, issues: readonly FieldIssue[]): { deadLetter: DeadLetter } => ({
    deadLetter: {
      stage: 'normalizer',
      providerId,
      recordId: record.recordId,
      version: record.version,
      code,
      // Paths and codes only: an issue's message may quote the provider's value, which must not travel further.
      reason: issues
        .map((issue) => `${issue.field}: ${issue.code}`)
        .join('; ')
        .slice(0, MAX_REASON_LENGTH),
      receivedAt: message.receivedAt,
      failedAt: options.now ?? Date.now(),
    },
  });

  let period: ReferenceDate;
  try {
    period = parseReferenceDate(record.referenceDate);
  } catch (error) {
    const mosyError = toMosyError(error, 'invalid-field');
    return fail(mosyError.code, mosyError.issues);
  }

  let mapped: MappedFields;
  if (isMappedRecord(record)) {
    mapped = record.mapped;
  } else {
    if (options.mapping === undefined) {
      throw new MosyError(
        'internal',
        `Record ${record.recordId} of provider ${providerId} was not mapped by ingest: normalize needs its mapping.`,
      );
    }
    let outcome: RecordMapping;
    try {
      outcome = mapRecord(options.mapping, record);
    } catch {
      // Only a mapping that bypassed parseMapping can make the engine throw; retrying would not help.
      return fail('invalid-mapping', [
        { field: '(mapping)', code: 'invalid-mapping', message: 'unusable mapping' },
      ]);
    }
    if ('issues' in outcome) return fail(outcome.issues[0].code, outcome.issues);
    mapped = outcome.record.mapped;
  }

  return {
    record: {
      providerId,
      providerType: message.providerType,
      recordId: record.recordId,
      version: record.version,
      action: record.action,
      kind: record.kind,
      referenceDate: record.referenceDate,
      ...period,
      personKey,
      recordKey,
      fields: mapped.fields,
      quality: mapped.quality,
      mappingVersion: message.mappingVersion,
      taxonomyVersion: TAXONOMY_VERSION,
      receivedAt: message.receivedAt,
    },
  };
}
