import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('reads the reporting country, optional', () => {
    expect(loadConfig({ MOSY_REPORTING_COUNTRY: 'PT' }).reportingCountry).toBe('PT');
    expect(loadConfig({}).reportingCountry).toBeUndefined();
    expect(loadConfig({ MOSY_REPORTING_COUNTRY: '' }).reportingCountry).toBeUndefined();
  });

  it('refuses a reporting country that is not an ISO code, naming the variable', () => {
    expect(() => loadConfig({ MOSY_REPORTING_COUNTRY: 'EL' })).toThrow(/MOSY_REPORTING_COUNTRY.*"EL"/);
    expect(() => loadConfig({ MOSY_REPORTING_COUNTRY: 'pt' })).toThrow(/MOSY_REPORTING_COUNTRY/);
  });
});
