/**
 * Mapping one accepted record: the step ingest takes once per record, for the receipt and for the submissions
 * topic, and the normalizer takes only for a message written before ingest mapped (`mosy.submission` v1, v2). One
 * function so that both give the same canonical fields and flags, with ages counted to the same reference year.
 */
import type { FieldIssue } from '../errors.js';
import type { MappedRecord, SubmittedRecord } from '../records.js';
import { applyMapping, type UnmappedValue } from './apply.js';
import type { MappingDocument } from './format.js';

/** The record mapped, with the values the mapping does not map (for the coverage report), or why it cannot be. */
export type RecordMapping =
  | { readonly record: MappedRecord; readonly unmapped: readonly UnmappedValue[] }
  | { readonly issues: readonly [FieldIssue, ...FieldIssue[]] };

/**
 * Maps a valid submitted record's `fields` by the provider's mapping; the envelope and identity are kept as they
 * are. A withdrawal keeps no fields and is not mapped. Pure, like `applyMapping`, and throws only as it does (on a
 * mapping that bypassed `parseMapping`).
 */
export function mapRecord(mapping: MappingDocument, record: SubmittedRecord): RecordMapping {
  const { fields: _provided, ...envelope } = record;
  if (record.action === 'withdraw')
    return { record: { ...envelope, mapped: { fields: {}, quality: [] } }, unmapped: [] };
  // `birthYear` counts ages to the record's reference year: the first four characters of any precision.
  const result = applyMapping(mapping, record, {
    referenceYear: Number(record.referenceDate.slice(0, 4)),
    referenceDate: record.referenceDate,
  });
  const [first, ...more] = result.issues;
  if (first !== undefined) return { issues: [first, ...more] };
  return {
    record: { ...envelope, mapped: { fields: result.fields, quality: result.quality } },
    unmapped: result.unmapped,
  };
}
