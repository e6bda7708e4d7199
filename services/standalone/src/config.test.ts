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

  it('reads how long a consumed log file may stay, within a minute', () => {
    expect(loadConfig({}).logConsumedRetentionMs).toBe(1000);
    expect(loadConfig({ MOSY_LOG_CONSUMED_RETENTION_MS: '60000' }).logConsumedRetentionMs).toBe(60_000);
    for (const bad of ['60001', '-1', '1.5', 'soon']) {
      expect(() => loadConfig({ MOSY_LOG_CONSUMED_RETENTION_MS: bad })).toThrow(
        new RegExp(`MOSY_LOG_CONSUMED_RETENTION_MS .*"${bad}"`),
      );
    }
  });

  it('reads a DuckDB memory limit as DuckDB writes sizes, naming the variable when it is not one', () => {
    expect(loadConfig({}).duckDbMemoryLimit).toBeUndefined();
    expect(loadConfig({ MOSY_DUCKDB_MEMORY_LIMIT: '2GB' }).duckDbMemoryLimit).toBe('2GB');
    expect(loadConfig({ MOSY_DUCKDB_MEMORY_LIMIT: '512MiB' }).duckDbMemoryLimit).toBe('512MiB');
    for (const bad of ['80%', 'lots', '2 G', '', '-1GB'])
      expect(() => loadConfig({ MOSY_DUCKDB_MEMORY_LIMIT: bad })).toThrow(
        new RegExp(`MOSY_DUCKDB_MEMORY_LIMIT .*"${bad}"`),
      );
  });

  it('refuses a reporting country that is not an ISO code, naming the variable', () => {
    expect(() => loadConfig({ MOSY_REPORTING_COUNTRY: 'EL' })).toThrow(/MOSY_REPORTING_COUNTRY.*"EL"/);
  });
});
