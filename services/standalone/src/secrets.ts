/**
 * Secrets of the embedded runtime that the operator did not configure: generated once with a CSPRNG and kept in the
 * data folder (mode 0600), so that pseudonyms stay stable across restarts. They are never printed, except the
 * admin token on the first start of a new data folder, which is how an operator learns it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadOrCreateSecret(dataDir: string, name: string): { value: string; created: boolean } {
  const file = join(dataDir, name);
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  const value = randomBytes(32).toString('hex');
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, created: true };
}
