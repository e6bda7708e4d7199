import { describe, expect, it } from 'vitest';
import { loadDistributedConfig } from './config.js';

const REQUIRED = {
  MOSY_KAFKA_BROKERS: 'kafka:9092',
  MOSY_SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7',
  MOSY_CLICKHOUSE_URL: 'http://clickhouse:8123',
};

describe('loadDistributedConfig', () => {
  it('reads the reporting country, optional', () => {
    expect(loadDistributedConfig({ ...REQUIRED, MOSY_REPORTING_COUNTRY: 'GR' }, 8181).reportingCountry).toBe(
      'GR',
    );
    expect(loadDistributedConfig(REQUIRED, 8181).reportingCountry).toBeUndefined();
    expect(
      loadDistributedConfig({ ...REQUIRED, MOSY_REPORTING_COUNTRY: '' }, 8181).reportingCountry,
    ).toBeUndefined();
  });

  it('refuses a reporting country that is not an ISO code, naming the variable', () => {
    expect(() => loadDistributedConfig({ ...REQUIRED, MOSY_REPORTING_COUNTRY: 'EL' }, 8181)).toThrow(
      /MOSY_REPORTING_COUNTRY.*"EL"/,
    );
  });
});
