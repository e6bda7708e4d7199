/**
 * The synthetic demo dataset for `npm start`: loaded when the store is empty, through the same submission path as
 * any provider's data. Every provider name starts with "SYNTHETIC DEMO —" and the banner says so. The demo keys are
 * kept in the data folder (`demo-keys.json`, owner-only) so that the banner can show them on every start: they
 * unlock synthetic data only. A data folder that already holds real providers never gets demo data.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey } from '@mosy/http';
import { demoDataset, type SyntheticDataset, type TruthRecord } from '@mosy/synthetic';
import { findIndicator, passesFilters } from '@mosy/core';
import type { Registry, Role, SubmittedRecord } from '@mosy/core';
import type { Standalone } from './standalone.js';

export interface DemoKeys {
  readonly analyst: string;
  readonly coordinator: string;
  readonly provider: { readonly id: string; readonly key: string; readonly sampleRecord: SubmittedRecord };
}

const KEYS_FILE = 'demo-keys.json';
const CHUNK = 5_000;

export async function loadDemoIfEmpty(app: Standalone, dataDir: string): Promise<DemoKeys | undefined> {
  const keysFile = join(dataDir, KEYS_FILE);
  if (existsSync(keysFile)) return JSON.parse(readFileSync(keysFile, 'utf8')) as DemoKeys;
  if ((await app.registry.listProviders()).length > 0 || (await app.store.countRecords()) > 0)
    return undefined;

  const dataset = demoDataset();
  const providerKeys = new Map<string, string>();
  for (const provider of dataset.providers) {
    await app.registry.createProvider(
      { id: provider.id, type: provider.type, name: provider.name, createdAt: Date.now() },
      provider.mapping,
    );
    providerKeys.set(provider.id, await createKey(app.registry, 'provider', provider.id));
  }
  for (const { providerId, records } of dataset.submissions) {
    for (let i = 0; i < records.length; i += CHUNK) await app.submit(providerId, records.slice(i, i + CHUNK));
  }

  const sample = sampleSubmission(dataset);
  const keys: DemoKeys = {
    analyst: await createKey(app.registry, 'analyst'),
    coordinator: await createKey(app.registry, 'coordinator'),
    provider: {
      id: sample.providerId,
      key: providerKeys.get(sample.providerId) ?? '',
      sampleRecord: sample.record,
    },
  };
  writeFileSync(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

async function createKey(registry: Registry, role: Role, providerId?: string): Promise<string> {
  const { id, key, hash } = generateApiKey(role);
  await registry.createKey({
    id,
    hash,
    role,
    label: 'synthetic demo',
    createdAt: Date.now(),
    ...(providerId === undefined ? {} : { providerId }),
  });
  return key;
}

/**
 * A record for the banner's curl line: a copy of a demo victim under a new id, with no identity, chosen among the
 * records that the banner's read counts (the `victims` indicator's default filters: identified or presumed), so
 * that whoever follows the banner sees the count go up by one.
 */
function sampleSubmission(dataset: SyntheticDataset): { providerId: string; record: SubmittedRecord } {
  const victims = findIndicator('victims');
  if (victims === undefined) throw new Error('The catalogue has no victims indicator.');
  const truth = new Map(dataset.truth.map((t) => [`${t.providerId}/${t.recordId}`, t]));
  const counted = (t: TruthRecord | undefined): boolean =>
    t !== undefined &&
    !t.withdrawn &&
    passesFilters(t, { kind: victims.kind, filters: victims.defaultFilters });
  for (const { providerId, records } of dataset.submissions) {
    // The last version of a record counted as a victim: its fields map to what the truth says.
    const upsert = records.find((r) => {
      const t = truth.get(`${providerId}/${r.recordId}`);
      return r.action === 'upsert' && r.version === t?.version && counted(t);
    });
    if (upsert !== undefined) {
      const { identity: _identity, ...rest } = upsert;
      return { providerId, record: { ...rest, recordId: 'demo-curl-1', version: 1 } };
    }
  }
  throw new Error('The demo dataset has no counted victim record.');
}
