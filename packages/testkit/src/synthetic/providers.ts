/**
 * The six synthetic providers: each an invented organisation with its own record system — field names, value
 * vocabulary, separators, date habits — and the MoSy mapping document that maps it to the canonical taxonomy. Each
 * also has an encoder, the generator's inverse table: it writes a canonical draft in the provider's vocabulary and
 * returns the canonical values that the written record really conveys (which is what the truth records). The
 * organisations, names and data are made up; every name and mapping description says so.
 */
import { MAPPING_FORMAT, UNKNOWN, type MappingDocument, type RawValue } from '@mosy/core';
import { dateOf } from './calendar.js';
import type { Draft, Encoded } from './draft.js';
import type { IdentityStyle } from './identities.js';
import type { Rng } from './prng.js';
import type { SyntheticProvider } from './types.js';

/** A provider with what the generator needs to write its records. */
export interface ProviderProfile {
  readonly provider: SyntheticProvider;
  /** How often a record carries identity (0–1). */
  readonly identityRate: number;
  readonly identityStyles: readonly IdentityStyle[];
  /** How often identity includes the document number (0–1). */
  readonly documentRate: number;
  /** Weights of the reference date precisions. */
  readonly precision: { readonly day: number; readonly month: number; readonly year: number };
  encode(draft: Draft, rng: Rng): Encoded;
}

export const SYNTHETIC_PREFIX = 'SYNTHETIC DEMO —';

const describe = (system: string): string =>
  `SYNTHETIC DEMO mapping for an invented ${system}. The organisation and all its records are made up for tests and demos; no record describes a real person.`;

const inverses = new WeakMap<object, Readonly<Record<string, string>>>();

/** Inverse of a vocabulary: code → the first provider value for it. */
function invert(table: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let inverse = inverses.get(table);
  if (inverse === undefined) {
    inverse = Object.fromEntries(
      Object.entries(table)
        .reverse()
        .map(([k, v]) => [v, k]),
    );
    inverses.set(table, inverse);
  }
  return inverse;
}

/** A provider value as people type it into a case-insensitive field: case and stray spaces vary. */
const vary = (rng: Rng, value: string): string =>
  rng.pick([value, value, value, value.toUpperCase(), value.toLowerCase(), ` ${value} `]);

/** The age band of an age in whole years. */
export function ageBand(age: number): string {
  if (age < 12) return '0-11';
  if (age < 16) return '12-15';
  if (age < 18) return '16-17';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  if (age < 55) return '45-54';
  if (age < 65) return '55-64';
  return '65+';
}

const setIf = (out: Record<string, RawValue>, name: string, value: RawValue | undefined): void => {
  if (value !== undefined) out[name] = value;
};

// --- Polícia: Portuguese field names and labels, district names for regions ------------------------------------

const PT_SEX: Readonly<Record<string, string>> = {
  Feminino: 'F',
  Masculino: 'M',
  Outro: 'X',
  Desconhecido: UNKNOWN,
};
const PT_EXPLOITATION: Readonly<Record<string, string>> = {
  'Exploração sexual': 'SEX',
  'Trabalho forçado': 'LAB',
  'Mendicidade forçada': 'BEG',
  'Atividades criminosas': 'CRIM',
  Escravidão: 'SLAV',
  'Remoção de órgãos': 'ORG',
  'Casamento forçado': 'MAR',
  'Adoção ilegal': 'ADOPT',
  'Gestação de substituição': 'SURR',
  'Outra forma': 'OTH',
};
const PT_STATUS: Readonly<Record<string, string>> = {
  Identificada: 'IDENTIFIED',
  Presumida: 'PRESUMED',
  Sinalizada: 'FLAGGED',
  'Em avaliação': 'PENDING',
  'Não confirmada': 'NOT_CONFIRMED',
};
const PT_YES_NO: Readonly<Record<string, string>> = { Sim: 'Y', Não: 'N', 'Não sabe': UNKNOWN };

/** Police districts (and two island capitals) → the NUTS 3 region the generator files them under. */
export const DISTRICTS: Readonly<Record<string, string>> = {
  'Viana do Castelo': 'PT111',
  Braga: 'PT112',
  Porto: 'PT11A',
  'Vila Real': 'PT11B',
  Bragança: 'PT11E',
  Aveiro: 'PT191',
  Coimbra: 'PT192',
  Leiria: 'PT193',
  Viseu: 'PT194',
  'Castelo Branco': 'PT195',
  Guarda: 'PT196',
  Lisboa: 'PT1A0',
  Setúbal: 'PT1B0',
  Beja: 'PT1C2',
  Portalegre: 'PT1C3',
  Évora: 'PT1C4',
  Santarém: 'PT1D3',
  Faro: 'PT150',
  'Ponta Delgada': 'PT200',
  Funchal: 'PT300',
};

const ptExploitationRule = {
  split: '|',
  caseInsensitive: true,
  values: {
    ...PT_EXPLOITATION,
    'Servidão doméstica': 'SLAV',
    'Exploração sexual e laboral': ['SEX', 'LAB'],
  },
} as const;

const policeMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: describe('Portuguese police occurrence register (Portuguese field names and labels)'),
  unmapped: 'flag',
  fields: {
    sex: { from: 'sexo', caseInsensitive: true, values: PT_SEX },
    ageGroup: { from: 'idade', transform: 'age' },
    citizenship: {
      from: 'nacionalidade',
      split: ',',
      passthrough: true,
      values: { Apátrida: 'STLS', Desconhecida: UNKNOWN },
    },
    exploitation: { from: 'tipo_exploracao', ...ptExploitationRule },
    status: { from: 'estatuto', caseInsensitive: true, values: PT_STATUS },
    regionOfIdentification: { from: 'distrito', caseInsensitive: true, passthrough: true, values: DISTRICTS },
    regionOfExploitation: { from: 'local_exploracao' },
    countryOfRecruitment: { from: 'pais_recrutamento' },
    assistance: { from: 'apoio', values: PT_YES_NO },
    reflectionPeriod: { from: 'periodo_reflexao', values: PT_YES_NO },
    residencePermit: { from: 'autorizacao_residencia', values: PT_YES_NO },
    organisedCrime: { from: 'crime_organizado', values: PT_YES_NO },
  },
  kinds: { suspect: { exploitation: { from: 'finalidade', ...ptExploitationRule } } },
  drop: ['observacoes', 'agente_responsavel'],
};

function encodePolice(d: Draft, rng: Rng): Encoded {
  const f: Record<string, RawValue> = {};
  const c: Record<string, string | readonly string[]> = {};
  if (d.sex !== undefined) {
    if (d.sex === 'X' && rng.chance(0.4)) {
      f.sexo = 'Intersexo'; // not in the mapping: flagged, counts as UNK
      c.sex = UNKNOWN;
    } else {
      f.sexo = vary(rng, invert(PT_SEX)[d.sex]!);
      c.sex = d.sex;
    }
  } else if (rng.chance(0.5)) {
    f.sexo = 'Desconhecido';
  }
  if (d.age !== undefined) {
    f.idade = d.age;
    c.ageGroup = ageBand(d.age);
  }
  if (d.citizenship !== undefined) {
    f.nacionalidade = d.citizenship.map((code) => (code === 'STLS' ? 'Apátrida' : code)).join(',');
    c.citizenship = d.citizenship;
  } else if (rng.chance(0.3)) {
    f.nacionalidade = 'Desconhecida';
  }
  if (d.exploitation !== undefined) {
    const labels = invert(PT_EXPLOITATION);
    const codes = new Set(d.exploitation);
    const out: string[] = [];
    if (codes.has('SEX') && codes.has('LAB') && rng.chance(0.5)) {
      out.push('Exploração sexual e laboral');
      codes.delete('SEX');
      codes.delete('LAB');
    }
    for (const code of codes) out.push(vary(rng, labels[code]!));
    // Two labels for one code: the list must still count the record once under SLAV.
    if (codes.has('SLAV') && rng.chance(0.5)) out.push('Servidão doméstica');
    f[d.kind === 'suspect' ? 'finalidade' : 'tipo_exploracao'] = out.join('|');
    c.exploitation = d.exploitation;
  }
  if (d.regionOfIdentification !== undefined) {
    const district = invert(DISTRICTS)[d.regionOfIdentification];
    f.distrito = district !== undefined && rng.chance(0.75) ? vary(rng, district) : d.regionOfIdentification;
    c.regionOfIdentification = d.regionOfIdentification;
  }
  if (d.regionOfExploitation !== undefined) {
    f.local_exploracao = d.regionOfExploitation;
    c.regionOfExploitation = d.regionOfExploitation;
  }
  if (d.kind === 'victim') {
    if (d.status !== undefined) {
      f.estatuto = vary(rng, invert(PT_STATUS)[d.status]!);
      c.status = d.status;
    }
    if (d.countryOfRecruitment !== undefined) {
      f.pais_recrutamento = d.countryOfRecruitment;
      c.countryOfRecruitment = d.countryOfRecruitment;
    }
    for (const [field, source] of [
      ['assistance', 'apoio'],
      ['reflectionPeriod', 'periodo_reflexao'],
      ['residencePermit', 'autorizacao_residencia'],
    ] as const) {
      const value = d[field];
      if (value !== undefined) {
        f[source] = invert(PT_YES_NO)[value]!;
        c[field] = value;
      }
    }
  }
  if (d.kind === 'suspect' && d.organisedCrime !== undefined) {
    f.crime_organizado = invert(PT_YES_NO)[d.organisedCrime]!;
    c.organisedCrime = d.organisedCrime;
  }
  setIf(f, 'observacoes', d.notes);
  if (rng.chance(0.3)) f.agente_responsavel = `Agente ${rng.int(100, 999)}`;
  return { fields: f, canonical: c };
}

// --- NGO: English case management, birth year, flags for forms of exploitation ---------------------------------

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
  description: describe(
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

// --- Shelter: already canonical codes, sent as CSV -----------------------------------------------------------

const shelterMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: describe(
    'shelter that records canonical MoSy codes directly (CSV upload, lists separated by ";")',
  ),
  fields: {
    citizenship: { from: 'citizenship', split: ';' },
    exploitation: { from: 'exploitation', split: ';' },
    meansOfControl: { from: 'meansOfControl', split: ';' },
    recruiterRelationship: { from: 'recruiterRelationship', split: ';' },
    // Everyone in a shelter receives assistance.
    assistance: { const: 'Y' },
  },
};

function encodeShelter(d: Draft, rng: Rng): Encoded {
  const f: Record<string, RawValue> = {};
  const c: Record<string, string | readonly string[]> = { assistance: 'Y' };
  const put = (field: string, value: string | readonly string[] | undefined): void => {
    if (value === undefined) return;
    f[field] = typeof value === 'string' ? value : value.join(';');
    c[field] = value;
  };
  put('sex', d.sex);
  if (d.age !== undefined) {
    const band = ageBand(d.age);
    const ageGroup = rng.chance(0.8) ? band : d.age < 18 ? 'child' : 'adult';
    f.ageGroup = ageGroup;
    c.ageGroup = ageGroup;
  }
  put('citizenship', d.citizenship);
  put('exploitation', d.exploitation);
  put('status', d.status);
  put('regionOfIdentification', d.regionOfIdentification);
  put('regionOfExploitation', d.regionOfExploitation);
  put('countryOfRecruitment', d.countryOfRecruitment);
  put('reflectionPeriod', d.reflectionPeriod);
  put('residencePermit', d.residencePermit);
  put('meansOfControl', d.meansOfControl);
  put('recruiterRelationship', d.recruiterRelationship);
  put('labourSector', d.labourSector);
  return { fields: f, canonical: c };
}

// --- Labour inspection: CAE activity codes, minor/adult only, forced labour by definition -------------------------

/** CAE (Portuguese activity classification) divisions → NACE sections. */
const CAE: Readonly<Record<string, string>> = {
  '01': 'A',
  '02': 'A',
  '03': 'A',
  '10': 'C',
  '14': 'C',
  '41': 'F',
  '43': 'F',
  '47': 'G',
  '49': 'H',
  '55': 'I',
  '56': 'I',
  '81': 'N',
  '96': 'S',
  '97': 'T',
};
const LABOUR_STATUS: Readonly<Record<string, string>> = {
  confirmado: 'IDENTIFIED',
  indicios: 'PRESUMED',
  sinalizado: 'FLAGGED',
};

const labourMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: describe(
    'labour inspectorate (CAE activity codes, minor/adult only, labour exploitation only)',
  ),
  fields: {
    sex: { from: 'genero', values: { F: 'F', M: 'M' } },
    ageGroup: { from: 'escalao', values: { menor: 'child', adulto: 'adult' } },
    citizenship: { from: 'nacionalidade', transform: 'upper' },
    exploitation: { const: ['LAB'] },
    status: { from: 'situacao', values: LABOUR_STATUS },
    regionOfIdentification: { from: 'local_inspecao' },
    regionOfExploitation: { from: 'local_inspecao' },
    labourSector: { from: 'cae', values: CAE },
  },
  drop: ['inspetor'],
};

function encodeLabour(d: Draft, rng: Rng): Encoded {
  const f: Record<string, RawValue> = {};
  const c: Record<string, string | readonly string[]> = { exploitation: ['LAB'] };
  if (d.sex === 'F' || d.sex === 'M') {
    f.genero = d.sex;
    c.sex = d.sex;
  } else if (d.sex === 'X') {
    f.genero = 'O'; // not in the mapping: flagged, counts as UNK
  }
  if (d.age !== undefined) {
    f.escalao = d.age < 18 ? 'menor' : 'adulto';
    c.ageGroup = d.age < 18 ? 'child' : 'adult';
  }
  const first = d.citizenship?.[0];
  if (first !== undefined) {
    f.nacionalidade = rng.chance(0.3) ? first.toLowerCase() : first;
    c.citizenship = [first];
  }
  if (d.status !== undefined) {
    f.situacao = invert(LABOUR_STATUS)[d.status]!;
    c.status = d.status;
  }
  if (d.regionOfIdentification !== undefined) {
    f.local_inspecao = d.regionOfIdentification;
    c.regionOfIdentification = d.regionOfIdentification;
    c.regionOfExploitation = d.regionOfIdentification;
  }
  if (d.labourSector !== undefined) {
    const codes = Object.keys(CAE).filter((k) => CAE[k] === d.labourSector);
    if (codes.length > 0) {
      f.cae = rng.pick(codes);
      c.labourSector = d.labourSector;
    } else {
      f.cae = '99'; // not in the mapping: flagged, counts as UNK
    }
  }
  if (rng.chance(0.4)) f.inspetor = `IT-${rng.int(10, 99)}`;
  return { fields: f, canonical: c };
}

// --- Prosecution service: strict mapping (unmapped values are rejected), cases and defendants ---------------------

const PROSECUTION_SEX: Readonly<Record<string, string>> = { F: 'F', M: 'M', O: 'X', I: UNKNOWN };
const PROSECUTION_EXPLOITATION: Readonly<Record<string, string>> = {
  sexual: 'SEX',
  laboral: 'LAB',
  mendicidade: 'BEG',
  criminalidade: 'CRIM',
  escravatura: 'SLAV',
  orgaos: 'ORG',
  casamento: 'MAR',
  adocao: 'ADOPT',
  outra: 'OTH',
};
const PROSECUTION_OUTCOME: Readonly<Record<string, string>> = {
  condenacao: 'FINALISED_CONVICTION',
  absolvicao: 'FINALISED_ACQUITTAL',
  arquivamento: 'FINALISED_OTHER',
  'em curso': 'ONGOING',
};
const PROSECUTION_YES_NO: Readonly<Record<string, string>> = { S: 'Y', N: 'N', ND: UNKNOWN };

const prosecutionMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: describe(
    'public prosecution case system (cases with outcomes, defendants; unmapped values are refused)',
  ),
  unmapped: 'reject',
  fields: {
    sex: { from: 'sexo', values: PROSECUTION_SEX },
    ageGroup: { from: 'idade', transform: 'age' },
    citizenship: { from: 'nacionalidade' },
    exploitation: { from: 'exploracao', values: PROSECUTION_EXPLOITATION },
    organisedCrime: { from: 'crime_organizado', values: PROSECUTION_YES_NO },
    regionOfIdentification: { from: 'comarca' },
    regionOfExploitation: { from: 'local_crime' },
    labourSector: { from: 'setor' },
    outcome: { from: 'resultado', values: PROSECUTION_OUTCOME },
  },
  drop: ['magistrado'],
};

function encodeProsecution(d: Draft, rng: Rng): Encoded {
  const f: Record<string, RawValue> = {};
  const c: Record<string, string | readonly string[]> = {};
  if (d.regionOfIdentification !== undefined) {
    f.comarca = d.regionOfIdentification;
    c.regionOfIdentification = d.regionOfIdentification;
  }
  if (d.regionOfExploitation !== undefined) {
    f.local_crime = d.regionOfExploitation;
    c.regionOfExploitation = d.regionOfExploitation;
  }
  if (d.kind === 'prosecution') {
    if (d.outcome !== undefined) {
      f.resultado = invert(PROSECUTION_OUTCOME)[d.outcome]!;
      c.outcome = d.outcome;
    }
  } else {
    if (d.sex !== undefined) {
      f.sexo = invert(PROSECUTION_SEX)[d.sex]!;
      c.sex = d.sex;
    } else if (rng.chance(0.5)) {
      f.sexo = 'I';
    }
    if (d.age !== undefined) {
      f.idade = rng.chance(0.5) ? d.age : String(d.age);
      c.ageGroup = ageBand(d.age);
    }
    if (d.citizenship !== undefined) {
      f.nacionalidade = [...d.citizenship];
      c.citizenship = d.citizenship;
    }
    if (d.exploitation !== undefined) {
      f.exploracao = d.exploitation.map((code) => invert(PROSECUTION_EXPLOITATION)[code] ?? 'outra');
      c.exploitation = d.exploitation.map((code) =>
        invert(PROSECUTION_EXPLOITATION)[code] === undefined ? 'OTH' : code,
      );
    }
    if (d.organisedCrime !== undefined) {
      f.crime_organizado = invert(PROSECUTION_YES_NO)[d.organisedCrime]!;
      c.organisedCrime = d.organisedCrime;
    }
    if (d.labourSector !== undefined) {
      f.setor = d.labourSector;
      c.labourSector = d.labourSector;
    }
  }
  if (rng.chance(0.2)) f.magistrado = `M-${rng.int(1, 60)}`;
  return { fields: f, canonical: c };
}

// --- Hotline: anonymous calls, coarse dates and regions, always "flagged" -----------------------------------------

const HOTLINE_FORM: Readonly<Record<string, string>> = {
  sexual: 'SEX',
  laboral: 'LAB',
  mendicidade: 'BEG',
  outra: 'OTH',
};

const hotlineMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: describe(
    'anti-trafficking hotline (anonymous calls; every call is a signal, never an identification)',
  ),
  fields: {
    sex: { from: 'sexo', caseInsensitive: true, values: { f: 'F', m: 'M', '?': UNKNOWN } },
    ageGroup: { from: 'faixa', passthrough: true, values: { crianca: 'child', adulto: 'adult' } },
    exploitation: { from: 'forma', caseInsensitive: true, values: HOTLINE_FORM },
    status: { const: 'FLAGGED' },
    regionOfIdentification: { from: 'regiao' },
  },
  drop: ['resumo'],
};

function encodeHotline(d: Draft, rng: Rng): Encoded {
  const f: Record<string, RawValue> = {};
  const c: Record<string, string | readonly string[]> = { status: 'FLAGGED' };
  if (d.sex === 'F' || d.sex === 'M') {
    f.sexo = rng.chance(0.5) ? d.sex : d.sex.toLowerCase();
    c.sex = d.sex;
  } else if (rng.chance(0.6)) {
    f.sexo = '?';
  }
  if (d.age !== undefined) {
    if (rng.chance(0.5)) {
      f.faixa = ageBand(d.age);
      c.ageGroup = ageBand(d.age);
    } else {
      f.faixa = d.age < 18 ? 'crianca' : 'adulto';
      c.ageGroup = d.age < 18 ? 'child' : 'adult';
    }
  }
  const form = d.exploitation?.[0];
  if (form !== undefined) {
    const label = invert(HOTLINE_FORM)[form] ?? 'outra';
    f.forma = vary(rng, label);
    c.exploitation = [HOTLINE_FORM[label]!];
  }
  if (d.regionOfIdentification !== undefined) {
    f.regiao = d.regionOfIdentification;
    c.regionOfIdentification = d.regionOfIdentification;
  }
  setIf(f, 'resumo', d.notes);
  return { fields: f, canonical: c };
}

// --- The provider list ------------------------------------------------------------------------------------------

export const PROFILES = {
  police: {
    provider: {
      id: 'policia-nacional',
      type: 'POLICE',
      name: `${SYNTHETIC_PREFIX} Polícia Nacional (registo de ocorrências)`,
      mapping: policeMapping,
      transport: 'json',
    },
    identityRate: 0.8,
    identityStyles: ['upper-dmy'],
    documentRate: 0.6,
    precision: { day: 90, month: 8, year: 2 },
    encode: encodePolice,
  },
  ngo: {
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
  },
  shelter: {
    provider: {
      id: 'casa-abrigo',
      type: 'SHELTER',
      name: `${SYNTHETIC_PREFIX} Casa Abrigo (shelter)`,
      mapping: shelterMapping,
      transport: 'csv',
    },
    identityRate: 0.9,
    identityStyles: ['plain', 'lower-unaccented'],
    documentRate: 0.3,
    precision: { day: 85, month: 12, year: 3 },
    encode: encodeShelter,
  },
  labour: {
    provider: {
      id: 'inspecao-trabalho',
      type: 'LABOUR_INSPECTION',
      name: `${SYNTHETIC_PREFIX} Inspeção do Trabalho`,
      mapping: labourMapping,
      transport: 'json',
    },
    identityRate: 0.4,
    identityStyles: ['upper-dmy', 'plain'],
    documentRate: 0.9,
    precision: { day: 90, month: 10, year: 0 },
    encode: encodeLabour,
  },
  prosecution: {
    provider: {
      id: 'ministerio-publico',
      type: 'PROSECUTION',
      name: `${SYNTHETIC_PREFIX} Ministério Público (processos)`,
      mapping: prosecutionMapping,
      transport: 'json',
    },
    identityRate: 0.95,
    identityStyles: ['plain', 'upper-dmy'],
    documentRate: 0.8,
    precision: { day: 100, month: 0, year: 0 },
    encode: encodeProsecution,
  },
  hotline: {
    provider: {
      id: 'linha-sos',
      type: 'HOTLINE',
      name: `${SYNTHETIC_PREFIX} Linha SOS (hotline)`,
      mapping: hotlineMapping,
      transport: 'json',
    },
    identityRate: 0,
    identityStyles: ['plain'],
    documentRate: 0,
    precision: { day: 40, month: 50, year: 10 },
    encode: encodeHotline,
  },
} as const satisfies Record<string, ProviderProfile>;

export type ProfileName = keyof typeof PROFILES;
