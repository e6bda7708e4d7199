/**
 * Which rule derives each canonical field for a record kind, and which source fields a mapping expects. A
 * per-kind rule (`kinds.<kind>.<field>`) replaces the document's rule for that field. A field with no rule at all
 * reads the source field of its own canonical name, passing valid canonical codes through; for `ageGroup` that
 * means `ageGroup`, else `age`, else `birthYear` (contract §2). A provider that already sends canonical codes
 * therefore needs a mapping with no rules.
 */
import type { RecordKind } from '../taxonomy/codes.js';
import { CANONICAL_FIELDS, fieldAppliesTo, type CanonicalField } from '../taxonomy/fields.js';
import type { FieldRule, MappingDocument } from './format.js';

const IMPLICIT: ReadonlyMap<CanonicalField, readonly FieldRule[]> = new Map(
  CANONICAL_FIELDS.map((field) => [
    field,
    field === 'ageGroup'
      ? [
          { from: 'ageGroup' },
          { from: 'age', transform: 'age' },
          { from: 'birthYear', transform: 'birthYear' },
        ]
      : [{ from: field }],
  ]),
);

/** Rules tried in turn for a field without a rule: the first whose source is present is used. */
export const implicitRules = (field: CanonicalField): readonly FieldRule[] => IMPLICIT.get(field) ?? [];

/** The explicit rule for a field and kind, per-kind override first; undefined when the field has no rule. */
export const explicitRule = (
  mapping: MappingDocument,
  kind: RecordKind,
  field: CanonicalField,
): FieldRule | undefined => mapping.kinds?.[kind]?.[field] ?? mapping.fields[field];

/** The canonical fields that apply to a kind, in taxonomy order. */
export const fieldsOfKind = (kind: RecordKind): readonly CanonicalField[] =>
  CANONICAL_FIELDS.filter((field) => fieldAppliesTo(field, kind));

/** The source fields a rule reads. */
export function sourcesOf(rule: FieldRule): readonly string[] {
  if (rule.from !== undefined) return typeof rule.from === 'string' ? [rule.from] : rule.from;
  if (rule.flags !== undefined) return Object.keys(rule.flags);
  return [];
}

/** Every explicit rule of a mapping, with the field and the kind it is scoped to (undefined: all kinds). */
export function allRules(
  mapping: MappingDocument,
): readonly { readonly field: CanonicalField; readonly kind?: RecordKind; readonly rule: FieldRule }[] {
  const out: { field: CanonicalField; kind?: RecordKind; rule: FieldRule }[] = [];
  for (const field of CANONICAL_FIELDS) {
    const rule = mapping.fields[field];
    if (rule !== undefined) out.push({ field, rule });
  }
  for (const [kind, rules] of Object.entries(mapping.kinds ?? {}) as [
    RecordKind,
    MappingDocument['fields'],
  ][])
    for (const field of CANONICAL_FIELDS) {
      const rule = rules[field];
      if (rule !== undefined) out.push({ field, kind, rule });
    }
  return out;
}

/**
 * The source fields a record of `kind` may carry under this mapping: those read by any explicit rule, the `drop`
 * list, and the canonical names read by the implicit rules of this kind's fields that have no rule. Anything else is
 * an unknown field.
 */
export function knownSources(mapping: MappingDocument, kind: RecordKind): ReadonlySet<string> {
  const known = new Set<string>(mapping.drop ?? []);
  for (const { rule } of allRules(mapping)) for (const source of sourcesOf(rule)) known.add(source);
  for (const field of fieldsOfKind(kind))
    if (explicitRule(mapping, kind, field) === undefined)
      for (const rule of implicitRules(field)) for (const source of sourcesOf(rule)) known.add(source);
  return known;
}
