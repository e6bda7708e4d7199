/**
 * The synthetic world the records describe: invented victims and traffickers with their true attributes, and the
 * distributions the generator draws them from (regions, citizenships, forms of exploitation, statuses). Weights are
 * loosely shaped like published European THB figures — mostly women in sexual exploitation, men in forced labour,
 * many nationals and Brazilians in Portugal — so demo charts look plausible; they are not statistics.
 */
import type { Rng } from './prng.js';

/** Portuguese NUTS 3 regions (2024) with a weight for how often records fall there. */
export const PT_NUTS3: Readonly<Record<string, number>> = {
  PT111: 1,
  PT112: 2,
  PT119: 1,
  PT11A: 5,
  PT11B: 1,
  PT11C: 1,
  PT11D: 1,
  PT11E: 1,
  PT150: 3,
  PT191: 1,
  PT192: 1,
  PT193: 1,
  PT194: 1,
  PT195: 1,
  PT196: 1,
  PT1A0: 6,
  PT1B0: 3,
  PT1C1: 1,
  PT1C2: 2,
  PT1C3: 1,
  PT1C4: 2,
  PT1D1: 1,
  PT1D2: 1,
  PT1D3: 2,
  PT200: 1,
  PT300: 1,
};

/** Regions in other NUTS countries (levels 0–3), for identification or exploitation abroad. */
export const EU_REGIONS = [
  'ES30',
  'ES300',
  'ES511',
  'ES618',
  'FR10',
  'FR101',
  'FRL0',
  'EL30',
  'EL303',
  'RO32',
  'RO321',
  'DE300',
  'NL32',
  'BE100',
  'IT',
] as const;

/** Countries outside NUTS, as ISO codes. */
export const NON_EU_REGIONS = ['NG', 'BR', 'MA', 'IN', 'NP', 'CV', 'AO'] as const;

export const CITIZENSHIP: Readonly<Record<string, number>> = {
  PT: 22,
  BR: 14,
  RO: 8,
  NG: 7,
  UA: 5,
  IN: 5,
  NP: 5,
  CV: 4,
  AO: 4,
  MA: 4,
  BG: 3,
  PK: 3,
  BD: 3,
  MD: 2,
  VN: 2,
  CN: 2,
  GN: 2,
  SN: 2,
  ES: 1,
  FR: 1,
  NA: 1,
  STLS: 1,
};

export const LABOUR_SECTOR: Readonly<Record<string, number>> = {
  A: 30,
  I: 20,
  F: 15,
  C: 10,
  T: 10,
  N: 5,
  G: 4,
  H: 3,
  S: 3,
};

export const MEANS = [
  'DEBT',
  'EARNINGS',
  'FINANCIAL_ACCESS',
  'THREATS',
  'PSYCH_ABUSE',
  'PHYS_ABUSE',
  'SEX_ABUSE',
  'FALSE_PROMISES',
  'SUBSTANCES',
  'MOVEMENT',
  'MEDICAL_CARE',
  'EXCESSIVE_HOURS',
  'DOCUMENTS',
  'NECESSITIES',
  'OTH',
] as const;

export const RECRUITERS = ['PARTNER', 'FRIEND', 'FAMILY', 'EMPLOYER', 'OTH'] as const;

const EXPLOITATION_WEIGHTS = {
  SEX: 40,
  LAB: 38,
  BEG: 6,
  CRIM: 6,
  SLAV: 5,
  MAR: 2,
  OTH: 2,
  ORG: 0.5,
  ADOPT: 0.4,
  SURR: 0.3,
};

/** A true person of the synthetic world. */
export interface TruePerson {
  readonly id: number;
  readonly sex: 'F' | 'M' | 'X';
  readonly birthDay: number;
  readonly citizenship: readonly string[];
  readonly exploitation: readonly string[];
  readonly labourSector?: string;
  readonly regionOfIdentification: string;
  readonly regionOfExploitation?: string;
  readonly countryOfRecruitment?: string;
  readonly organisedCrime?: 'Y' | 'N';
}

export const pickPtNuts3 = (rng: Rng): string => rng.weighted(PT_NUTS3);

/** A region where someone is identified: mostly Portuguese NUTS 3, sometimes coarser, abroad or outside NUTS. */
export function pickRegion(rng: Rng): string {
  const where = rng.weighted({ pt3: 66, pt2: 12, pt0: 4, eu: 12, nonEu: 6 });
  switch (where) {
    case 'pt3':
      return pickPtNuts3(rng);
    case 'pt2':
      return pickPtNuts3(rng).slice(0, 4);
    case 'pt0':
      return rng.pick(['PT', 'PT1', 'PT2']);
    case 'eu':
      return rng.pick(EU_REGIONS);
    case 'nonEu':
      return rng.pick(NON_EU_REGIONS);
  }
}

function pickCitizenship(rng: Rng): string[] {
  const first = rng.weighted(CITIZENSHIP);
  if (first === 'STLS' || !rng.chance(0.12)) return [first];
  const second = rng.weighted(CITIZENSHIP);
  return second === first || second === 'STLS' ? [first] : [first, second];
}

function pickExploitation(rng: Rng, secondRate: number): string[] {
  const first = rng.weighted(EXPLOITATION_WEIGHTS);
  if (!rng.chance(secondRate)) return [first];
  const second = rng.weighted(EXPLOITATION_WEIGHTS);
  return second === first ? [first] : [first, second];
}

/** Days of age at the base day → a birth day; `age` in whole years. */
const birthDayFor = (rng: Rng, baseDay: number, age: number): number =>
  baseDay - age * 365 - Math.floor(age / 4) - rng.int(1, 364);

/** A victim, around `baseDay` (the first time anyone met them). */
export function drawVictim(rng: Rng, id: number, baseDay: number): TruePerson {
  const exploitation = pickExploitation(rng, 0.15);
  const sex =
    exploitation[0] === 'SEX'
      ? rng.weighted({ F: 85, M: 12, X: 3 })
      : exploitation[0] === 'LAB'
        ? rng.weighted({ M: 60, F: 39, X: 1 })
        : rng.weighted({ F: 55, M: 43, X: 2 });
  const band = rng.weighted({ child: 12, a18: 28, a25: 27, a35: 17, a45: 10, a55: 4, a65: 2 });
  const ages = {
    child: [6, 17],
    a18: [18, 24],
    a25: [25, 34],
    a35: [35, 44],
    a45: [45, 54],
    a55: [55, 64],
    a65: [65, 78],
  };
  const [lo, hi] = ages[band] as [number, number];
  const citizenship = pickCitizenship(rng);
  const regionOfIdentification = pickRegion(rng);
  const exploitationWhere = rng.weighted({ same: 50, pt: 15, eu: 15, nonEu: 5, unknown: 15 });
  const regionOfExploitation =
    exploitationWhere === 'same'
      ? regionOfIdentification
      : exploitationWhere === 'pt'
        ? pickPtNuts3(rng)
        : exploitationWhere === 'eu'
          ? rng.pick(EU_REGIONS)
          : exploitationWhere === 'nonEu'
            ? rng.pick(NON_EU_REGIONS)
            : undefined;
  const recruitment = rng.weighted({ citizenship: 70, pt: 10, other: 5, unknown: 15 });
  const firstCitizenship = citizenship[0]!;
  const countryOfRecruitment =
    recruitment === 'citizenship' && firstCitizenship !== 'STLS'
      ? firstCitizenship
      : recruitment === 'pt'
        ? 'PT'
        : recruitment === 'other'
          ? rng.pick(['ES', 'BR', 'NG', 'RO', 'TH'])
          : undefined;
  return {
    id,
    sex,
    birthDay: birthDayFor(rng, baseDay, rng.int(lo, hi)),
    citizenship,
    exploitation,
    ...(exploitation.includes('LAB') ? { labourSector: rng.weighted(LABOUR_SECTOR) } : {}),
    regionOfIdentification,
    ...(regionOfExploitation === undefined ? {} : { regionOfExploitation }),
    ...(countryOfRecruitment === undefined ? {} : { countryOfRecruitment }),
  };
}

/** A trafficker (suspected, then perhaps prosecuted and convicted). */
export function drawTrafficker(rng: Rng, id: number, baseDay: number): TruePerson {
  const exploitation = pickExploitation(rng, 0.2);
  const organisedCrime = rng.weighted({ Y: 45, N: 55 });
  const regionOfIdentification = rng.chance(0.85) ? pickPtNuts3(rng) : pickRegion(rng);
  return {
    id,
    sex: rng.weighted({ M: 72, F: 27, X: 1 }),
    birthDay: birthDayFor(rng, baseDay, rng.int(19, 66)),
    citizenship: pickCitizenship(rng),
    exploitation,
    ...(exploitation.includes('LAB') ? { labourSector: rng.weighted(LABOUR_SECTOR) } : {}),
    regionOfIdentification,
    ...(rng.chance(0.8)
      ? { regionOfExploitation: rng.chance(0.7) ? regionOfIdentification : pickRegion(rng) }
      : {}),
    organisedCrime,
  };
}
