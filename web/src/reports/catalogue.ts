/**
 * What the report builder offers: the indicator catalogue, the taxonomy's code lists (for labels and provider
 * types), the registered providers (from the quality report, which lists them for analysts and coordinators) and
 * the region names, loaded once when the page opens.
 */
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';

export type Indicator = Schema<'Indicator'>;

export interface Catalogue {
  readonly indicators: readonly Indicator[];
  readonly codeLists: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly providers: readonly string[];
  readonly regions: readonly { readonly id: string; readonly name: string }[];
}

/** The taxonomy's code list of each breakdown dimension. */
const CODE_LIST: Readonly<Record<string, string>> = {
  sex: 'sex',
  ageGroup: 'ageGroup',
  ageClass: 'ageClass',
  exploitation: 'exploitation',
  status: 'status',
  citizenship: 'country',
  countryOfRecruitment: 'country',
  assistance: 'yesNo',
  reflectionPeriod: 'yesNo',
  residencePermit: 'yesNo',
  organisedCrime: 'yesNo',
  meansOfControl: 'meansOfControl',
  recruiterRelationship: 'recruiterRelationship',
  labourSector: 'labourSector',
  outcome: 'outcome',
  providerType: 'providerType',
};

/** The label of a code of a dimension, or the code itself where the taxonomy has none (providers, regions). */
export function codeLabel(catalogue: Catalogue, dim: string, code: string): string {
  const list = CODE_LIST[dim];
  const label = list === undefined ? undefined : catalogue.codeLists[list]?.[code];
  if (label !== undefined) return label;
  if (dim.startsWith('region')) return catalogue.regions.find((r) => r.id === code)?.name ?? code;
  return code;
}

export async function loadCatalogue(): Promise<Catalogue> {
  const [indicators, taxonomy, quality, regions] = await Promise.all([
    client.GET('/v1/indicators'),
    client.GET('/v1/taxonomy'),
    client.GET('/v1/reports/quality'),
    client.GET('/v1/regions'),
  ]);
  if (indicators.data === undefined) throw failure(indicators.response, indicators.error);
  if (taxonomy.data === undefined) throw failure(taxonomy.response, taxonomy.error);
  if (quality.data === undefined) throw failure(quality.response, quality.error);
  if (regions.data === undefined) throw failure(regions.response, regions.error);
  return {
    indicators: indicators.data.indicators,
    codeLists: taxonomy.data.codeLists,
    providers: quality.data.providers.map((p) => p.providerId),
    regions: regions.data.regions.filter((r) => r.level <= 2).map(({ id, name }) => ({ id, name })),
  };
}
