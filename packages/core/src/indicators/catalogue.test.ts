import { describe, expect, it } from 'vitest';
import { fieldValueProblem, isCanonicalField } from '../taxonomy/fields.js';
import { INDICATORS, dimensionsOf, findIndicator } from './catalogue.js';

describe('the indicator catalogue', () => {
  it('has these indicators, with kebab-case unique ids', () => {
    expect(INDICATORS.map((i) => i.id)).toEqual([
      'victims',
      'victims-assisted',
      'victims-reflection-period',
      'victims-residence-permit',
      'suspects',
      'prosecuted',
      'prosecutions-finalised',
      'convicted',
    ]);
    for (const { id } of INDICATORS) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('covers every Common Key Indicator once', () => {
    const refs = INDICATORS.flatMap((i) => i.cki.map((c) => c.ref));
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs.filter((r) => /^\d+\.\d+$/.test(r)).sort()).toEqual(
      [
        '1.1',
        '1.2',
        '1.3',
        '1.4',
        '1.5',
        '1.6',
        '1.7',
        '1.8',
        '1.9',
        '1.10',
        '1.11',
        '2.1',
        '2.2',
        '2.3',
        '2.4',
        '3.1',
        '3.2',
        '3.3',
        '3.4',
        '4.1',
        '4.2',
      ].sort(),
    );
    expect(findIndicator('victims')?.cki.find((c) => c.ref === '1.4')?.by).toEqual(['sex', 'ageGroup']);
    expect(findIndicator('victims')?.cki.find((c) => c.ref === '1.1')?.by).toEqual(['providerType']);
    expect(findIndicator('suspects')?.cki.find((c) => c.ref === '2.2')?.by).toEqual(['organisedCrime']);
  });

  it('only breaks down by dimensions the indicator allows, with valid default filters', () => {
    for (const indicator of INDICATORS) {
      for (const { by } of indicator.cki) for (const d of by) expect(indicator.breakdowns).toContain(d);
      for (const [dimension, codes] of Object.entries(indicator.defaultFilters)) {
        expect(indicator.breakdowns).toContain(dimension);
        if (isCanonicalField(dimension))
          for (const code of codes) expect(fieldValueProblem(dimension, code)).toBeUndefined();
      }
    }
  });

  it('counts registered victims, assisted ones, and finalised prosecutions by default', () => {
    expect(findIndicator('victims')?.defaultFilters).toEqual({ status: ['IDENTIFIED', 'PRESUMED'] });
    expect(findIndicator('victims-assisted')?.defaultFilters).toEqual({
      status: ['IDENTIFIED', 'PRESUMED'],
      assistance: ['Y'],
    });
    expect(findIndicator('victims-residence-permit')?.defaultFilters).toEqual({
      status: ['IDENTIFIED', 'PRESUMED'],
      residencePermit: ['Y'],
    });
    expect(findIndicator('prosecutions-finalised')).toMatchObject({
      kind: 'prosecution',
      unit: 'cases',
      defaultFilters: { outcome: ['FINALISED_CONVICTION', 'FINALISED_ACQUITTAL', 'FINALISED_OTHER'] },
    });
    expect(findIndicator('suspects')?.defaultFilters).toEqual({});
    expect(findIndicator('nope')).toBeUndefined();
  });

  it('derives the dimensions of each kind from the field table', () => {
    expect(dimensionsOf('prosecution')).toEqual([
      'providerId',
      'providerType',
      'regionOfIdentification',
      'regionOfExploitation',
      'outcome',
    ]);
    expect(dimensionsOf('suspect')).toEqual([
      'providerId',
      'providerType',
      'sex',
      'ageGroup',
      'ageClass',
      'citizenship',
      'exploitation',
      'regionOfIdentification',
      'regionOfExploitation',
      'organisedCrime',
      'labourSector',
    ]);
  });
});
