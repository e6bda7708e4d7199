/**
 * The synthetic prosecution service: a strict mapping (unmapped values are rejected), cases and defendants. Its
 * mapping document maps its vocabulary to the canonical taxonomy; its encoder writes a canonical draft in that
 * vocabulary and returns the canonical values the written record really conveys. Invented, as every name says.
 */
import { MAPPING_FORMAT, UNKNOWN, type MappingDocument, type RawValue } from '@mosy/core';
import type { Draft, Encoded } from '../draft.js';
import type { Rng } from '../prng.js';
import { SYNTHETIC_PREFIX, mappingDescription, type ProviderProfile } from './profile.js';
import { ageBand, invert } from './vocabulary.js';

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
  description: mappingDescription(
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

export const prosecutionProfile: ProviderProfile = {
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
};
