/**
 * Writing to an `IntakeLedger` the way ingest does, through `recordSubmission`: the entry one submission leaves
 * behind, and a shortcut for tests that are about accepted versions (the backlog, durability) and not about receipts.
 */
import type { IntakeLedger, QualityEvent, SubmissionEntry } from '@mosy/core';

/** The entry of one submission that accepted every one of `records` (and saw `quality`), with its receipt. */
export function submissionEntry(submission: {
  readonly providerId: string;
  readonly submissionId: string;
  readonly receivedAt: number;
  readonly records: readonly { readonly recordId: string; readonly version: number }[];
  readonly quality?: readonly QualityEvent[];
}): SubmissionEntry {
  const { providerId, submissionId, receivedAt, records, quality = [] } = submission;
  return {
    accepted: records,
    quality,
    receipt: {
      submissionId,
      providerId,
      receivedAt,
      accepted: records.length,
      duplicates: 0,
      rejected: 0,
      records: records.map(({ recordId, version }) => ({ recordId, version, status: 'accepted' })),
    },
  };
}

let submissions = 0;

/** Records `records` as accepted for `providerId` by one submission that saved only them (no quality event). */
export async function acceptRecords(
  ledger: IntakeLedger,
  providerId: string,
  records: readonly { readonly recordId: string; readonly version: number }[],
): Promise<void> {
  submissions += 1;
  await ledger.recordSubmission(
    submissionEntry({ providerId, submissionId: `accept-${submissions}`, receivedAt: 0, records }),
  );
}
