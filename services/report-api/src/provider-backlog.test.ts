/**
 * The providers' activity answers coordinators and admins (not analysts), per provider, how many of its records
 * wait in the pipeline: accepted by ingest (in the intake ledger) at a version the indicator store does not hold
 * yet, leaving out versions dead-lettered. Over one in-memory DuckDB database, with the pipeline's steps taken by
 * hand so every figure is exact.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acceptRecords, buildNormalizedRecord as rec } from '@mosy/testkit';
import { startFixture, type Fixture } from './test-support/fixture.js';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture({ persons: 20, records: [] });
});
afterAll(async () => {
  await fixture?.close();
});

interface Activity {
  providers: { id: string; pending?: number }[];
}

const pending = async (
  role: 'analyst' | 'coordinator' | 'admin' = 'admin',
): Promise<Record<string, number | undefined>> => {
  const { status, body } = await fixture.get('/v1/status/providers', role);
  expect(status).toBe(200);
  return Object.fromEntries((body as Activity).providers.map((p) => [p.id, p.pending]));
};

it('counts accepted records until the store holds their version, leaving out dead letters', async () => {
  const [a, b, ...others] = fixture.dataset.providers.map((p) => p.id);
  if (a === undefined || b === undefined) throw new Error('the dataset needs two providers');
  const none = Object.fromEntries(others.map((id) => [id, 0]));
  const { ledger, store } = fixture.stores;
  expect(await pending()).toEqual({ [a]: 0, [b]: 0, ...none });

  await acceptRecords(ledger, a, [
    { recordId: 'r1', version: 1 },
    { recordId: 'r2', version: 1 },
    { recordId: 'r3', version: 2 },
  ]);
  await acceptRecords(ledger, b, [{ recordId: 'r1', version: 1 }]);
  expect(await pending()).toEqual({ [a]: 3, [b]: 1, ...none });
  expect(await pending('coordinator')).toEqual({ [a]: 3, [b]: 1, ...none });
  // Exact per-provider counts are not for analysts: they read the activity without them.
  expect(await pending('analyst')).toEqual(
    Object.fromEntries([a, b, ...others].map((id) => [id, undefined])),
  );

  // The normalizer dead-letters b's record: it will never be counted, so nothing of b's waits.
  await ledger.markDeadLettered([{ providerId: b, recordId: 'r1', version: 1 }]);
  // The aggregator applies two of a's records, r3 only at an older version than the one accepted.
  await store.apply([rec({ providerId: a, recordId: 'r1' }), rec({ providerId: a, recordId: 'r3' })]);
  expect(await pending()).toEqual({ [a]: 2, [b]: 0, ...none });

  await store.apply([
    rec({ providerId: a, recordId: 'r2' }),
    rec({ providerId: a, recordId: 'r3', version: 2 }),
  ]);
  expect(await pending()).toEqual({ [a]: 0, [b]: 0, ...none });
});
