/**
 * When the intake ledger refuses a submission as `unavailable` (its background applies keep failing, or too many
 * wait: journaled-ledger.ts's back-pressure), the ingest answers 503 problem+json with Retry-After, saying why, and
 * takes the same records once the ledger takes submissions again. The ledger's refusal itself is tested in
 * @mosy/store-duckdb; here the embedded runtime's ledger is wrapped so that it refuses while the test says so.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { MosyError } from '@mosy/core';
import type * as StoreDuckDb from '@mosy/store-duckdb';
import { startWorld, type World } from './test-support/world.js';

const refusal = vi.hoisted(() => ({ on: false }));

vi.mock('@mosy/store-duckdb', async (importOriginal) => {
  const original = await importOriginal<typeof StoreDuckDb>();
  return {
    ...original,
    createDuckDbStores: async (options: Parameters<typeof original.createDuckDbStores>[0]) => {
      const stores = await original.createDuckDbStores(options);
      const ledger = stores.ledger;
      return {
        ...stores,
        ledger: {
          ...ledger,
          recordSubmission: (entry: Parameters<typeof ledger.recordSubmission>[0]) =>
            refusal.on
              ? Promise.reject(
                  new MosyError(
                    'unavailable',
                    'The intake ledger could not save submissions to its database (3 attempts in a row failed; see the server log), so this submission was not recorded: send it again later.',
                  ),
                )
              : ledger.recordSubmission(entry),
        },
      };
    },
  };
});

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

it('answers 503 problem+json with Retry-After while the ledger refuses, and takes the records once it accepts', async () => {
  const records = world.records.slice(0, 2);
  refusal.on = true;
  const refused = await world.call('provider', 'POST', '/v1/submissions', { records });
  expect(refused.status).toBe(503);
  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(await refused.json()).toMatchObject({
    status: 503,
    code: 'unavailable',
    detail: expect.stringMatching(/was not recorded: send it again later/) as unknown,
  });

  refusal.on = false;
  const accepted = await world.call('provider', 'POST', '/v1/submissions', { records });
  expect(accepted.status).toBe(202);
  expect(await accepted.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
});
