/**
 * The synthetic shelter: Casa Abrigo, which already keeps canonical codes and sends CSV. Its mapping document maps
 * its vocabulary to the canonical taxonomy; its encoder writes a canonical draft in that vocabulary and returns
 * the canonical values the written record really conveys. Invented, as every name says.
 */
import { MAPPING_FORMAT, type MappingDocument, type RawValue } from '@mosy/core';
import type { Draft, Encoded } from '../draft.js';
import type { Rng } from '../prng.js';
import { SYNTHETIC_PREFIX, mappingDescription, type ProviderProfile } from './profile.js';
import { ageBand } from './vocabulary.js';

const shelterMapping: MappingDocument = {
  format: MAPPING_FORMAT,
  description: mappingDescription(
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

export const shelterProfile: ProviderProfile = {
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
};
