/**
 * Citizenship groups of the quarterly Common Key Indicators report, with Eurostat's precedence: a person with
 * several citizenships is counted in exactly one group, the first of national (`NAT`), other EU
 * (`EU27_2020_FOR`), non-EU (`NEU27_2020_FOR`), stateless (`STLS`) and unknown (`UNK`) that one of them falls in.
 * So the groups add up to the persons counted, which the report's tables need for additive margins. (The ad-hoc
 * SDMX-CSV of the report API counts a dual citizen in both groups instead, as any multi-valued field.) The
 * grouping of one code and the precedence are those of `counting/rules.ts`; this module only names the result in
 * Eurostat's codes and counts persons by it.
 */
import { CITIZENSHIP_GROUPS, personCitizenshipGroup } from '../counting/rules.js';
import { eurostatCitizenship } from '../taxonomy/eurostat.js';

/** A Eurostat `citizen` code of the report: `NAT`, `EU27_2020_FOR`, `NEU27_2020_FOR`, `STLS` or `UNK`. */
export type EurostatCitizenshipGroup = 'NAT' | 'EU27_2020_FOR' | 'NEU27_2020_FOR' | 'STLS' | 'UNK';

/** The report's citizenship groups in Eurostat's order, which is also their precedence. */
export const EUROSTAT_CITIZENSHIP_GROUPS: readonly EurostatCitizenshipGroup[] = CITIZENSHIP_GROUPS.map(
  (group) => eurostatCitizenship(group) as EurostatCitizenshipGroup,
);

/**
 * The one Eurostat citizenship group of a person: `NAT` if any citizenship is the reporting country's, else
 * `EU27_2020_FOR` if any is another EU member state's, else `NEU27_2020_FOR` if any is another country's, else
 * `STLS` if the person is stateless, else `UNK` (no citizenship recorded, or none known).
 * @param citizenships ISO alpha-2 codes, `STLS` or `UNK`, in any order.
 * @param reportingCountry ISO alpha-2 (`GR`) or its NUTS form (`EL`).
 */
export const eurostatPersonCitizenship = (
  citizenships: readonly string[],
  reportingCountry: string,
): EurostatCitizenshipGroup =>
  eurostatCitizenship(personCitizenshipGroup(citizenships, reportingCountry)) as EurostatCitizenshipGroup;

/**
 * Persons per Eurostat citizenship group, each person in exactly one group, every group present (0 when empty):
 * the counts add up to the number of persons.
 */
export function countByCitizenshipGroup(
  persons: readonly (readonly string[])[],
  reportingCountry: string,
): Readonly<Record<EurostatCitizenshipGroup, number>> {
  const counts = Object.fromEntries(EUROSTAT_CITIZENSHIP_GROUPS.map((group) => [group, 0])) as Record<
    EurostatCitizenshipGroup,
    number
  >;
  for (const citizenships of persons) counts[eurostatPersonCitizenship(citizenships, reportingCountry)] += 1;
  return counts;
}
