/**
 * A record version the bus dead-letters (here: the aggregator's store refuses the record for good) leaves the
 * providers' backlog, as one the normalizer dead-letters does: it will never be counted. The ledger and the records
 * topic are prepared while the runtime is stopped (a version accepted by ingest and published by the normalizer,
 * another accepted but not yet published), then the runtime starts and its aggregator meets the bad record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createMemoryEventBus } from '@mosy/bus-memory';
import type { NormalizedRecord } from '@mosy/core';
import { createLogger } from '@mosy/http';
import { createDuckDbStores } from '@mosy/store-duckdb';
import { generateDataset } from '@mosy/synthetic';
import { startStandalone } from './standalone.js';

const dir = mkdtempSync(join(tmpdir(), 'mosy-dead-letter-backlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = {
  dataDir: dir,
  port: 0,
  adminToken: `dead-letter-admin-${Math.random().toString(36).slice(2)}`,
  pseudonymSecret: 'dead-letter-backlog-pseudonym-secret-of-enough-bytes',
  logger: createLogger({ name: 'dead-letter-backlog', level: 'silent' }),
  webDir: false,
} as const;

async function call(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

it('leaves out of the backlog a version the aggregator dead-lettered, and keeps one still on its way', async () => {
  const provider = generateDataset({ seed: 5, persons: 5, years: [2024] }).providers[0];
  if (provider === undefined) throw new Error('the dataset has no provider');
  const first = await startStandalone(options);
  const created = await call(first.url, 'POST', '/v1/admin/providers', {
    id: provider.id,
    type: provider.type,
    name: provider.name,
    mapping: provider.mapping,
  });
  expect(created.status).toBe(201);
  await first.close();

  // Ingest accepted two versions; the normalizer published one of them, which no store can hold (a period end
  // that is not a date), and not yet the other.
  const stores = await createDuckDbStores({ path: join(dir, 'mosy.duckdb') });
  await stores.ledger.recordSubmission({
    accepted: [
      { recordId: 'bad', version: 3 },
      { recordId: 'on-its-way', version: 1 },
    ],
    quality: [],
    receipt: {
      submissionId: 'sub-1',
      providerId: provider.id,
      receivedAt: Date.UTC(2026, 0, 5),
      accepted: 2,
      duplicates: 0,
      rejected: 0,
      records: [
        { recordId: 'bad', version: 3, status: 'accepted' },
        { recordId: 'on-its-way', version: 1, status: 'accepted' },
      ],
    },
  });
  await stores.close();
  const bad: NormalizedRecord = {
    providerId: provider.id,
    providerType: provider.type,
    recordId: 'bad',
    version: 3,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2025-06-01',
    precision: 'day',
    periodStart: '2025-06-01',
    periodEnd: 'the first of June',
    personKey: 'r:bad',
    recordKey: 7,
    fields: { sex: 'F', status: 'IDENTIFIED' },
    quality: [],
    mappingVersion: 1,
    taxonomyVersion: '1',
    receivedAt: Date.UTC(2026, 0, 5),
  };
  const bus = await createMemoryEventBus({ dir: join(dir, 'log') });
  await bus.publish('records', [{ key: `${provider.id}/bad`, value: bad }]);
  await bus.close();

  const second = await startStandalone(options);
  try {
    for (;;) {
      const status = (await (await call(second.url, 'GET', '/v1/status')).json()) as { idle: boolean };
      if (status.idle) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const activity = (await (await call(second.url, 'GET', '/v1/status/providers')).json()) as {
      providers: unknown[];
    };
    expect(activity.providers).toEqual([
      {
        id: provider.id,
        name: provider.name,
        type: provider.type,
        submissions: 1,
        lastSubmittedAt: Date.UTC(2026, 0, 5),
        pending: 1,
      },
    ]);
    expect(await second.store.countRecords()).toBe(0);
  } finally {
    await second.close();
  }
});
