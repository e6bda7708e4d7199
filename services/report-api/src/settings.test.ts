import { describe, expect, it } from 'vitest';
import { reportSettingsFromEnv } from './settings.js';

describe('reportSettingsFromEnv', () => {
  it('defaults to threshold 5, the cell key method and no reporting country', () => {
    expect(reportSettingsFromEnv({})).toEqual({ disclosure: { threshold: 5, adHoc: 'perturb' } });
    expect(
      reportSettingsFromEnv({
        MOSY_DISCLOSURE_THRESHOLD: '',
        MOSY_DISCLOSURE_ADHOC: '',
        MOSY_REPORTING_COUNTRY: '',
      }),
    ).toEqual({ disclosure: { threshold: 5, adHoc: 'perturb' } });
  });

  it('reads each setting', () => {
    expect(
      reportSettingsFromEnv({
        MOSY_DISCLOSURE_THRESHOLD: '10',
        MOSY_DISCLOSURE_ADHOC: 'suppress',
        MOSY_REPORTING_COUNTRY: 'GR',
      }),
    ).toEqual({ disclosure: { threshold: 10, adHoc: 'suppress' }, reportingCountry: 'GR' });
  });

  it('refuses wrong values, naming every variable', () => {
    expect(() =>
      reportSettingsFromEnv({
        MOSY_DISCLOSURE_THRESHOLD: '0',
        MOSY_DISCLOSURE_ADHOC: 'noise',
        MOSY_REPORTING_COUNTRY: 'EL',
      }),
    ).toThrow(
      'Invalid configuration: MOSY_DISCLOSURE_THRESHOLD must be an integer ≥ 1, got "0"; ' +
        'MOSY_DISCLOSURE_ADHOC must be perturb or suppress, got "noise"; ' +
        'MOSY_REPORTING_COUNTRY must be an ISO 3166-1 alpha-2 country code (GR for Greece), got "EL".',
    );
    expect(() => reportSettingsFromEnv({ MOSY_DISCLOSURE_THRESHOLD: '2.5' })).toThrow(/THRESHOLD/);
    expect(() => reportSettingsFromEnv({ MOSY_REPORTING_COUNTRY: 'pt' })).toThrow(/"pt"/);
  });
});
