/**
 * The code lists of the MoSy common taxonomy (contract §2), with English labels. Codes are strings and are never
 * coerced (`NA` is Namibia). Every coded field also accepts `UNK`. The lists are versioned as a whole: a change to
 * any list bumps TAXONOMY_VERSION, which is stamped on every normalized record.
 */

export const TAXONOMY_VERSION = '1';

export const UNKNOWN = 'UNK';

/** A code list: code → English label, in display order. */
export type CodeList = Readonly<Record<string, string>>;

export const RECORD_KINDS = {
  victim: 'Victim (person)',
  suspect: 'Suspected trafficker (person)',
  prosecuted: 'Prosecuted trafficker (person)',
  convicted: 'Convicted trafficker (person)',
  prosecution: 'THB prosecution (case)',
} as const satisfies CodeList;
export type RecordKind = keyof typeof RECORD_KINDS;
export const PERSON_KINDS = [
  'victim',
  'suspect',
  'prosecuted',
  'convicted',
] as const satisfies readonly RecordKind[];

export const SEX = { F: 'Female', M: 'Male', X: 'Other', UNK: 'Unknown' } as const satisfies CodeList;

/** Age bands; `child` and `adult` are for providers that know no more than the roll-up. */
export const AGE_GROUPS = {
  '0-11': '0 to 11',
  '12-15': '12 to 15',
  '16-17': '16 to 17',
  '18-24': '18 to 24',
  '25-34': '25 to 34',
  '35-44': '35 to 44',
  '45-54': '45 to 54',
  '55-64': '55 to 64',
  '65+': '65 or over',
  child: 'Child, band unspecified',
  adult: 'Adult, band unspecified',
  UNK: 'Unknown',
} as const satisfies CodeList;
export type AgeGroup = keyof typeof AGE_GROUPS;

/** The roll-up of age groups: derived, never submitted. */
export const AGE_CLASSES = {
  child: 'Child (under 18)',
  adult: 'Adult (18 or over)',
  UNK: 'Unknown',
} as const satisfies CodeList;

export const EXPLOITATION = {
  SEX: 'Sexual exploitation',
  LAB: 'Forced labour or services',
  BEG: 'Forced begging',
  CRIM: 'Forced criminal activities',
  SLAV: 'Slavery or servitude',
  ORG: 'Organ removal',
  MAR: 'Forced marriage',
  ADOPT: 'Illegal adoption',
  SURR: 'Exploitation of surrogacy',
  OTH: 'Other forms',
  UNK: 'Unknown',
} as const satisfies CodeList;

export const VICTIM_STATUS = {
  IDENTIFIED: 'Identified (formally, by a competent authority)',
  PRESUMED: 'Presumed (meets the criteria, not formally identified)',
  FLAGGED: 'Flagged (signalled, not yet assessed)',
  PENDING: 'Pending assessment',
  NOT_CONFIRMED: 'Not confirmed',
} as const satisfies CodeList;
/** Registered victims (Eurostat): identified + presumed. */
export const REGISTERED_STATUSES = ['IDENTIFIED', 'PRESUMED'] as const;

export const YES_NO = { Y: 'Yes', N: 'No', UNK: 'Unknown' } as const satisfies CodeList;

export const MEANS_OF_CONTROL = {
  DEBT: 'Debt bondage',
  EARNINGS: 'Takes earnings',
  FINANCIAL_ACCESS: 'Restricts financial access',
  THREATS: 'Threats',
  PSYCH_ABUSE: 'Psychological abuse',
  PHYS_ABUSE: 'Physical abuse',
  SEX_ABUSE: 'Sexual abuse',
  FALSE_PROMISES: 'False promises',
  SUBSTANCES: 'Psychoactive substances',
  MOVEMENT: 'Restricts movement',
  MEDICAL_CARE: 'Restricts medical care',
  EXCESSIVE_HOURS: 'Excessive working hours',
  DOCUMENTS: 'Withholds documents',
  NECESSITIES: 'Withholds necessities',
  OTH: 'Other',
  UNK: 'Unknown',
} as const satisfies CodeList;

export const RECRUITER_RELATIONSHIP = {
  PARTNER: 'Intimate partner',
  FRIEND: 'Friend',
  FAMILY: 'Family member',
  EMPLOYER: 'Employer',
  OTH: 'Other',
  UNK: 'Unknown',
} as const satisfies CodeList;

/** NACE Rev. 2 sections. */
export const LABOUR_SECTORS = {
  A: 'Agriculture, forestry and fishing',
  B: 'Mining and quarrying',
  C: 'Manufacturing',
  D: 'Electricity, gas, steam and air conditioning supply',
  E: 'Water supply; sewerage, waste management and remediation',
  F: 'Construction',
  G: 'Wholesale and retail trade; repair of motor vehicles',
  H: 'Transportation and storage',
  I: 'Accommodation and food service activities',
  J: 'Information and communication',
  K: 'Financial and insurance activities',
  L: 'Real estate activities',
  M: 'Professional, scientific and technical activities',
  N: 'Administrative and support service activities',
  O: 'Public administration and defence; compulsory social security',
  P: 'Education',
  Q: 'Human health and social work activities',
  R: 'Arts, entertainment and recreation',
  S: 'Other service activities',
  T: 'Activities of households as employers',
  U: 'Activities of extraterritorial organisations and bodies',
  UNK: 'Unknown',
} as const satisfies CodeList;

export const PROSECUTION_OUTCOMES = {
  FINALISED_CONVICTION: 'Finalised: conviction',
  FINALISED_ACQUITTAL: 'Finalised: acquittal',
  FINALISED_OTHER: 'Finalised: other outcome',
  ONGOING: 'Ongoing',
} as const satisfies CodeList;
export const FINALISED_OUTCOMES = ['FINALISED_CONVICTION', 'FINALISED_ACQUITTAL', 'FINALISED_OTHER'] as const;

/** The source of information: what kind of organisation a provider is. */
export const PROVIDER_TYPES = {
  POLICE: 'Police',
  BORDER: 'Border or immigration authority',
  PROSECUTION: 'Prosecution service',
  COURT: 'Court',
  LABOUR_INSPECTION: 'Labour inspectorate',
  NGO: 'Non-governmental organisation',
  SHELTER: 'Shelter',
  SOCIAL_SERVICES: 'Social services',
  HEALTH: 'Health services',
  INTL_ORG: 'International organisation',
  HOTLINE: 'Hotline',
  OTHER: 'Other',
} as const satisfies CodeList;
export type ProviderType = keyof typeof PROVIDER_TYPES;

export const isCode = (list: CodeList, value: string): boolean =>
  Object.prototype.hasOwnProperty.call(list, value);

/**
 * The labelled code lists by the names `GET /v1/taxonomy` serves them under (countries apart: `countries.ts`), so
 * the route and the web app's language files check against one list.
 */
export const CODE_LISTS = {
  kind: RECORD_KINDS,
  sex: SEX,
  ageGroup: AGE_GROUPS,
  ageClass: AGE_CLASSES,
  exploitation: EXPLOITATION,
  status: VICTIM_STATUS,
  yesNo: YES_NO,
  meansOfControl: MEANS_OF_CONTROL,
  recruiterRelationship: RECRUITER_RELATIONSHIP,
  labourSector: LABOUR_SECTORS,
  outcome: PROSECUTION_OUTCOMES,
  providerType: PROVIDER_TYPES,
} as const;
