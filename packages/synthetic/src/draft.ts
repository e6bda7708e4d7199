/**
 * The draft of one record version: what a provider knows about the case, in canonical codes, before the provider's
 * encoder writes it in its own vocabulary. The encoder returns the canonical values its encoding really conveys
 * (an unmapped value conveys `UNK`, a band-only age conveys `child`), which become the truth; `completeFields`
 * then fills every other field of the kind with `UNK`, as the normalizer does.
 */
import {
  CANONICAL_FIELDS,
  UNKNOWN,
  fieldAppliesTo,
  isListField,
  type CanonicalValues,
  type RawValue,
  type RecordKind,
} from '@mosy/core';

export type Precision = 'day' | 'month' | 'year';

/** What a provider knows about one record; absent means "the provider does not say". */
export interface Draft {
  readonly kind: RecordKind;
  /** The day the record is about (identification, charge, judgement). */
  readonly day: number;
  readonly precision: Precision;
  /** Age in whole years on `day`. */
  readonly age?: number;
  readonly birthYear?: number;
  readonly sex?: string;
  readonly citizenship?: readonly string[];
  readonly exploitation?: readonly string[];
  readonly status?: string;
  readonly regionOfIdentification?: string;
  readonly regionOfExploitation?: string;
  readonly countryOfRecruitment?: string;
  readonly assistance?: string;
  readonly reflectionPeriod?: string;
  readonly residencePermit?: string;
  readonly meansOfControl?: readonly string[];
  readonly recruiterRelationship?: readonly string[];
  readonly labourSector?: string;
  readonly organisedCrime?: string;
  readonly outcome?: string;
  /** Free text the provider keeps with the record (dropped by the mapping). */
  readonly notes?: string;
}

/** A record version in the provider's vocabulary, with the canonical values it conveys. */
export interface Encoded {
  readonly fields: Record<string, RawValue>;
  readonly canonical: Record<string, string | readonly string[]>;
}

/** Every field applying to `kind`: the given value (lists deduplicated, `UNK` only alone), else `UNK`. */
export function completeFields(
  kind: RecordKind,
  partial: Readonly<Record<string, string | readonly string[]>>,
): CanonicalValues {
  const out: Record<string, string | readonly string[]> = {};
  for (const field of CANONICAL_FIELDS) {
    if (!fieldAppliesTo(field, kind)) continue;
    const value = partial[field];
    if (isListField(field)) {
      const list = new Set(value === undefined ? [] : typeof value === 'string' ? [value] : value);
      if (list.size > 1) list.delete(UNKNOWN);
      out[field] = list.size === 0 ? [UNKNOWN] : [...list].sort();
    } else {
      out[field] = typeof value === 'string' ? value : UNKNOWN;
    }
  }
  return out;
}
