/**
 * The synthetic police: Polícia Nacional's occurrence register, with Portuguese field names and labels and
 * district names for regions. Its mapping document maps its vocabulary to the canonical taxonomy; its encoder
 * writes a canonical draft in that vocabulary and returns the canonical values the written record really conveys.
 * Invented, as every name says.
 */
import { MAPPING_FORMAT, UNKNOWN, type MappingDocument, type RawValue } from '@mosy/core';
import type { Draft, Encoded } from '../draft.js';
import type { Rng } from '../prng.js';
import { SYNTHETIC_PREFIX, mappingDescription, type ProviderProfile } from './profile.js';
import { ageBand, invert, setIf, vary } from './vocabulary.js';

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
  description: mappingDescription(
    'Portuguese police occurrence register (Portuguese field names and labels)',
  ),
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

export const policeProfile: ProviderProfile = {
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
};
