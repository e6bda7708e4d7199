// Group commit of the DuckDB ledger: submissions that wait together are written together, and apart when one fails.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubmissionEntry } from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from './duckdb-stores.js';

let stores: DuckDbStores;
beforeEach(async () => {
  stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
});
afterEach(async () => {
  await stores.close();
});

const entry = (submissionId: string, version: number): SubmissionEntry => ({
  accepted: [{ recordId: submissionId, version }],
  quality: [],
  receipt: {
    submissionId,
    providerId: 'ngo-1',
    receivedAt: 1_767_225_600_000,
    accepted: 1,
    duplicates: 0,
    rejected: 0,
    records: [{ recordId: submissionId, version, status: 'accepted' }],
  },
});

describe('DuckDB intake ledger, group commit', () => {
  it('fails only the submission that cannot be written, not the others of its group', async () => {
    // Made at once, the five calls wait together and are written as one group, whose transaction fails on the
    // version beyond BIGINT; each is then written alone.
    const calls = [entry('a', 1), entry('b', 2), entry('c', 2 ** 63), entry('d', 4), entry('e', 5)].map((e) =>
      stores.ledger.recordSubmission(e),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(new Map(await stores.ledger.acceptedVersions('ngo-1', ['a', 'b', 'c', 'd', 'e']))).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
        ['d', 4],
        ['e', 5],
      ]),
    );
    expect(await stores.ledger.getReceipt('ngo-1', 'c')).toBeUndefined();
    expect((await stores.ledger.activity())[0]?.submissions).toBe(4);
  });

  it('refuses a submission once the database is closed, keeping nothing', async () => {
    await stores.close();
    await expect(stores.ledger.recordSubmission(entry('late', 1))).rejects.toThrow('closed');
  });
});
