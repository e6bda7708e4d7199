import { describe, expect, it } from 'vitest';
import { geoAtLevel, geoCodeProblem, geoCountryIso, geoWithin, nutsLevel } from './nuts.js';

describe('geography codes', () => {
  it('accepts NUTS codes of every level and ISO codes outside NUTS', () => {
    for (const code of ['PT', 'PT1', 'PT11', 'PT111', 'EL30', 'NG', 'GB', 'NA'])
      expect(geoCodeProblem(code)).toBeUndefined();
  });
  it('explains why a code is refused', () => {
    expect(geoCodeProblem('GR3')).toMatch(/use the NUTS code EL3/);
    expect(geoCodeProblem('NG1')).toMatch(/no NUTS regions/);
    expect(geoCodeProblem('QQ')).toMatch(/not an ISO/);
    expect(geoCodeProblem('pt11')).toMatch(/not a NUTS code/);
    expect(geoCodeProblem('PT1111')).toMatch(/not a NUTS code/);
  });
  it('derives the hierarchy from prefixes', () => {
    expect(nutsLevel('PT111')).toBe(3);
    expect(geoAtLevel('PT111', 1)).toBe('PT1');
    expect(geoAtLevel('PT', 2)).toBe('PT');
    expect(geoWithin('PT111', 'PT1')).toBe(true);
    expect(geoWithin('PT20', 'PT1')).toBe(false);
    expect(geoCountryIso('EL30')).toBe('GR');
  });
});
