/**
 * The mapping document: how one provider's field names and values become MoSy's canonical fields. Declarative,
 * JSON (or YAML that parses to the same), versioned by the registry. Documented with examples in
 * `docs/mappings.md`; validated by `parseMapping`.
 *
 * Every source field a provider sends must be named: mapped in `fields`, or listed in `drop` (free text and
 * anything else that must not travel). A field in neither is rejected as unknown, so a typo or a new column never
 * slips through silently, and free text never leaves the normalizer.
 */
import type { CanonicalField } from '../taxonomy/fields.js';
import type { RecordKind } from '../taxonomy/codes.js';

export const MAPPING_FORMAT = 'mosy-mapping/1';

/**
 * What happens to a source value that the mapping does not map: `flag` keeps it (cut to a code's length) for the
 * coverage report, `count` flags it the same way but keeps only {@link FREE_TEXT} in its place (for free-text
 * inputs, where the value may be a person's address or name), `reject` refuses the record.
 */
export type UnmappedPolicy = 'flag' | 'count' | 'reject';

/** What an unmapped value of a `count` rule is recorded as. */
export const FREE_TEXT = '(free text)';

/** How one canonical field is derived. Exactly one of `from`, `flags` or `const` is set. */
export interface FieldRule {
  /** Source field name(s); the first one present and non-empty is used. */
  readonly from?: string | readonly string[];
  /** Source value → canonical code(s). Keys are compared after trimming; `caseInsensitive` lowers both. */
  readonly values?: Readonly<Record<string, string | readonly string[]>>;
  readonly caseInsensitive?: boolean;
  /** Accept values that already are valid canonical codes. @defaultValue true when `values` is absent */
  readonly passthrough?: boolean;
  /** Split a string source value into a list on this separator (list fields). */
  readonly split?: string;
  /**
   * A built-in conversion applied to the source value before `values`:
   * `age` (integer age → age group), `birthYear` (year of birth → age group at the reference date), `birthDate`
   * (date of birth, counted by its year as `birthYear`),
   * `upper` (upper-case), `isoToNuts` (ISO country → NUTS country code, e.g. GR → EL).
   */
  readonly transform?: 'age' | 'birthYear' | 'birthDate' | 'upper' | 'isoToNuts';
  /** Flags: source field → code; the list holds the codes whose flag is true. */
  readonly flags?: Readonly<Record<string, string>>;
  /** Source values that mean "true" for `flags`. @defaultValue ["1", "true", "yes", "Y"] */
  readonly truthy?: readonly string[];
  /** A fixed canonical value. */
  readonly const?: string | readonly string[];
  /** Used when the source is absent or empty. @defaultValue "UNK" */
  readonly default?: string | readonly string[];
  /** Overrides the document's policy for this field. */
  readonly unmapped?: UnmappedPolicy;
}

export interface MappingDocument {
  readonly format: typeof MAPPING_FORMAT;
  /** Free text for people: what system this maps from. */
  readonly description?: string;
  /** @defaultValue "flag" */
  readonly unmapped?: UnmappedPolicy;
  /** Rules per canonical field; fields with no rule and no source become `UNK`. */
  readonly fields: { readonly [F in CanonicalField]?: FieldRule };
  /** Per-kind overrides of `fields` (e.g. a different status rule for one kind). */
  readonly kinds?: { readonly [K in RecordKind]?: { readonly [F in CanonicalField]?: FieldRule } };
  /** Source fields that are accepted and dropped (free text, internal notes). */
  readonly drop?: readonly string[];
}
