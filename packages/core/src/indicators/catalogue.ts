/**
 * The indicator catalogue: every indicator the report API serves, with the EU Common Key Indicators (CKI, 2011, as
 * used by Pan-EU MoSy; domain-research §1.1 and §6.2) each one answers. An indicator is a record kind, a unit, default
 * filters (victim indicators count registered victims: identified + presumed) and the breakdowns allowed. CKI
 * references follow the order of the CKI list: 1 victims, 2 suspects, 3 prosecutions, 4 convictions; `a` suffixes
 * are the Eurostat companions of a CKI (child/adult, citizenship alone) and `N.` the national extras.
 */
import type { Dimension } from '../query/model.js';
import { FINALISED_OUTCOMES, REGISTERED_STATUSES, type RecordKind } from '../taxonomy/codes.js';
import { CANONICAL_FIELDS, fieldAppliesTo } from '../taxonomy/fields.js';

/** One CKI (or national extra) that an indicator answers: the breakdown that produces it. */
export interface CkiReference {
  /** `1.3`, `2.2`, `N.1`… */
  readonly ref: string;
  readonly label: string;
  /** The breakdown dimensions, in order; empty for a plain count. */
  readonly by: readonly Dimension[];
}

export interface IndicatorDefinition {
  /** kebab-case, stable: used in URLs and exports. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly kind: RecordKind;
  /** `persons` indicators count distinct persons (or records on request); `cases` indicators count records. */
  readonly unit: 'persons' | 'cases';
  /** Applied unless the query filters the same dimension. */
  readonly defaultFilters: { readonly [D in Dimension]?: readonly string[] };
  /** Dimensions allowed as breakdowns and filters. */
  readonly breakdowns: readonly Dimension[];
  readonly cki: readonly CkiReference[];
}

/** The dimensions of a record kind: its canonical fields, the provider, and the age roll-up for persons. */
export function dimensionsOf(kind: RecordKind): readonly Dimension[] {
  const dimensions: Dimension[] = ['providerId', 'providerType'];
  for (const field of CANONICAL_FIELDS) {
    if (!fieldAppliesTo(field, kind)) continue;
    dimensions.push(field);
    if (field === 'ageGroup') dimensions.push('ageClass');
  }
  return dimensions;
}

const REGISTERED = { status: REGISTERED_STATUSES };

const indicator = (definition: Omit<IndicatorDefinition, 'breakdowns'>): IndicatorDefinition => ({
  ...definition,
  breakdowns: dimensionsOf(definition.kind),
});

export const INDICATORS: readonly IndicatorDefinition[] = [
  indicator({
    id: 'victims',
    label: 'Registered victims',
    description:
      'Persons registered as victims of trafficking (identified or presumed), counted once per person across providers.',
    kind: 'victim',
    unit: 'persons',
    defaultFilters: REGISTERED,
    cki: [
      { ref: '1.1', label: 'by source of information', by: ['providerType'] },
      { ref: '1.2', label: 'by age group', by: ['ageGroup'] },
      { ref: '1.2a', label: 'by age class (child / adult)', by: ['ageClass'] },
      { ref: '1.3', label: 'by gender', by: ['sex'] },
      { ref: '1.4', label: 'by gender and age group', by: ['sex', 'ageGroup'] },
      { ref: '1.5', label: 'by form of exploitation', by: ['exploitation'] },
      { ref: '1.6', label: 'by gender and form of exploitation', by: ['sex', 'exploitation'] },
      { ref: '1.7', label: 'by gender and nationality', by: ['sex', 'citizenship'] },
      { ref: '1.7a', label: 'by nationality', by: ['citizenship'] },
      { ref: '1.8', label: 'by gender and country of recruitment', by: ['sex', 'countryOfRecruitment'] },
      { ref: 'N.1', label: 'by region of identification', by: ['regionOfIdentification'] },
      { ref: 'N.2', label: 'by region of exploitation', by: ['regionOfExploitation'] },
      { ref: 'N.3', label: 'identified and presumed', by: ['status'] },
      { ref: 'N.4', label: 'by labour sector', by: ['labourSector'] },
    ],
  }),
  indicator({
    id: 'victims-assisted',
    label: 'Registered victims who received assistance',
    description: 'Registered victims (identified or presumed) recorded as having received assistance.',
    kind: 'victim',
    unit: 'persons',
    defaultFilters: { ...REGISTERED, assistance: ['Y'] },
    cki: [{ ref: '1.9', label: 'who received assistance, by gender', by: ['sex'] }],
  }),
  indicator({
    id: 'victims-reflection-period',
    label: 'Registered victims given a reflection period',
    description:
      'Registered victims (identified or presumed) recorded as having been given a reflection period.',
    kind: 'victim',
    unit: 'persons',
    defaultFilters: { ...REGISTERED, reflectionPeriod: ['Y'] },
    cki: [{ ref: '1.10', label: 'who were given a reflection period, by gender', by: ['sex'] }],
  }),
  indicator({
    id: 'victims-residence-permit',
    label: 'Registered victims given a residence permit',
    description:
      'Registered victims (identified or presumed) recorded as having been given a residence permit.',
    kind: 'victim',
    unit: 'persons',
    defaultFilters: { ...REGISTERED, residencePermit: ['Y'] },
    cki: [{ ref: '1.11', label: 'who were given a residence permit, by gender', by: ['sex'] }],
  }),
  indicator({
    id: 'suspects',
    label: 'Suspected traffickers',
    description: 'Persons suspected of trafficking in human beings (police data).',
    kind: 'suspect',
    unit: 'persons',
    defaultFilters: {},
    cki: [
      { ref: '2.1', label: 'by gender', by: ['sex'] },
      { ref: '2.2', label: 'involved in organised crime', by: ['organisedCrime'] },
      { ref: '2.3', label: 'by form of exploitation', by: ['exploitation'] },
      { ref: '2.4', label: 'by nationality', by: ['citizenship'] },
    ],
  }),
  indicator({
    id: 'prosecuted',
    label: 'Prosecuted traffickers',
    description: 'Persons prosecuted for trafficking in human beings.',
    kind: 'prosecuted',
    unit: 'persons',
    defaultFilters: {},
    cki: [
      { ref: '3.1', label: 'by gender', by: ['sex'] },
      { ref: '3.2', label: 'by nationality', by: ['citizenship'] },
      { ref: '3.3', label: 'by form of exploitation', by: ['exploitation'] },
    ],
  }),
  indicator({
    id: 'prosecutions-finalised',
    label: 'Finalised THB prosecutions',
    description:
      'Trafficking prosecutions (cases) finalised by a conviction, an acquittal or another final outcome.',
    kind: 'prosecution',
    unit: 'cases',
    defaultFilters: { outcome: FINALISED_OUTCOMES },
    cki: [
      { ref: '3.4', label: 'number of finalised prosecutions', by: [] },
      { ref: '3.4a', label: 'finalised prosecutions by outcome', by: ['outcome'] },
    ],
  }),
  indicator({
    id: 'convicted',
    label: 'Convicted traffickers',
    description: 'Persons convicted of trafficking in human beings (court data).',
    kind: 'convicted',
    unit: 'persons',
    defaultFilters: {},
    cki: [
      { ref: '4.1', label: 'by gender', by: ['sex'] },
      { ref: '4.2', label: 'by form of exploitation', by: ['exploitation'] },
    ],
  }),
];

/** The indicator with this id, or undefined. */
export const findIndicator = (id: string): IndicatorDefinition | undefined =>
  INDICATORS.find((definition) => definition.id === id);
