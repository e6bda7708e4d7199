/**
 * The mapping engine: turns one submitted record's provider vocabulary into canonical field values, by the rules of
 * the provider's mapping (mapping/format.ts, rule resolution in rules.ts). Every canonical field that applies to the
 * record's kind is in the output — `UNK` (or `["UNK"]`) when unknown — list fields are sorted, deduplicated arrays in
 * which `UNK` never sits beside a real code, and every emitted code is checked against the taxonomy, so a mapping
 * can never put an invalid code on the records topic. Values the mapping does not map are flagged (`UNK` plus the
 * quality flag `unmapped:<field>`, and the raw value in `unmapped` for the provider's coverage report) or rejected,
 * by the mapping's policy. A source field the mapping does not name is an issue: nothing passes unseen.
 */
import type { FieldIssue } from '../errors.js';
import type { CanonicalValues, RawValue, SubmittedRecord } from '../records.js';
import { UNKNOWN, type RecordKind } from '../taxonomy/codes.js';
import { fieldValueProblem, isListField, type CanonicalField } from '../taxonomy/fields.js';
import { FREE_TEXT, type FieldRule, type MappingDocument, type UnmappedPolicy } from './format.js';
import { explicitRule, fieldsOfKind, implicitRules, knownSources, sourcesOf } from './rules.js';
import { applyTransform } from './transforms.js';

/** Source values that mean "true" for `flags` unless the rule says otherwise (compared case-insensitively). */
export const DEFAULT_TRUTHY: readonly string[] = ['1', 'true', 'yes', 'Y'];

/** Longest unmapped provider value reported: enough for a vocabulary code, too short for a narrative. */
export const MAX_UNMAPPED_VALUE_LENGTH = 64;

/** A provider value that the mapping does not map, for the coverage report (never for a topic or a table of counts). */
export interface UnmappedValue {
  /** The canonical field the value was meant for. */
  readonly field: CanonicalField;
  /** The provider's source field. */
  readonly source: string;
  /** The provider's value, truncated to 64 characters. */
  readonly value: string;
}

export interface MappingContext {
  /** The year of the record's reference date (for `birthYear`). */
  readonly referenceYear: number;
  /** The record's reference date (for `birthDate`'s exact age when it is a day). */
  readonly referenceDate?: string;
}

export interface MappingResult {
  /** Every canonical field applicable to the record's kind. */
  readonly fields: CanonicalValues;
  /** Sorted data-quality flags: `unmapped:<field>`, `defaulted:<field>`. */
  readonly quality: readonly string[];
  /** Problems that make the record unusable (unknown source field, unconvertible value, rejected value). */
  readonly issues: readonly FieldIssue[];
  readonly unmapped: readonly UnmappedValue[];
}

interface Accumulator {
  readonly record: SubmittedRecord;
  readonly mapping: MappingDocument;
  readonly context: MappingContext;
  readonly issues: FieldIssue[];
  readonly quality: Set<string>;
  readonly unmapped: UnmappedValue[];
}

/** Applies a (validated) mapping to a record's `fields`. Pure; the record's identity is not read. */
export function applyMapping(
  mapping: MappingDocument,
  record: SubmittedRecord,
  context: MappingContext,
): MappingResult {
  const acc: Accumulator = { record, mapping, context, issues: [], quality: new Set(), unmapped: [] };
  const { known, rules } = planOf(mapping, record.kind);
  for (const name of Object.keys(record.fields))
    if (!known.has(name))
      acc.issues.push({
        field: `fields.${shorten(name)}`,
        code: 'unknown-field',
        message: `fields.${shorten(name)} is not in this provider's mapping (map it, or list it under drop)`,
      });

  const fields: Record<string, string | readonly string[]> = {};
  for (const [field, rule] of rules) {
    const codes = rule === undefined ? evaluateImplicit(field, acc) : evaluate(field, rule, acc);
    fields[field] = finish(field, codes, acc);
  }
  return {
    fields,
    quality: [...acc.quality].sort(),
    issues: acc.issues,
    unmapped: acc.unmapped,
  };
}

/** What a mapping does for one kind: the source fields it knows and the rule of each applicable field. */
interface Plan {
  readonly known: ReadonlySet<string>;
  readonly rules: readonly (readonly [CanonicalField, FieldRule | undefined])[];
}

// Mappings are immutable once parsed and the normalizer applies one to many records: resolve the rules once.
const plans = new WeakMap<MappingDocument, Map<RecordKind, Plan>>();

function planOf(mapping: MappingDocument, kind: RecordKind): Plan {
  let byKind = plans.get(mapping);
  if (byKind === undefined) {
    byKind = new Map();
    plans.set(mapping, byKind);
  }
  let plan = byKind.get(kind);
  if (plan === undefined) {
    plan = {
      known: knownSources(mapping, kind),
      rules: fieldsOfKind(kind).map((field) => [field, explicitRule(mapping, kind, field)] as const),
    };
    byKind.set(kind, plan);
  }
  return plan;
}

function evaluateImplicit(field: CanonicalField, acc: Accumulator): readonly string[] {
  for (const rule of implicitRules(field))
    if (sourcesOf(rule).some((source) => isPresent(acc.record.fields[source])))
      return evaluate(field, rule, acc);
  return [UNKNOWN];
}

function evaluate(field: CanonicalField, rule: FieldRule, acc: Accumulator): readonly string[] {
  if (rule.const !== undefined) return toList(rule.const);
  if (rule.flags !== undefined) return evaluateFlags(field, rule, rule.flags, acc);
  const source = sourcesOf(rule).find((name) => isPresent(acc.record.fields[name]));
  if (source === undefined) return defaultOf(field, rule, acc);
  const items = itemsOf(acc.record.fields[source] ?? null, rule.split);
  if (!isListField(field) && items.length > 1) {
    issue(acc, source, 'invalid-field', `${field} takes one value, got a list of ${items.length}`);
    return [UNKNOWN];
  }
  const codes: string[] = [];
  for (const item of items) codes.push(...mapItem(field, rule, source, item, acc));
  return codes;
}

function mapItem(
  field: CanonicalField,
  rule: FieldRule,
  source: string,
  item: string,
  acc: Accumulator,
): readonly string[] {
  let value = item;
  if (rule.transform !== undefined) {
    const converted = applyTransform(rule.transform, value, acc.context);
    if ('problem' in converted) {
      issue(acc, source, 'invalid-field', converted.problem);
      return [];
    }
    value = converted.value;
  }
  const target = lookup(rule, value);
  if (target !== undefined) return toList(target);
  // Without a table every valid canonical code passes; so does the age group that the age transforms produce.
  const passthrough =
    rule.passthrough ??
    (rule.values === undefined ||
      rule.transform === 'age' ||
      rule.transform === 'birthYear' ||
      rule.transform === 'birthDate');
  if (passthrough && fieldValueProblem(field, value) === undefined) return [value];

  const policy: UnmappedPolicy = rule.unmapped ?? acc.mapping.unmapped ?? 'flag';
  const shown = item.slice(0, MAX_UNMAPPED_VALUE_LENGTH);
  if (policy === 'reject') {
    issue(acc, source, 'unmapped-value', `"${shorten(item, 32)}" is not mapped to a ${field} code`);
    return [];
  }
  acc.quality.add(`unmapped:${field}`);
  acc.unmapped.push({ field, source, value: policy === 'count' ? FREE_TEXT : shown });
  return [UNKNOWN];
}

function evaluateFlags(
  field: CanonicalField,
  rule: FieldRule,
  flags: Readonly<Record<string, string>>,
  acc: Accumulator,
): readonly string[] {
  const truthy = truthyOf(rule);
  const codes: string[] = [];
  let seen = false;
  for (const [source, code] of Object.entries(flags)) {
    const value = acc.record.fields[source];
    if (!isPresent(value)) continue;
    if (isList(value)) {
      issue(acc, source, 'invalid-field', 'a flag takes one value, got a list');
      continue;
    }
    seen = true;
    if (truthy.has(String(value).trim().toLowerCase())) codes.push(code);
  }
  // No flag given, or none set: the record says nothing about which codes apply.
  return seen && codes.length > 0 ? codes : defaultOf(field, rule, acc);
}

function defaultOf(field: CanonicalField, rule: FieldRule, acc: Accumulator): readonly string[] {
  if (rule.default === undefined) return [UNKNOWN];
  const codes = toList(rule.default);
  if (codes.some((code) => code !== UNKNOWN)) acc.quality.add(`defaulted:${field}`);
  return codes;
}

/** The canonical value of a field from the codes its rule produced: checked, deduplicated, `UNK` only alone. */
function finish(
  field: CanonicalField,
  codes: readonly string[],
  acc: Accumulator,
): string | readonly string[] {
  const valid = new Set<string>();
  for (const code of codes) {
    const problem = fieldValueProblem(field, code);
    if (problem === undefined) valid.add(code);
    else
      acc.issues.push({
        field,
        code: 'invalid-mapping',
        message: `${field}: the mapping produced an invalid code: ${problem}`,
      });
  }
  if (valid.size > 1) valid.delete(UNKNOWN);
  const sorted = [...valid].sort();
  if (isListField(field)) return sorted.length === 0 ? [UNKNOWN] : sorted;
  if (sorted.length > 1) {
    acc.issues.push({
      field,
      code: 'invalid-mapping',
      message: `${field}: the mapping produced several codes (${sorted.join(', ')}) for a single-valued field`,
    });
    return UNKNOWN;
  }
  return sorted[0] ?? UNKNOWN;
}

const truthySets = new WeakMap<FieldRule, ReadonlySet<string>>();

function truthyOf(rule: FieldRule): ReadonlySet<string> {
  let set = truthySets.get(rule);
  if (set === undefined) {
    set = new Set((rule.truthy ?? DEFAULT_TRUTHY).map((t) => t.trim().toLowerCase()));
    truthySets.set(rule, set);
  }
  return set;
}

const tables = new WeakMap<FieldRule, ReadonlyMap<string, string | readonly string[]>>();

/** The `values` target of a source value: keys compared trimmed, and lower-cased with `caseInsensitive`. */
function lookup(rule: FieldRule, value: string): string | readonly string[] | undefined {
  if (rule.values === undefined) return undefined;
  const fold = (s: string): string => (rule.caseInsensitive === true ? s.trim().toLowerCase() : s.trim());
  let table = tables.get(rule);
  if (table === undefined) {
    table = new Map(Object.entries(rule.values).map(([key, target]) => [fold(key), target]));
    tables.set(rule, table);
  }
  return table.get(fold(value));
}

/** A source value as trimmed, non-empty strings: a list as is, a string split on `split` when given. */
function itemsOf(value: RawValue, split: string | undefined): readonly string[] {
  const items = isList(value)
    ? value
    : typeof value === 'string' && split !== undefined
      ? value.split(split)
      : [String(value)];
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Absent, null, blank and empty lists all mean "not given". */
const isPresent = (value: RawValue | undefined): boolean =>
  value !== undefined &&
  value !== null &&
  !(typeof value === 'string' && value.trim() === '') &&
  !(isList(value) && value.every((item) => item.trim() === ''));

const isList = (value: RawValue | undefined): value is readonly string[] => Array.isArray(value);

const toList = (value: string | readonly string[]): readonly string[] =>
  typeof value === 'string' ? [value] : value;

const shorten = (s: string, max = 64): string => (s.length > max ? `${s.slice(0, max)}…` : s);

function issue(acc: Accumulator, source: string, code: FieldIssue['code'], problem: string): void {
  const field = `fields.${shorten(source)}`;
  acc.issues.push({ field, code, message: `${field}: ${problem}` });
}
