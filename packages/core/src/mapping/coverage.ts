/**
 * What a mapping covers, for the admin API and the provider's onboarding page: which canonical fields have a rule
 * (and for which kinds, from which source fields), which fall back to a source field of their canonical name, and
 * the full list of source fields the provider is expected to send or may send to be dropped.
 */
import { RECORD_KINDS, type RecordKind } from '../taxonomy/codes.js';
import { CANONICAL_FIELDS, FIELDS, type CanonicalField } from '../taxonomy/fields.js';
import type { MappingDocument } from './format.js';
import { allRules, explicitRule, implicitRules, sourcesOf } from './rules.js';

/** How a canonical field is derived for the kinds listed. */
export interface FieldCoverage {
  readonly field: CanonicalField;
  /** `from`, `flags`, `const`; `implicit` when no rule names the field and it is read from its canonical name. */
  readonly via: 'from' | 'flags' | 'const' | 'implicit';
  /** The record kinds this derivation applies to (only kinds the field applies to). */
  readonly kinds: readonly RecordKind[];
  /** The source fields read, in order of preference. */
  readonly sources: readonly string[];
}

export interface MappingCoverage {
  /** One entry per (field, derivation), in taxonomy order. */
  readonly fields: readonly FieldCoverage[];
  /** Canonical fields with an explicit rule for at least one kind they apply to. */
  readonly covered: readonly CanonicalField[];
  /** Every source field read by an explicit rule, sorted. */
  readonly sourceFields: readonly string[];
  /** Source fields accepted and dropped, sorted. */
  readonly dropped: readonly string[];
}

/** Summarises what a (validated) mapping covers. */
export function mappingCoverage(mapping: MappingDocument): MappingCoverage {
  const fields: FieldCoverage[] = [];
  const covered: CanonicalField[] = [];
  for (const field of CANONICAL_FIELDS) {
    // Group the kinds this field applies to by the rule that derives it, keeping the first-seen order.
    const groups = new Map<
      string,
      { via: FieldCoverage['via']; kinds: RecordKind[]; sources: readonly string[] }
    >();
    for (const kind of Object.keys(RECORD_KINDS) as RecordKind[]) {
      if (!FIELDS[field].kinds.includes(kind)) continue;
      const rule = explicitRule(mapping, kind, field);
      const via: FieldCoverage['via'] =
        rule === undefined
          ? 'implicit'
          : rule.const !== undefined
            ? 'const'
            : rule.flags !== undefined
              ? 'flags'
              : 'from';
      const sources = rule === undefined ? implicitRules(field).flatMap(sourcesOf) : sourcesOf(rule);
      const key = `${via}|${sources.join(',')}`;
      const group = groups.get(key) ?? { via, kinds: [], sources };
      group.kinds.push(kind);
      groups.set(key, group);
    }
    for (const group of groups.values()) fields.push({ field, ...group });
    if ([...groups.values()].some((g) => g.via !== 'implicit')) covered.push(field);
  }
  const sourceFields = new Set(allRules(mapping).flatMap(({ rule }) => sourcesOf(rule)));
  return {
    fields,
    covered,
    sourceFields: [...sourceFields].sort(),
    dropped: [...new Set(mapping.drop ?? [])].sort(),
  };
}
