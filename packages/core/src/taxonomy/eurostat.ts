/**
 * MoSy codes as Eurostat codes, for exports (contract §2, domain-research §1.3–1.4). Sex: `F`, `M`, and `UNK` for
 * both other (`X`) and unknown, since Eurostat's THB tables have no third sex; the total is `T`. Age: `Y_LT18`,
 * `Y_GE18`, `UNK` from the child/adult roll-up. Geography: ISO alpha-2 except `EL` (Greece) and `UK`. Citizenship
 * groups: `NAT`, `EU27_2020_FOR`, `NEU27_2020_FOR`, `STLS`, `UNK`.
 *
 * Forms of exploitation fold into Eurostat's four published groups — sexual exploitation, forced labour or
 * services, organ removal, other purposes. Eurostat's code values for these groups could not be confirmed, so
 * MoSy uses its own, documented here and in every export: `EXP_SEX` (SEX), `EXP_LAB` (LAB, and SLAV: slavery and
 * servitude are exploitation of labour or services), `EXP_ORG` (ORG), `EXP_OTH` (BEG, CRIM, MAR, ADOPT, SURR, OTH:
 * Eurostat counts forced begging and criminal activities under "other purposes"), and `UNK`.
 */
import { ageClassOf, type CitizenshipGroup } from '../counting/rules.js';
import { geoCountryIso } from './nuts.js';

/** The Eurostat code for a total over a dimension. */
export const EUROSTAT_TOTAL = 'TOTAL';
/** The Eurostat total of the sex dimension. */
export const EUROSTAT_SEX_TOTAL = 'T';

/** Sex: `F`, `M`; `X` and `UNK` → `UNK`. */
export const eurostatSex = (sex: string): 'F' | 'M' | 'UNK' => (sex === 'F' || sex === 'M' ? sex : 'UNK');

/** Age from an age group or age class: under 18 → `Y_LT18`, 18 or over → `Y_GE18`, else `UNK`. */
export function eurostatAge(ageGroupOrClass: string): 'Y_LT18' | 'Y_GE18' | 'UNK' {
  const ageClass = ageClassOf(ageGroupOrClass);
  return ageClass === 'child' ? 'Y_LT18' : ageClass === 'adult' ? 'Y_GE18' : 'UNK';
}

const ISO_TO_EUROSTAT: Readonly<Record<string, string>> = { GR: 'EL', GB: 'UK' };

/**
 * A geography code as Eurostat writes it: ISO `GR` → `EL`, `GB` → `UK`; NUTS codes (already `EL…`) and other ISO
 * codes unchanged; `UNK` stays `UNK`.
 */
export function eurostatGeo(code: string): string {
  if (code.length !== 2) return code;
  return ISO_TO_EUROSTAT[geoCountryIso(code)] ?? code;
}

const CITIZENSHIP: Readonly<Record<CitizenshipGroup, string>> = {
  NAT: 'NAT',
  EU_FOR: 'EU27_2020_FOR',
  NEU_FOR: 'NEU27_2020_FOR',
  STLS: 'STLS',
  UNK: 'UNK',
};

/** A citizenship group (counting/rules.ts) as a Eurostat `citizen` code. */
export const eurostatCitizenship = (group: CitizenshipGroup): string => CITIZENSHIP[group];

export type EurostatExploitation = 'EXP_SEX' | 'EXP_LAB' | 'EXP_ORG' | 'EXP_OTH' | 'UNK';
export const EUROSTAT_EXPLOITATION: Readonly<Record<EurostatExploitation, string>> = {
  EXP_SEX: 'Sexual exploitation',
  EXP_LAB: 'Forced labour or services',
  EXP_ORG: 'Organ removal',
  EXP_OTH: 'Other purposes',
  UNK: 'Unknown',
};

const EXPLOITATION_GROUPS: Readonly<Record<string, EurostatExploitation>> = {
  SEX: 'EXP_SEX',
  LAB: 'EXP_LAB',
  SLAV: 'EXP_LAB',
  ORG: 'EXP_ORG',
  BEG: 'EXP_OTH',
  CRIM: 'EXP_OTH',
  MAR: 'EXP_OTH',
  ADOPT: 'EXP_OTH',
  SURR: 'EXP_OTH',
  OTH: 'EXP_OTH',
};

/** The Eurostat group of one MoSy form of exploitation. */
export const eurostatExploitation = (code: string): EurostatExploitation =>
  EXPLOITATION_GROUPS[code] ?? 'UNK';

/** The distinct Eurostat groups of a person's forms of exploitation (a person counts once in each group). */
export function eurostatExploitationGroups(codes: readonly string[]): readonly EurostatExploitation[] {
  const groups = new Set(codes.map(eurostatExploitation));
  if (groups.size > 1) groups.delete('UNK');
  const order = Object.keys(EUROSTAT_EXPLOITATION) as EurostatExploitation[];
  return order.filter((group) => groups.has(group));
}
