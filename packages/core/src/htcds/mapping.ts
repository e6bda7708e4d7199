/**
 * The built-in mapping `htcds-2.0`: a provider that keeps IOM's Human Trafficking Case Data Standard 2.0 is
 * registered with `"mapping": "htcds-2.0"` and gets this document, an ordinary `mosy-mapping/1` mapping (stored
 * and versioned like any other, so a later hand-written version can refine it). Every HTCDS field with a MoSy
 * counterpart is read; every other HTCDS field is in `drop` (vocabulary.ts says why for each). Multi-select
 * picklists are `;`-separated, as Salesforce (the standard's reference platform) exports them.
 */
import type { MappingDocument } from '../mapping/format.js';
import {
  DROPPED,
  FORCED_LABOUR_INDUSTRY,
  GENDER,
  METHODS_OF_CONTROL,
  OTHER_TABLE_FIELDS,
  RELATIONSHIP_TO_TRAFFICKER,
  TRAFFICKING_STATUS,
  TYPE_OF_EXPLOITATION,
  valuesOf,
} from './vocabulary.js';

/** The name a provider registration uses for this mapping. */
export const HTCDS_MAPPING_NAME = 'htcds-2.0';

/** Which HTCDS field each canonical field is read from (for documentation and tests). */
export const HTCDS_SOURCES = {
  status: 'vic_TraffickingStatus',
  sex: 'prs_Gender',
  ageGroup: 'prs_Birthdate',
  citizenship: 'prs_Citizenship',
  exploitation: 'vic_TypeOfExploitation',
  meansOfControl: 'vic_MethodsOfControl',
  labourSector: 'vic_ForcedLabourIndustry',
  recruiterRelationship: 'vic_RelationshipToTrafficker',
  regionOfExploitation: 'vic_LocationOfExploitation',
  countryOfRecruitment: 'vic_LocationOfRecruitment',
} as const;

export const HTCDS_2_MAPPING: MappingDocument = {
  format: 'mosy-mapping/1',
  description:
    'Built-in mapping "htcds-2.0": IOM’s Human Trafficking Case Data Standard 2.0 (HTCDS by IOM, CC BY 4.0). Victim rows; picklist value names or labels, any case; multi-select values separated by ";"; locations as ISO 3166-1 alpha-2 or NUTS codes. See README "HTCDS 2.0".',
  unmapped: 'flag',
  fields: {
    // A status outside the standard's three would move a person in or out of the victim totals: refused.
    status: {
      from: HTCDS_SOURCES.status,
      values: valuesOf(TRAFFICKING_STATUS),
      caseInsensitive: true,
      unmapped: 'reject',
    },
    sex: { from: HTCDS_SOURCES.sex, values: valuesOf(GENDER), caseInsensitive: true },
    ageGroup: { from: HTCDS_SOURCES.ageGroup, transform: 'birthDate' },
    citizenship: { from: HTCDS_SOURCES.citizenship, split: ';', transform: 'upper' },
    exploitation: {
      from: HTCDS_SOURCES.exploitation,
      split: ';',
      values: valuesOf(TYPE_OF_EXPLOITATION),
      caseInsensitive: true,
    },
    meansOfControl: {
      from: HTCDS_SOURCES.meansOfControl,
      split: ';',
      values: valuesOf(METHODS_OF_CONTROL),
      caseInsensitive: true,
    },
    labourSector: {
      from: HTCDS_SOURCES.labourSector,
      values: valuesOf(FORCED_LABOUR_INDUSTRY),
      caseInsensitive: true,
    },
    recruiterRelationship: {
      from: HTCDS_SOURCES.recruiterRelationship,
      values: valuesOf(RELATIONSHIP_TO_TRAFFICKER),
      caseInsensitive: true,
    },
    // Free-text inputs in IOM's XLSForm: a non-code answer may be an address ("flat of …"), so it is counted, not kept.
    regionOfExploitation: {
      from: HTCDS_SOURCES.regionOfExploitation,
      transform: 'isoToNuts',
      unmapped: 'count',
    },
    countryOfRecruitment: { from: HTCDS_SOURCES.countryOfRecruitment, transform: 'upper', unmapped: 'count' },
  },
  drop: [...Object.keys(DROPPED).filter((field) => field !== 'prs_Birthdate'), ...OTHER_TABLE_FIELDS],
};

/** A built-in mapping by name, or undefined. */
export function builtinMapping(name: string): MappingDocument | undefined {
  return name === HTCDS_MAPPING_NAME ? HTCDS_2_MAPPING : undefined;
}
