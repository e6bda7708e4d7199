/**
 * The synthetic NGO: Apoio's case management, in English, with a birth year and one flag per form of exploitation.
 * Its mapping document maps its vocabulary to the canonical taxonomy; its encoder writes a canonical draft in that
 * vocabulary and returns the canonical values the written record really conveys. Invented, as every name says.
 */
import { MAPPING_FORMAT, UNKNOWN, type MappingDocument, type RawValue } from '@mosy/core';
import { dateOf } from '../calendar.js';
import type { Draft, Encoded } from '../draft.js';
import type { Rng } from '../prng.js';
import { SYNTHETIC_PREFIX, mappingDescription, type ProviderProfile } from './profile.js';
import { ageBand, invert, setIf, vary } from './vocabulary.js';

const NGO_GENDER: Readonly<Record<string, string>> = {
  female: 'F',
  woman: 'F',
  male: 'M',
  man: 'M',
  'non-binary': 'X',
  unknown: UNKNOWN,
};
const NGO_FLAGS: Readonly<Record<string, string>> = {
  sexual_exploitation: 'SEX',
  forced_labour: 'LAB',
  forced_begging: 'BEG',
  forced_crime: 'CRIM',
  domestic_servitude: 'SLAV',
  forced_marriage: 'MAR',
  organ_removal: 'ORG',
  other_exploitation: 'OTH',
};
const NGO_STATUS: Readonly<Record<string, string>> = {
  identified: 'IDENTIFIED',
  'presumed victim': 'PRESUMED',
  signalled: 'FLAGGED',
  'under assessment': 'PENDING',
  'not a victim': 'NOT_CONFIRMED',
};
const NGO_YES_NO: Readonly<Record<string, string>> = { yes: 'Y', no: 'N', unknown: UNKNOWN };
const NGO_CONTROL: Readonly<Record<string, string>> = {
  debt: 'DEBT',
  'takes earnings': 'EARNINGS',
  threats: 'THREATS',
  'psychological abuse': 'PSYCH_ABUSE',
  violence: 'PHYS_ABUSE',
  'sexual abuse': 'SEX_ABUSE',
  'false promises': 'FALSE_PROMISES',
  isolation: 'MOVEMENT',
  'documents withheld': 'DOCUMENTS',
  'excessive hours': 'EXCESSIVE_HOURS',
};
const NGO_RECRUITER: Readonly<Record<string, string>> = {
  partner: 'PARTNER',
  friend: 'FRIEND',
  family: 'FAMILY',
  employer: 'EMPLOYER',
  other: 'OTH',
};

const ngoMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: mappingDescription(
    'NGO case-management system (English labels, year of birth, one flag per form of exploitation)',
  ),
  fields: {
    sex: { from: 'gender', caseInsensitive: true, values: NGO_GENDER },
    ageGroup: { from: 'birthYear', transform: 'birthYear' },
    citizenship: { from: 'nationalities', split: ';' },
    exploitation: { flags: NGO_FLAGS, truthy: ['true', 'yes', '1'] },
    status: { from: 'case_status', caseInsensitive: true, values: NGO_STATUS },
    regionOfIdentification: { from: 'region' },
    regionOfExploitation: { from: 'exploitation_place', transform: 'isoToNuts' },
    countryOfRecruitment: { from: 'recruitment_country', transform: 'upper' },
    assistance: { from: 'support', caseInsensitive: true, values: NGO_YES_NO },
    reflectionPeriod: { from: 'reflection_period', caseInsensitive: true, values: NGO_YES_NO },
    residencePermit: { from: 'residence_permit', caseInsensitive: true, values: NGO_YES_NO },
    meansOfControl: { from: 'control', split: ',', caseInsensitive: true, values: NGO_CONTROL },
    recruiterRelationship: { from: 'recruiter', caseInsensitive: true, values: NGO_RECRUITER },
  },
  drop: ['notes', 'caseworker'],
};

function encodeNgo(d: Draft, rng: Rng): Encoded {
  const f: Record<string, RawValue> = {};
  const c: Record<string, string | readonly string[]> = {};
  if (d.sex !== undefined) {
    if (d.sex === 'X' && rng.chance(0.4)) {
      f.gender = 'gender diverse'; // not in the mapping: flagged, counts as UNK
      c.sex = UNKNOWN;
    } else {
      f.gender = vary(rng, rng.pick(Object.keys(NGO_GENDER).filter((k) => NGO_GENDER[k] === d.sex)));
      c.sex = d.sex;
    }
  } else if (rng.chance(0.5)) {
    f.gender = rng.pick(['unknown', 'prefer not to say']); // the second is unmapped: UNK either way
  }
  if (d.birthYear !== undefined) {
    const referenceYear = dateOf(d.day).year;
    f.birthYear = rng.chance(0.5) ? d.birthYear : String(d.birthYear);
    // The transform's documented reading: the age reached during the reference year.
    c.ageGroup = ageBand(referenceYear - d.birthYear);
  }
  if (d.citizenship !== undefined) {
    f.nationalities = d.citizenship.join(';');
    c.citizenship = d.citizenship;
  }
  if (d.exploitation !== undefined) {
    for (const [flag, code] of Object.entries(NGO_FLAGS)) {
      if (d.exploitation.includes(code)) f[flag] = rng.pick([true, 'yes', 'true']);
      else if (rng.chance(0.3)) f[flag] = rng.pick([false, 'no']);
    }
    const known = d.exploitation.filter((code) => Object.values(NGO_FLAGS).includes(code));
    // A form the NGO has no flag for is lost; with no flag set the record says nothing (UNK).
    c.exploitation = known.length > 0 ? known : [UNKNOWN];
  }
  if (d.status !== undefined) {
    f.case_status = vary(rng, invert(NGO_STATUS)[d.status]!);
    c.status = d.status;
  }
  if (d.regionOfIdentification !== undefined) {
    f.region = d.regionOfIdentification;
    c.regionOfIdentification = d.regionOfIdentification;
  }
  if (d.regionOfExploitation !== undefined) {
    const code = d.regionOfExploitation;
    // The NGO writes Greece as the ISO code GR; the mapping turns it into the NUTS code EL.
    if (code.startsWith('EL')) {
      f.exploitation_place = 'GR';
      c.regionOfExploitation = 'EL';
    } else {
      f.exploitation_place = code.length === 2 && rng.chance(0.5) ? code.toLowerCase() : code;
      c.regionOfExploitation = code;
    }
  }
  if (d.countryOfRecruitment !== undefined) {
    f.recruitment_country = rng.chance(0.5) ? d.countryOfRecruitment.toLowerCase() : d.countryOfRecruitment;
    c.countryOfRecruitment = d.countryOfRecruitment;
  }
  for (const [field, source] of [
    ['assistance', 'support'],
    ['reflectionPeriod', 'reflection_period'],
    ['residencePermit', 'residence_permit'],
  ] as const) {
    const value = d[field];
    if (value !== undefined) {
      f[source] = vary(rng, invert(NGO_YES_NO)[value]!);
      c[field] = value;
    }
  }
  if (d.meansOfControl !== undefined) {
    const labels = invert(NGO_CONTROL);
    const known = d.meansOfControl.filter((code) => labels[code] !== undefined);
    if (known.length > 0) {
      f.control = known.map((code) => labels[code]!).join(rng.pick([',', ', ']));
      c.meansOfControl = known;
    }
  }
  if (d.recruiterRelationship !== undefined && d.recruiterRelationship.length === 1) {
    f.recruiter = invert(NGO_RECRUITER)[d.recruiterRelationship[0]!]!;
    c.recruiterRelationship = d.recruiterRelationship;
  }
  setIf(f, 'notes', d.notes);
  if (rng.chance(0.5)) f.caseworker = `cw-${rng.int(1, 40)}`;
  return { fields: f, canonical: c };
}

export const ngoProfile: ProviderProfile = {
  provider: {
    id: 'ngo-apoio',
    type: 'NGO',
    name: `${SYNTHETIC_PREFIX} Apoio (NGO case management)`,
    mapping: ngoMapping,
    transport: 'json',
  },
  identityRate: 0.7,
  identityStyles: ['plain', 'lower-unaccented', 'reordered-dmy'],
  documentRate: 0.1,
  precision: { day: 80, month: 15, year: 5 },
  encode: encodeNgo,
};
