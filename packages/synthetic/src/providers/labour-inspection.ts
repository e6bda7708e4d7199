/**
 * The synthetic labour inspection: CAE activity codes, minors and adults only, forced labour by definition. Its
 * mapping document maps its vocabulary to the canonical taxonomy; its encoder writes a canonical draft in that
 * vocabulary and returns the canonical values the written record really conveys. Invented, as every name says.
 */
import { MAPPING_FORMAT, type MappingDocument, type RawValue } from '@mosy/core';
import type { Draft, Encoded } from '../draft.js';
import type { Rng } from '../prng.js';
import { SYNTHETIC_PREFIX, mappingDescription, type ProviderProfile } from './profile.js';
import { invert } from './vocabulary.js';

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
  description: mappingDescription(
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

export const labourProfile: ProviderProfile = {
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
};
