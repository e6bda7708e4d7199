import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

describe('npm start with a bad setting', () => {
  it('exits with code 2 and one line naming every wrong variable, before it opens anything', () => {
    const run = spawnSync(process.execPath, ['--conditions=@mosy/source', '--import', 'tsx', main], {
      env: {
        ...process.env,
        MOSY_DISCLOSURE_THRESHOLD: '0',
        MOSY_REPORTING_COUNTRY: 'EL',
        MOSY_DATA_DIR: '/nonexistent/mosy-must-not-be-created',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'mosy: Invalid configuration: MOSY_DISCLOSURE_THRESHOLD must be an integer ≥ 1, got "0"; ' +
        'MOSY_REPORTING_COUNTRY must be an ISO 3166-1 alpha-2 country code (GR for Greece), got "EL".\n',
    );
    expect(run.stdout).toBe('');
  }, 60_000);
});
