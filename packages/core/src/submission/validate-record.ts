/**
 * Validation of one submitted record's envelope (contract §3), before any mapping: the record's id, version,
 * action, kind and reference date, the shape of `fields` (provider vocabulary, not yet checked against the
 * mapping) and of `identity`. Each problem becomes a field-level issue the provider can act on; a record is
 * returned only when it has none. Identity values are never quoted in a message, since receipts are stored.
 */
import type { FieldIssue, MosyErrorCode } from '../errors.js';
import type { RawValue, RecordAction, SubmittedRecord } from '../records.js';
import { RECORD_KINDS, isCode, type RecordKind } from '../taxonomy/codes.js';
import { normalizeDateOfBirth } from '../pseudonym/identity.js';
import { parseReferenceDate, referenceDateProblem } from '../time/reference-date.js';

/** Longest record id accepted, in characters. */
export const MAX_RECORD_ID_LENGTH = 128;

const ENVELOPE = new Set(['recordId', 'version', 'action', 'kind', 'referenceDate', 'fields', 'identity']);
const PROVIDER_PROPERTIES = ['providerId', 'provider'];
const ACTIONS: readonly RecordAction[] = ['upsert', 'withdraw'];
// Control, format, surrogate, private-use and unassigned code points: nothing a person can read or type back.
const NOT_PRINTABLE = /\p{C}/u;

/** The outcome of validating one record: the record when valid, and every issue found. */
export interface RecordValidation {
  readonly record?: SubmittedRecord;
  readonly issues: FieldIssue[];
}

/**
 * Validates one element of a submission's `records` array.
 * @param input The element as parsed from JSON (or built from a CSV row).
 * @param index Its position in the submission; names the record in messages when it is not even an object.
 * @param providerId The authenticated provider: a record naming any other provider is refused (`provider-mismatch`).
 * @param latestDay The last day (`YYYY-MM-DD`) a reference date or date of birth may name (`latestAcceptedDay`): a
 *   date after it lies in the future, which no case can, and is refused rather than counted in a period to come.
 */
export function validateSubmittedRecord(
  input: unknown,
  index: number,
  providerId: string,
  latestDay: string,
): RecordValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const message = `records[${index}] must be an object with recordId, version, action, kind, referenceDate and fields, got ${describe(input)}`;
    return { issues: [{ field: `records[${index}]`, code: 'invalid-request', message }] };
  }
  const raw = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const issue = (field: string, message: string, code: MosyErrorCode = 'invalid-field'): void => {
    issues.push({ field, code, message: `${field}: ${message}` });
  };

  for (const key of Object.keys(raw)) {
    if (ENVELOPE.has(key)) continue;
    if (PROVIDER_PROPERTIES.includes(key)) {
      if (raw[key] !== providerId)
        issue(
          key,
          `the record names another provider than the key's owner (${providerId})`,
          'provider-mismatch',
        );
      continue;
    }
    issue(
      key,
      `${shorten(key)} is not a record property (recordId, version, action, kind, referenceDate, fields, identity)`,
      'unknown-field',
    );
  }

  const { recordId, version, action, kind, referenceDate, fields, identity } = raw;
  if (typeof recordId !== 'string') issue('recordId', `must be a string, got ${describe(recordId)}`);
  else if (recordId.trim() === '') issue('recordId', 'must not be empty');
  else if ([...recordId].length > MAX_RECORD_ID_LENGTH)
    issue('recordId', `must be at most ${MAX_RECORD_ID_LENGTH} characters, got ${[...recordId].length}`);
  else if (NOT_PRINTABLE.test(recordId)) issue('recordId', 'must contain printable characters only');

  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    issue('version', `must be a positive integer, got ${describe(version)}`);

  if (action === undefined) issue('action', 'is required (upsert or withdraw)');
  else if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action))
    issue('action', `must be upsert or withdraw, got ${describe(action)}`);

  if (kind === undefined) issue('kind', `is required (${Object.keys(RECORD_KINDS).join(', ')})`);
  else if (typeof kind !== 'string' || !isCode(RECORD_KINDS, kind))
    issue('kind', `must be one of ${Object.keys(RECORD_KINDS).join(', ')}, got ${describe(kind)}`);

  const dateProblem = referenceDate === undefined ? 'is required' : referenceDateProblem(referenceDate);
  if (dateProblem !== undefined) issue('referenceDate', dateProblem);
  else if (parseReferenceDate(referenceDate as string).periodStart > latestDay)
    issue(
      'referenceDate',
      `${referenceDate as string} lies in the future (the latest accepted day is ${latestDay})`,
    );

  // A withdrawal carries no data, so its fields may be left out.
  const fieldValues = fields === undefined && action === 'withdraw' ? {} : checkFields(fields, issue);
  const identityValues = identity === undefined ? undefined : checkIdentity(identity, issue, latestDay);

  if (issues.length > 0) return { issues };
  const record: SubmittedRecord = {
    recordId: recordId as string,
    version: version as number,
    action: action as RecordAction,
    kind: kind as RecordKind,
    referenceDate: referenceDate as string,
    fields: fieldValues ?? {},
    ...(identityValues === undefined ? {} : { identity: identityValues }),
  };
  return { record, issues };
}

type Report = (field: string, message: string) => void;

function checkFields(fields: unknown, issue: Report): Record<string, RawValue> | undefined {
  if (!isPlainObject(fields)) {
    issue('fields', `must be an object of field name → value, got ${describe(fields)}`);
    return undefined;
  }
  for (const [name, value] of Object.entries(fields)) {
    const path = `fields.${shorten(name)}`;
    if (name.trim() === '') issue('fields', 'a field name must not be empty');
    else if (Array.isArray(value)) {
      if (!value.every((item) => typeof item === 'string')) issue(path, 'a list must hold strings only');
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) issue(path, 'must be a finite number');
    } else if (value !== null && typeof value !== 'string' && typeof value !== 'boolean') {
      issue(path, `must be a string, number, boolean, null or a list of strings, got ${describe(value)}`);
    }
  }
  return fields as Record<string, RawValue>;
}

function checkIdentity(
  identity: unknown,
  issue: Report,
  latestDay: string,
): Record<string, string> | undefined {
  if (!isPlainObject(identity)) {
    issue('identity', `must be an object of strings, got ${typeName(identity)}`);
    return undefined;
  }
  for (const [name, value] of Object.entries(identity)) {
    // The value itself is personal data: say what is wrong with it, never what it is.
    if (typeof value !== 'string')
      issue(`identity.${shorten(name)}`, `must be a string, got ${typeName(value)}`);
  }
  const { dateOfBirth } = identity;
  const born = typeof dateOfBirth === 'string' ? normalizeDateOfBirth(dateOfBirth) : undefined;
  if (born !== undefined && born > latestDay)
    issue('identity.dateOfBirth', `lies in the future (the latest accepted day is ${latestDay})`);
  return identity as Record<string, string>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const shorten = (s: string, max = 64): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/** A value's type for messages, without its content. */
function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A value for messages: its type, and its content when a short string or number (never used for identity). */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the string "${shorten(value, 32)}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeName(value);
}
