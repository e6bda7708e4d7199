/**
 * The canonical fields of a normalized record (contract §2): which record kinds carry each, what values it takes,
 * and whether it is a list. This table drives validation, the Avro schema test, the query model (which fields can
 * be filters and breakdowns) and the stores' column lists, so a new field is added here once.
 */
import {
  AGE_GROUPS,
  EXPLOITATION,
  LABOUR_SECTORS,
  MEANS_OF_CONTROL,
  PROSECUTION_OUTCOMES,
  RECRUITER_RELATIONSHIP,
  SEX,
  VICTIM_STATUS,
  YES_NO,
  isCode,
  type CodeList,
  type RecordKind,
} from './codes.js';
import { STATELESS, isCountry } from './countries.js';
import { geoCodeProblem } from './nuts.js';

export type FieldValueKind =
  /** one code of `codes` */
  | 'code'
  /** a list of codes of `codes` */
  | 'codes'
  /** a NUTS code or an ISO code outside NUTS */
  | 'geo'
  /** an ISO alpha-2 country code */
  | 'country'
  /** a list of ISO alpha-2 country codes, or STLS */
  | 'citizenship';

export interface FieldDefinition {
  readonly name: CanonicalField;
  readonly label: string;
  readonly value: FieldValueKind;
  /** For `code` and `codes`. */
  readonly codes?: CodeList;
  readonly kinds: readonly RecordKind[];
  /** Optional fields are never required and are reported like the others. */
  readonly optional: boolean;
}

const PERSONS = ['victim', 'suspect', 'prosecuted', 'convicted'] as const;
const TRAFFICKERS = ['suspect', 'prosecuted', 'convicted'] as const;
const VICTIM = ['victim'] as const;

export const CANONICAL_FIELDS = [
  'status',
  'sex',
  'ageGroup',
  'citizenship',
  'exploitation',
  'regionOfIdentification',
  'regionOfExploitation',
  'countryOfRecruitment',
  'organisedCrime',
  'assistance',
  'reflectionPeriod',
  'residencePermit',
  'meansOfControl',
  'recruiterRelationship',
  'labourSector',
  'outcome',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

export const FIELDS: Readonly<Record<CanonicalField, FieldDefinition>> = {
  status: {
    name: 'status',
    label: 'Victim status',
    value: 'code',
    codes: VICTIM_STATUS,
    kinds: VICTIM,
    optional: false,
  },
  sex: { name: 'sex', label: 'Sex', value: 'code', codes: SEX, kinds: PERSONS, optional: false },
  ageGroup: {
    name: 'ageGroup',
    label: 'Age group',
    value: 'code',
    codes: AGE_GROUPS,
    kinds: PERSONS,
    optional: false,
  },
  citizenship: {
    name: 'citizenship',
    label: 'Citizenship',
    value: 'citizenship',
    kinds: PERSONS,
    optional: false,
  },
  exploitation: {
    name: 'exploitation',
    label: 'Form of exploitation',
    value: 'codes',
    codes: EXPLOITATION,
    kinds: ['victim', ...TRAFFICKERS],
    optional: false,
  },
  regionOfIdentification: {
    name: 'regionOfIdentification',
    label: 'Region of identification',
    value: 'geo',
    kinds: [...PERSONS, 'prosecution'],
    optional: false,
  },
  regionOfExploitation: {
    name: 'regionOfExploitation',
    label: 'Region of exploitation',
    value: 'geo',
    kinds: [...PERSONS, 'prosecution'],
    optional: false,
  },
  countryOfRecruitment: {
    name: 'countryOfRecruitment',
    label: 'Country of recruitment',
    value: 'country',
    kinds: VICTIM,
    optional: false,
  },
  organisedCrime: {
    name: 'organisedCrime',
    label: 'Involved in organised crime',
    value: 'code',
    codes: YES_NO,
    kinds: TRAFFICKERS,
    optional: false,
  },
  assistance: {
    name: 'assistance',
    label: 'Received assistance',
    value: 'code',
    codes: YES_NO,
    kinds: VICTIM,
    optional: false,
  },
  reflectionPeriod: {
    name: 'reflectionPeriod',
    label: 'Given a reflection period',
    value: 'code',
    codes: YES_NO,
    kinds: VICTIM,
    optional: false,
  },
  residencePermit: {
    name: 'residencePermit',
    label: 'Given a residence permit',
    value: 'code',
    codes: YES_NO,
    kinds: VICTIM,
    optional: false,
  },
  meansOfControl: {
    name: 'meansOfControl',
    label: 'Means of control',
    value: 'codes',
    codes: MEANS_OF_CONTROL,
    kinds: VICTIM,
    optional: true,
  },
  recruiterRelationship: {
    name: 'recruiterRelationship',
    label: 'Relationship to the recruiter',
    value: 'codes',
    codes: RECRUITER_RELATIONSHIP,
    kinds: VICTIM,
    optional: true,
  },
  labourSector: {
    name: 'labourSector',
    label: 'Labour sector (NACE Rev. 2 section)',
    value: 'code',
    codes: LABOUR_SECTORS,
    kinds: ['victim', ...TRAFFICKERS],
    optional: true,
  },
  outcome: {
    name: 'outcome',
    label: 'Prosecution outcome',
    value: 'code',
    codes: PROSECUTION_OUTCOMES,
    kinds: ['prosecution'],
    optional: false,
  },
};

export const isListField = (field: CanonicalField): boolean =>
  FIELDS[field].value === 'codes' || FIELDS[field].value === 'citizenship';

export const fieldAppliesTo = (field: CanonicalField, kind: RecordKind): boolean =>
  FIELDS[field].kinds.includes(kind);

export const isCanonicalField = (name: string): name is CanonicalField =>
  (CANONICAL_FIELDS as readonly string[]).includes(name);

/** Why `value` is not a valid single value of `field`, or undefined when it is. `UNK` is valid everywhere. */
export function fieldValueProblem(field: CanonicalField, value: string): string | undefined {
  if (value === 'UNK') return undefined;
  const def = FIELDS[field];
  switch (def.value) {
    case 'code':
    case 'codes':
      return isCode(def.codes ?? {}, value)
        ? undefined
        : `"${value}" is not a code of ${field} (${Object.keys(def.codes ?? {}).join(', ')})`;
    case 'geo':
      return geoCodeProblem(value);
    case 'country':
      return isCountry(value) ? undefined : `"${value}" is not an ISO 3166-1 alpha-2 country code`;
    case 'citizenship':
      return value === STATELESS || isCountry(value)
        ? undefined
        : `"${value}" is not an ISO 3166-1 alpha-2 country code or STLS`;
  }
}
