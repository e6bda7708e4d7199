import { describe, expect, it } from 'vitest';
import { isMosyError, type FieldIssue } from '../errors.js';
import { findIndicator, type IndicatorDefinition } from '../indicators/catalogue.js';
import { namesProviders, parseIndicatorQuery, type QueryParams } from './parse.js';

const providers = [
  { id: 'psp', type: 'POLICE' },
  { id: 'gnr', type: 'POLICE' },
  { id: 'apav', type: 'NGO' },
];
const victims = findIndicator('victims')!;
const finalised = findIndicator('prosecutions-finalised')!;
const parse = (params: QueryParams, indicator: IndicatorDefinition = victims) =>
  parseIndicatorQuery(indicator, params, providers);
const issuesOf = (params: QueryParams, indicator: IndicatorDefinition = victims): readonly FieldIssue[] => {
  try {
    parse(params, indicator);
  } catch (error) {
    if (isMosyError(error) && error.code === 'invalid-query') return error.issues;
    throw error;
  }
  return [];
};
const messages = (params: QueryParams, indicator?: IndicatorDefinition) =>
  issuesOf(params, indicator).map((i) => i.message);

describe('parseIndicatorQuery', () => {
  it('builds the default query of an indicator', () => {
    expect(parse({})).toEqual({
      kind: 'victim',
      unit: 'persons',
      by: [],
      filters: { status: ['IDENTIFIED', 'PRESUMED'] },
    });
    expect(parse({}, finalised)).toEqual({
      kind: 'prosecution',
      unit: 'records',
      by: [],
      filters: { outcome: ['FINALISED_CONVICTION', 'FINALISED_ACQUITTAL', 'FINALISED_OTHER'] },
    });
  });

  it('reads breakdowns, periods, interval, unit and geography', () => {
    expect(
      parse({
        by: 'sex, ageGroup',
        from: '2026',
        to: '2026-Q2',
        interval: 'quarter',
        unit: 'records',
        geo: 'PT1,PT11',
        geoLevel: '2',
        sex: ['F', 'M,F'],
      }),
    ).toEqual({
      kind: 'victim',
      unit: 'records',
      by: ['sex', 'ageGroup'],
      interval: 'quarter',
      from: '2026-01-01',
      to: '2026-06-30',
      geoLevel: 2,
      filters: {
        sex: ['F', 'M'],
        regionOfIdentification: ['PT1', 'PT11'],
        status: ['IDENTIFIED', 'PRESUMED'],
      },
    });
    expect(parse({ from: '2026-02', to: '2026-02' })).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(parse({ geo: 'EL30', geoField: 'regionOfExploitation' }).filters).toEqual({
      regionOfExploitation: ['EL30'],
      status: ['IDENTIFIED', 'PRESUMED'],
    });
  });

  it('lets a filter on the same dimension replace the default', () => {
    expect(parse({ status: 'FLAGGED' }).filters).toEqual({ status: ['FLAGGED'] });
    expect(parse({ status: 'FLAGGED' }, findIndicator('victims-assisted')).filters).toEqual({
      status: ['FLAGGED'],
      assistance: ['Y'],
    });
    expect(parse({ outcome: 'ONGOING' }, finalised).filters).toEqual({ outcome: ['ONGOING'] });
  });

  it('expands provider ids and types into a providerId filter', () => {
    expect(parse({ providers: 'apav,type:POLICE' }).filters.providerId).toEqual(['apav', 'gnr', 'psp']);
    expect(parse({ providers: 'type:NGO' }).filters.providerId).toEqual(['apav']);
    expect(parse({ providerId: 'psp' }).filters.providerId).toEqual(['psp']);
  });

  it('keeps a provider type with no registered provider as a type filter: a true zero', () => {
    expect(parse({ providers: 'type:SHELTER' }).filters).toEqual({
      providerType: ['SHELTER'],
      status: ['IDENTIFIED', 'PRESUMED'],
    });
  });

  it('filters on derived dimensions', () => {
    expect(parse({ ageClass: 'child', providerType: 'NGO' }).filters).toMatchObject({
      ageClass: ['child'],
      providerType: ['NGO'],
    });
  });

  it('names every offending parameter', () => {
    expect(messages({ colour: 'red', by: 'outcome', sex: 'W', from: '2026-13' })).toEqual([
      'colour: unknown parameter (use by, from, to, interval, unit, providers, geo, geoField, geoLevel or a dimension: providerId, providerType, status, sex, ageGroup, ageClass, citizenship, exploitation, regionOfIdentification, regionOfExploitation, countryOfRecruitment, assistance, reflectionPeriod, residencePermit, meansOfControl, recruiterRelationship, labourSector)',
      'by: outcome is not a breakdown of victims (providerId, providerType, status, sex, ageGroup, ageClass, citizenship, exploitation, regionOfIdentification, regionOfExploitation, countryOfRecruitment, assistance, reflectionPeriod, residencePermit, meansOfControl, recruiterRelationship, labourSector)',
      'from: 2026-13 is not a date (YYYY-MM-DD) or period (YYYY-MM, YYYY-Qn, YYYY) between 1900 and 2100',
      'sex: "W" is not a code of sex (F, M, X, UNK)',
    ]);
    expect(issuesOf({ colour: 'red' })[0]).toMatchObject({ field: 'colour', code: 'invalid-query' });
  });

  it('refuses each kind of bad value', () => {
    expect(messages({ by: 'sex,sex' })).toEqual(['by: sex is listed twice']);
    expect(messages({ by: 'sex,ageGroup,citizenship,exploitation,providerType' })).toEqual([
      'by: at most 4 breakdowns, got 5',
    ]);
    expect(messages({ from: '2026-06-01', to: '2026-Q1' })).toEqual([
      'to: the period ends (2026-03-31) before it starts (2026-06-01)',
    ]);
    expect(messages({ interval: 'fortnight' })).toEqual([
      'interval: must be one of day, week, month, quarter, year',
    ]);
    expect(messages({ unit: 'cases' })).toEqual(['unit: must be persons or records']);
    expect(messages({ unit: 'persons' }, finalised)).toEqual([
      'unit: prosecutions-finalised counts cases, so its only unit is records',
    ]);
    expect(messages({ geoLevel: '4' })).toEqual(['geoLevel: must be a NUTS level 0, 1, 2 or 3']);
    expect(messages({ geo: 'GR3' })).toEqual(['geo: "GR3": GR is inside NUTS; use the NUTS code EL3']);
    expect(messages({ geo: 'PT', geoField: 'citizenship' })).toEqual([
      'geoField: must be regionOfIdentification or regionOfExploitation',
    ]);
    expect(messages({ geo: 'PT', regionOfIdentification: 'PT1' })).toEqual([
      'geo: give either geo or regionOfIdentification, not both',
    ]);
    expect(messages({ providers: 'psp,pj,type:COURTS' })).toEqual([
      'providers: "pj" is not a registered provider',
      'providers: "COURTS" is not a provider type (POLICE, BORDER, PROSECUTION, COURT, LABOUR_INSPECTION, NGO, SHELTER, SOCIAL_SERVICES, HEALTH, INTL_ORG, HOTLINE, OTHER)',
    ]);
    expect(messages({ providers: 'psp', providerId: 'gnr' })).toEqual([
      'providers: give either providers or providerId, not both',
    ]);
    expect(messages({ providerId: 'pj' })).toEqual(['providerId: "pj" is not a registered provider']);
    expect(messages({ providerType: 'CHURCH' })[0]).toMatch(/^providerType: "CHURCH" is not a provider type/);
    expect(messages({ ageClass: 'teen' })).toEqual([
      'ageClass: "teen" is not an age class (child, adult, UNK)',
    ]);
    expect(messages({ outcome: 'ONGOING' })).toEqual([
      'outcome: outcome does not apply to victims (victim records)',
    ]);
    expect(messages({ sex: ',' })).toEqual(['sex: no code given']);
    expect(messages({ from: ['2026', '2027'] })).toEqual(['from: give it once']);
    expect(messages({ sex: [{ a: 1 }] as unknown as string[] })).toEqual([
      'sex: must be a plain value or a comma-separated list',
    ]);
  });

  it('skips parameters the caller handles itself', () => {
    expect(
      parseIndicatorQuery(victims, { format: 'csv', sex: 'F' }, providers, { ignore: ['format'] }).filters
        .sex,
    ).toEqual(['F']);
    expect(messages({ format: 'csv' })[0]).toMatch(/^format: unknown parameter/);
  });

  it('reads the registered providers only for a query that names providers', () => {
    // Without providers or providerId the providers given change nothing (a report-api reads none for them).
    for (const params of [{}, { by: 'sex,ageGroup', interval: 'quarter' }, { by: 'providerId', sex: 'F' }]) {
      expect(namesProviders(params)).toBe(false);
      expect(parseIndicatorQuery(victims, params, [])).toEqual(parse(params));
    }
    expect(namesProviders({ providers: 'type:POLICE' })).toBe(true);
    expect(namesProviders({ providerId: 'psp' })).toBe(true);
    expect(namesProviders({ providerId: 'psp' }, { ignore: ['providerId'] })).toBe(false);
  });
});
