/**
 * The synthetic hotline: anonymous calls with coarse dates and regions, always "flagged". Its mapping document
 * maps its vocabulary to the canonical taxonomy; its encoder writes a canonical draft in that vocabulary and
 * returns the canonical values the written record really conveys. Invented, as every name says.
 */
import { MAPPING_FORMAT, UNKNOWN, type MappingDocument, type RawValue } from '@mosy/core';
import type { Draft, Encoded } from '../draft.js';
import type { Rng } from '../prng.js';
import { SYNTHETIC_PREFIX, mappingDescription, type ProviderProfile } from './profile.js';
import { ageBand, invert, setIf, vary } from './vocabulary.js';

const HOTLINE_FORM: Readonly<Record<string, string>> = {
  sexual: 'SEX',
  laboral: 'LAB',
  mendicidade: 'BEG',
  outra: 'OTH',
};

const hotlineMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: mappingDescription(
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

export const hotlineProfile: ProviderProfile = {
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
};
