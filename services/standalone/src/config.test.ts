import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('reads the report settings as the distributed report API does', () => {
    expect(loadConfig({}).report).toEqual({ disclosure: { threshold: 5, adHoc: 'perturb' } });
    expect(
      loadConfig({
        MOSY_REPORTING_COUNTRY: 'PT',
        MOSY_DISCLOSURE_THRESHOLD: '3',
        MOSY_DISCLOSURE_ADHOC: 'suppress',
      }).report,
    ).toEqual({ disclosure: { threshold: 3, adHoc: 'suppress' }, reportingCountry: 'PT' });
  });

  it('refuses a reporting country that is not an ISO code, naming the variable', () => {
    expect(() => loadConfig({ MOSY_REPORTING_COUNTRY: 'EL' })).toThrow(/MOSY_REPORTING_COUNTRY.*"EL"/);
  });
});
