/**
 * The normalizer step as one pure function: from a submission message (a provider's record as ingest accepted it)
 * to a normalized record — reference period, canonical fields by the provider's mapping, person key and cell
 * record key from the deployment secret, taxonomy version — or to a dead letter saying why not. Identity, dropped
 * fields and unmapped source values never reach the output: the record holds canonical codes and keyed hashes only,
 * and a dead letter names fields and error codes, never values. A withdrawal keeps no fields, only its keys.
 */
import { toMosyError, type FieldIssue } from './errors.js';
import { applyMapping, type UnmappedValue } from './mapping/apply.js';
import type { MappingDocument } from './mapping/format.js';
import { cellRecordKey, personKeyOf, type PseudonymSecret } from './pseudonym/keys.js';
import type { DeadLetter, NormalizedRecord, SubmissionMessage } from './records.js';
import { TAXONOMY_VERSION } from './taxonomy/codes.js';
import { parseReferenceDate, type ReferenceDate } from './time/reference-date.js';

/** A normalized record, and the unmapped provider values for the coverage report (never published on a topic). */
export interface Normalized {
  readonly record: NormalizedRecord;
  readonly unmapped: readonly UnmappedValue[];
}

export interface NormalizeOptions {
  /** When the record failed, for dead letters (epoch ms). @defaultValue Date.now() */
  readonly now?: number;
}

/** Longest dead-letter reason kept. */
const MAX_REASON_LENGTH = 1000;

/**
 * Normalizes one submission message with the provider's mapping (the version the record was accepted under).
 * Never throws for bad data: a record that cannot be normalized comes back as a dead letter.
 * @throws MosyError `internal` when the secret is shorter than 32 bytes (a configuration error).
 */
export function normalize(
  message: SubmissionMessage,
  mapping: MappingDocument,
  secret: PseudonymSecret,
  options: NormalizeOptions = {},
): Normalized | { readonly deadLetter: DeadLetter } {
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

  let fields: NormalizedRecord['fields'] = {};
  let quality: readonly string[] = [];
  let unmapped: readonly UnmappedValue[] = [];
  if (record.action === 'upsert') {
    let mapped;
    try {
      mapped = applyMapping(mapping, record, { referenceYear: Number(record.referenceDate.slice(0, 4)) });
    } catch {
      // Only a mapping that bypassed parseMapping can make the engine throw; retrying would not help.
      return fail('invalid-mapping', [
        { field: '(mapping)', code: 'invalid-mapping', message: 'unusable mapping' },
      ]);
    }
    const [first] = mapped.issues;
    if (first !== undefined) return fail(first.code, mapped.issues);
    ({ fields, quality, unmapped } = mapped);
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
      fields,
      quality,
      mappingVersion: message.mappingVersion,
      taxonomyVersion: TAXONOMY_VERSION,
      receivedAt: message.receivedAt,
    },
    unmapped,
  };
}
