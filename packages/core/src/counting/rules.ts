/**
 * The counting rules of contract §4 that are more than a filter, shared by the stores, the exports and the
 * reference computation in the tests: which version of a record is current, who is a registered victim, the
 * child/adult roll-up of age groups, and the citizenship groups (national / other EU / non-EU / stateless)
 * relative to the reporting country.
 */
import type { NormalizedRecord } from '../records.js';
import { REGISTERED_STATUSES, type AGE_CLASSES } from '../taxonomy/codes.js';
import { EU_MEMBERS, STATELESS, isCountry } from '../taxonomy/countries.js';
import { geoCountryIso } from '../taxonomy/nuts.js';

/**
 * The current version of each record among `records`: per (providerId, recordId) the highest version; of equal
 * versions (a replay) the first seen. Withdrawals are kept, since a withdrawal must still remove the record from
 * a store. Stores use it to pre-reduce a batch. The result keeps the input order of the records it keeps.
 */
export function latestPerRecord<R extends Pick<NormalizedRecord, 'providerId' | 'recordId' | 'version'>>(
  records: readonly R[],
): R[] {
  const best = new Map<string, R>();
  for (const record of records) {
    // JSON of the pair keeps ids containing any separator apart.
    const key = JSON.stringify([record.providerId, record.recordId]);
    const current = best.get(key);
    if (current === undefined || record.version > current.version) best.set(key, record);
  }
  const kept = new Set(best.values());
  return records.filter((record) => kept.has(record));
}

/** Registered victims are identified or presumed (Eurostat). */
export const isRegistered = (status: string): boolean =>
  (REGISTERED_STATUSES as readonly string[]).includes(status);

export type AgeClass = keyof typeof AGE_CLASSES;

const CHILD_GROUPS: ReadonlySet<string> = new Set(['0-11', '12-15', '16-17', 'child']);
const ADULT_GROUPS: ReadonlySet<string> = new Set([
  '18-24',
  '25-34',
  '35-44',
  '45-54',
  '55-64',
  '65+',
  'adult',
]);

/** The roll-up of an age group: `child` (under 18), `adult`, or `UNK`. */
export function ageClassOf(ageGroup: string): AgeClass {
  if (CHILD_GROUPS.has(ageGroup)) return 'child';
  if (ADULT_GROUPS.has(ageGroup)) return 'adult';
  return 'UNK';
}

export type CitizenshipGroup = 'NAT' | 'EU_FOR' | 'NEU_FOR' | 'STLS' | 'UNK';
/** Display order, and the precedence used for a person with several citizenships. */
export const CITIZENSHIP_GROUPS: readonly CitizenshipGroup[] = ['NAT', 'EU_FOR', 'NEU_FOR', 'STLS', 'UNK'];

/**
 * The group of one citizenship code relative to the reporting country: `NAT` (the reporting country's own),
 * `EU_FOR` (another EU member state), `NEU_FOR` (any other country), `STLS` or `UNK`.
 * @param reportingCountry ISO alpha-2 (`GR`) or its NUTS form (`EL`).
 */
export function citizenshipGroup(code: string, reportingCountry: string): CitizenshipGroup {
  if (code === STATELESS) return 'STLS';
  if (!isCountry(code)) return 'UNK';
  if (code === geoCountryIso(reportingCountry)) return 'NAT';
  return EU_MEMBERS.has(code) ? 'EU_FOR' : 'NEU_FOR';
}

/**
 * The one group of a person with any number of citizenships, for tables that count each person once: the first of
 * NAT, EU_FOR, NEU_FOR, STLS, UNK that any of the codes falls in. A national who also holds another citizenship
 * counts as national, as national statistics do.
 */
export function personCitizenshipGroup(codes: readonly string[], reportingCountry: string): CitizenshipGroup {
  const groups = new Set(codes.map((code) => citizenshipGroup(code, reportingCountry)));
  return CITIZENSHIP_GROUPS.find((group) => groups.has(group)) ?? 'UNK';
}
