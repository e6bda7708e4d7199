import { describe, expect, it } from 'vitest';
import { AGE_GROUPS, EXPLOITATION, SEX } from './codes.js';
import {
  eurostatAge,
  eurostatCitizenship,
  eurostatExploitation,
  eurostatExploitationGroups,
  eurostatGeo,
  eurostatSex,
} from './eurostat.js';

describe('Eurostat codes', () => {
  it('maps sex, with other and unknown as UNK', () => {
    expect(Object.keys(SEX).map(eurostatSex)).toEqual(['F', 'M', 'UNK', 'UNK']);
  });

  it('maps age groups and classes to under / over 18', () => {
    expect(Object.keys(AGE_GROUPS).map(eurostatAge)).toEqual([
      'Y_LT18',
      'Y_LT18',
      'Y_LT18',
      'Y_GE18',
      'Y_GE18',
      'Y_GE18',
      'Y_GE18',
      'Y_GE18',
      'Y_GE18',
      'Y_LT18',
      'Y_GE18',
      'UNK',
    ]);
  });

  it('writes Greece and the United Kingdom the Eurostat way', () => {
    expect(['GR', 'EL', 'GB', 'UK', 'PT', 'EL30', 'PT11', 'UNK'].map(eurostatGeo)).toEqual([
      'EL',
      'EL',
      'UK',
      'UK',
      'PT',
      'EL30',
      'PT11',
      'UNK',
    ]);
  });

  it('maps citizenship groups', () => {
    expect((['NAT', 'EU_FOR', 'NEU_FOR', 'STLS', 'UNK'] as const).map(eurostatCitizenship)).toEqual([
      'NAT',
      'EU27_2020_FOR',
      'NEU27_2020_FOR',
      'STLS',
      'UNK',
    ]);
  });

  it('folds every form of exploitation into the four published groups', () => {
    expect(Object.fromEntries(Object.keys(EXPLOITATION).map((c) => [c, eurostatExploitation(c)]))).toEqual({
      SEX: 'EXP_SEX',
      LAB: 'EXP_LAB',
      BEG: 'EXP_OTH',
      CRIM: 'EXP_OTH',
      SLAV: 'EXP_LAB',
      ORG: 'EXP_ORG',
      MAR: 'EXP_OTH',
      ADOPT: 'EXP_OTH',
      SURR: 'EXP_OTH',
      OTH: 'EXP_OTH',
      UNK: 'UNK',
    });
  });

  it('gives the distinct groups of a person, UNK only alone', () => {
    expect(eurostatExploitationGroups(['BEG', 'SEX', 'CRIM', 'UNK'])).toEqual(['EXP_SEX', 'EXP_OTH']);
    expect(eurostatExploitationGroups(['UNK'])).toEqual(['UNK']);
    expect(eurostatExploitationGroups(['SLAV', 'LAB'])).toEqual(['EXP_LAB']);
  });
});
