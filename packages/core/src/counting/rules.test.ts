import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGE_GROUPS, VICTIM_STATUS } from '../taxonomy/codes.js';
import { COUNTRIES, EU_MEMBERS } from '../taxonomy/countries.js';
import {
  ageClassOf,
  citizenshipGroup,
  isRegistered,
  latestPerRecord,
  personCitizenshipGroup,
} from './rules.js';

describe('latestPerRecord', () => {
  it('keeps the highest version per provider and record, the first of equal versions, in input order', () => {
    const records = [
      { providerId: 'a', recordId: '1', version: 1, tag: 'a1v1' },
      { providerId: 'b', recordId: '1', version: 1, tag: 'b1v1' },
      { providerId: 'a', recordId: '1', version: 3, tag: 'a1v3' },
      { providerId: 'a', recordId: '2', version: 2, tag: 'a2v2' },
      { providerId: 'a', recordId: '1', version: 2, tag: 'a1v2' },
      { providerId: 'a', recordId: '2', version: 2, tag: 'a2v2-replay' },
    ];
    expect(latestPerRecord(records).map((r) => r.tag)).toEqual(['b1v1', 'a1v3', 'a2v2']);
  });

  it('does not confuse ids that share a separator', () => {
    const records = [
      { providerId: 'a/b', recordId: 'c', version: 1 },
      { providerId: 'a', recordId: 'b/c', version: 2 },
    ];
    expect(latestPerRecord(records)).toEqual(records);
  });

  it('agrees with a brute-force reduction (property)', () => {
    const record = fc.record({
      providerId: fc.constantFrom('p', 'q'),
      recordId: fc.constantFrom('1', '2', '3'),
      version: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const kept = latestPerRecord(records);
        const keys = [...new Set(records.map((r) => `${r.providerId}|${r.recordId}`))];
        expect(kept.length).toBe(keys.length);
        for (const key of keys) {
          const versions = records
            .filter((r) => `${r.providerId}|${r.recordId}` === key)
            .map((r) => r.version);
          const winner = kept.filter((r) => `${r.providerId}|${r.recordId}` === key);
          expect(winner.length).toBe(1);
          expect(winner[0]?.version).toBe(Math.max(...versions));
          expect(winner[0]).toBe(
            records.find((r) => `${r.providerId}|${r.recordId}` === key && r.version === winner[0]?.version),
          );
        }
        expect(kept).toEqual(records.filter((r) => kept.includes(r)));
      }),
    );
  });
});

describe('isRegistered', () => {
  it('is true for identified and presumed victims only', () => {
    expect(Object.keys(VICTIM_STATUS).filter(isRegistered)).toEqual(['IDENTIFIED', 'PRESUMED']);
    expect(isRegistered('UNK')).toBe(false);
  });
});

describe('ageClassOf', () => {
  it('rolls every age group up to child, adult or UNK', () => {
    expect(Object.fromEntries(Object.keys(AGE_GROUPS).map((g) => [g, ageClassOf(g)]))).toEqual({
      '0-11': 'child',
      '12-15': 'child',
      '16-17': 'child',
      '18-24': 'adult',
      '25-34': 'adult',
      '35-44': 'adult',
      '45-54': 'adult',
      '55-64': 'adult',
      '65+': 'adult',
      child: 'child',
      adult: 'adult',
      UNK: 'UNK',
    });
    expect(ageClassOf('17')).toBe('UNK');
  });
});

describe('citizenshipGroup', () => {
  it('groups relative to the reporting country', () => {
    expect(citizenshipGroup('PT', 'PT')).toBe('NAT');
    expect(citizenshipGroup('ES', 'PT')).toBe('EU_FOR');
    expect(citizenshipGroup('BR', 'PT')).toBe('NEU_FOR');
    expect(citizenshipGroup('PT', 'BR')).toBe('EU_FOR');
    expect(citizenshipGroup('NA', 'PT')).toBe('NEU_FOR');
    expect(citizenshipGroup('STLS', 'PT')).toBe('STLS');
    expect(citizenshipGroup('UNK', 'PT')).toBe('UNK');
    expect(citizenshipGroup('XX', 'PT')).toBe('UNK');
  });
  it('accepts the reporting country in its NUTS form', () => {
    expect(citizenshipGroup('GR', 'EL')).toBe('NAT');
    expect(citizenshipGroup('GR', 'GR')).toBe('NAT');
  });
  it('puts exactly the 26 other member states in EU_FOR', () => {
    const euFor = Object.keys(COUNTRIES).filter((c) => citizenshipGroup(c, 'PT') === 'EU_FOR');
    expect(euFor.length).toBe(26);
    expect(EU_MEMBERS.size).toBe(27);
  });
  it('gives a person with several citizenships the first group in NAT, EU_FOR, NEU_FOR, STLS, UNK', () => {
    expect(personCitizenshipGroup(['BR', 'PT'], 'PT')).toBe('NAT');
    expect(personCitizenshipGroup(['BR', 'ES'], 'PT')).toBe('EU_FOR');
    expect(personCitizenshipGroup(['BR', 'UNK'], 'PT')).toBe('NEU_FOR');
    expect(personCitizenshipGroup(['UNK'], 'PT')).toBe('UNK');
    expect(personCitizenshipGroup([], 'PT')).toBe('UNK');
  });
});
