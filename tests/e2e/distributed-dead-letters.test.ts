/**
 * On the distributed runtime (service processes on real Kafka and ClickHouse): a record version the aggregator's
 * bus dead-letters (ClickHouse refuses the record for good) leaves the providers' backlog, while a version accepted
 * and not yet published stays in it. The ledger and the records topic are written by the test as ingest and the
 * normalizer would have, so the figures are exact: one record waiting, not two.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKafkaEventBus } from '@mosy/bus-kafka';
import type { NormalizedRecord } from '@mosy/core';
import { createClickHouseStores } from '@mosy/store-clickhouse';
import { generateDataset } from '@mosy/testkit';
import { startDistributed, type DistributedSystem } from './lib/distributed.js';

let system: DistributedSystem;
beforeAll(async () => {
  system = await startDistributed();
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

const call = (method: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${system.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${system.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

it('leaves out of the backlog a version the aggregator dead-lettered, and keeps one still on its way', async () => {
  const provider = generateDataset({ seed: 5, persons: 5, years: [2024] }).providers[0];
  if (provider === undefined) throw new Error('the dataset has no provider');
  const created = await call('POST', '/v1/admin/providers', {
    id: provider.id,
    type: provider.type,
    name: provider.name,
    mapping: provider.mapping,
  });
  expect(created.status).toBe(201);

  const receivedAt = Date.UTC(2026, 0, 5);
  const stores = await createClickHouseStores({
    url: system.env.MOSY_CLICKHOUSE_URL!,
    database: system.database,
  });
  try {
    await stores.ledger.recordSubmission({
      accepted: [
        { recordId: 'bad', version: 3 },
        { recordId: 'on-its-way', version: 1 },
      ],
      quality: [],
      receipt: {
        submissionId: 'sub-1',
        providerId: provider.id,
        receivedAt,
        accepted: 2,
        duplicates: 0,
        rejected: 0,
        records: [
          { recordId: 'bad', version: 3, status: 'accepted' },
          { recordId: 'on-its-way', version: 1, status: 'accepted' },
        ],
      },
    });
  } finally {
    await stores.close();
  }
  // What the normalizer would have published for the first: a period end that is not a date, which no store holds.
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
    receivedAt,
  };
  const bus = await createKafkaEventBus({
    brokers: system.env.MOSY_KAFKA_BROKERS!.split(','),
    registryUrl: system.env.MOSY_SCHEMA_REGISTRY_URL!,
    clientId: 'mosy-e2e-dead-letters',
    topics: system.topics,
  });
  try {
    await bus.publish('records', [{ key: `${provider.id}/bad`, value: bad }]);
  } finally {
    await bus.close();
  }

  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = (await (await call('GET', '/v1/status')).json()) as { idle: boolean };
    if (status.idle) break;
    if (Date.now() > deadline) throw new Error('the pipeline did not become idle in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const activity = (await (await call('GET', '/v1/status/providers')).json()) as { providers: unknown[] };
  expect(activity.providers).toEqual([
    {
      id: provider.id,
      name: provider.name,
      type: provider.type,
      submissions: 1,
      lastSubmittedAt: receivedAt,
      pending: 1,
    },
  ]);
}, 120_000);
