import { describe, expect, it } from 'vitest';
import { COUNTRIES, EU_MEMBERS, isCountry } from './countries.js';

describe('EU_MEMBERS', () => {
  it('is the EU27 of 2020: the member states after the United Kingdom left, by ISO code', () => {
    // Written out from the EU's list of member states, in ISO 3166-1 alpha-2 (Greece GR, not Eurostat's EL).
    const eu27 = 'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(
      ' ',
    );
    expect(eu27).toHaveLength(27);
    expect([...EU_MEMBERS].sort()).toEqual([...eu27].sort());
  });

  it('holds only known countries: not Eurostat’s EL, not the former member GB (UK)', () => {
    expect([...EU_MEMBERS].every(isCountry)).toBe(true);
    expect(EU_MEMBERS.has('EL')).toBe(false);
    expect(EU_MEMBERS.has('GB')).toBe(false);
    expect(EU_MEMBERS.has('UK')).toBe(false);
  });
});

describe('isCountry', () => {
  it('knows ISO codes (Namibia is NA) and Kosovo, not Eurostat codes', () => {
    expect(isCountry('NA')).toBe(true);
    expect(isCountry('XK')).toBe(true);
    expect(isCountry('GR')).toBe(true);
    expect(isCountry('EL')).toBe(false);
    expect(isCountry('UK')).toBe(false);
    expect(isCountry('STLS')).toBe(false);
    expect(Object.keys(COUNTRIES).every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
  });
});
