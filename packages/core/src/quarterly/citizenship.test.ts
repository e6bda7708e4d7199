import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTRIES, EU_MEMBERS } from '../taxonomy/countries.js';
import {
  EUROSTAT_CITIZENSHIP_GROUPS,
  countByCitizenshipGroup,
  eurostatPersonCitizenship,
} from './citizenship.js';

describe('eurostatPersonCitizenship', () => {
  it('names the groups in Eurostat codes, in precedence order', () => {
    expect(EUROSTAT_CITIZENSHIP_GROUPS).toEqual(['NAT', 'EU27_2020_FOR', 'NEU27_2020_FOR', 'STLS', 'UNK']);
  });

  it('counts a dual citizen once: national, else EU, else non-EU, else stateless, else unknown', () => {
    const group = (codes: string[]) => eurostatPersonCitizenship(codes, 'PT');
    expect(group(['PT'])).toBe('NAT');
    expect(group(['BR', 'PT'])).toBe('NAT');
    expect(group(['PT', 'ES'])).toBe('NAT');
    expect(group(['BR', 'ES'])).toBe('EU27_2020_FOR');
    expect(group(['ES', 'FR'])).toBe('EU27_2020_FOR');
    expect(group(['BR', 'UA'])).toBe('NEU27_2020_FOR');
    expect(group(['STLS', 'BR'])).toBe('NEU27_2020_FOR');
    expect(group(['STLS'])).toBe('STLS');
    expect(group(['UNK', 'STLS'])).toBe('STLS');
    expect(group(['UNK', 'ES'])).toBe('EU27_2020_FOR');
    expect(group(['UNK'])).toBe('UNK');
    expect(group([])).toBe('UNK');
    // The United Kingdom left the EU before EU27_2020; Greece may be named by its NUTS code.
    expect(group(['GB'])).toBe('NEU27_2020_FOR');
    expect(eurostatPersonCitizenship(['GR', 'AL'], 'EL')).toBe('NAT');
  });

  const citizenship = fc.constantFrom(...Object.keys(COUNTRIES), 'STLS', 'UNK');

  it('puts every person in exactly one group, so the groups add up to the persons', () => {
    fc.assert(
      fc.property(fc.array(fc.array(citizenship, { maxLength: 3 }), { maxLength: 30 }), (persons) => {
        const counts = countByCitizenshipGroup(persons, 'PT');
        expect(Object.keys(counts)).toEqual([...EUROSTAT_CITIZENSHIP_GROUPS]);
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(persons.length);
      }),
    );
  });

  it('follows the precedence whatever the order of the citizenships', () => {
    fc.assert(
      fc.property(fc.array(citizenship, { maxLength: 4 }), (codes) => {
        const group = eurostatPersonCitizenship(codes, 'PT');
        expect(eurostatPersonCitizenship([...codes].reverse(), 'PT')).toBe(group);
        // Written independently: the precedence over what the codes are.
        const expected = codes.includes('PT')
          ? 'NAT'
          : codes.some((c) => EU_MEMBERS.has(c))
            ? 'EU27_2020_FOR'
            : codes.some((c) => c in COUNTRIES)
              ? 'NEU27_2020_FOR'
              : codes.includes('STLS')
                ? 'STLS'
                : 'UNK';
        expect(group).toBe(expected);
        expect(eurostatPersonCitizenship([...codes, 'PT'], 'PT')).toBe('NAT');
      }),
    );
  });

  it('counts dual citizens once in a small report', () => {
    const persons = [['PT', 'BR'], ['ES', 'BR'], ['BR'], ['UA', 'STLS'], ['STLS'], [], ['PT']];
    expect(countByCitizenshipGroup(persons, 'PT')).toEqual({
      NAT: 2,
      EU27_2020_FOR: 1,
      NEU27_2020_FOR: 2,
      STLS: 1,
      UNK: 1,
    });
  });
});
