/**
 * Writing to an `IntakeLedger` the way ingest does, through `recordSubmission`, for tests that are about accepted
 * versions (the backlog, durability) and not about receipts: one submission per call, under a fresh id.
 */
import type { IntakeLedger } from '@mosy/core';

let submissions = 0;

/** Records `records` as accepted for `providerId` by one submission that saved only them (no quality event). */
export async function acceptRecords(
  ledger: IntakeLedger,
  providerId: string,
  records: readonly { readonly recordId: string; readonly version: number }[],
): Promise<void> {
  submissions += 1;
  await ledger.recordSubmission({
    accepted: records,
    quality: [],
    receipt: {
      submissionId: `accept-${submissions}`,
      providerId,
      receivedAt: 0,
      accepted: records.length,
      duplicates: 0,
      rejected: 0,
      records: records.map(({ recordId, version }) => ({ recordId, version, status: 'accepted' })),
    },
  });
}
