/**
 * Geography codes: NUTS 2024 (levels 0–3) inside the NUTS area, ISO 3166-1 alpha-2 outside it. Validation is by
 * pattern and by the NUTS country list, so it needs no data file; the hierarchy follows from the code prefixes
 * (`PT` ⊃ `PT1` ⊃ `PT11` ⊃ `PT111`). Region names come from the geo data folder at run time (see geo-names in the
 * services), never from this module.
 */
import { isCountry } from './countries.js';

/** Countries with NUTS 2024 regions (Eurostat codes: `EL` is Greece). */
export const NUTS_COUNTRIES: ReadonlySet<string> = new Set(
  'AL AT BA BE BG CH CY CZ DE DK EE EL ES FI FR HR HU IE IS IT LI LT LU LV ME MK MT NL NO PL PT RO RS SE SI SK TR UA XK'.split(
    ' ',
  ),
);

/** ISO codes whose NUTS/Eurostat code differs. */
const ISO_TO_NUTS: Readonly<Record<string, string>> = { GR: 'EL' };
const NUTS_TO_ISO: Readonly<Record<string, string>> = { EL: 'GR' };

export type NutsLevel = 0 | 1 | 2 | 3;

const NUTS_PATTERN = /^[A-Z]{2}[0-9A-Z]{0,3}$/;

/** Why a geography code is not valid, or undefined when it is. */
export function geoCodeProblem(code: string): string | undefined {
  if (!NUTS_PATTERN.test(code))
    return `"${code}" is not a NUTS code (e.g. PT11) or an ISO 3166-1 alpha-2 code`;
  const country = code.slice(0, 2);
  if (NUTS_COUNTRIES.has(country)) return undefined;
  const nuts = ISO_TO_NUTS[country];
  if (nuts !== undefined)
    return `"${code}": ${country} is inside NUTS; use the NUTS code ${nuts + code.slice(2)}`;
  if (code.length > 2) return `"${code}": ${country} has no NUTS regions; use the ISO country code alone`;
  if (!isCountry(code)) return `"${code}" is not an ISO 3166-1 alpha-2 country code`;
  return undefined;
}

export const isGeoCode = (code: unknown): code is string =>
  typeof code === 'string' && geoCodeProblem(code) === undefined;

/** The NUTS level of a valid geography code (an ISO code outside NUTS counts as level 0). */
export const nutsLevel = (code: string): NutsLevel => (code.length - 2) as NutsLevel;

/** The code's ancestor at `level`, or the code itself when it is not that detailed. */
export const geoAtLevel = (code: string, level: NutsLevel): string => code.slice(0, 2 + level);

/** True when `code` is `ancestor` or lies below it. */
export const geoWithin = (code: string, ancestor: string): boolean => code.startsWith(ancestor);

/** The country of a geography code, as an ISO 3166-1 alpha-2 code (`EL…` → `GR`). */
export const geoCountryIso = (code: string): string => {
  const country = code.slice(0, 2);
  return NUTS_TO_ISO[country] ?? country;
};

/** An ISO country code as a NUTS level-0 code (`GR` → `EL`). */
export const isoToNutsCountry = (iso: string): string => ISO_TO_NUTS[iso] ?? iso;
