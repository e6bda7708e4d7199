/**
 * Sending entered records: one record from the form, or every waiting one. The submission call is the only request
 * that carries identity. A call that cannot reach the server (offline, network down) leaves the records waiting;
 * an answer settles each record by its receipt: accepted or duplicate, it leaves the browser; rejected, it stays
 * with the server's reasons.
 */
import type { Schema } from '@mosy/client';
import { client } from '../api.js';
import { problemOf } from '../problem.js';
import { drop, keep, waiting, type WaitingRecord } from './outbox.js';

export type Receipt = Schema<'SubmissionReceipt'>;

/** Sends records; undefined when the server could not be reached. Throws on a refused request (401, 400…). */
export async function submitRecords(
  records: readonly Readonly<Record<string, unknown>>[],
  dryRun = false,
): Promise<Receipt | undefined> {
  let result;
  try {
    result = await client.POST('/v1/submissions', {
      params: { query: dryRun ? { dryRun: 'true' } : {} },
      // The document types a record only as "an object" (the server checks each against the mapping).
      body: { records: records as unknown as Schema<'SubmittedRecord'>[] },
    });
  } catch (error) {
    // fetch rejects with a TypeError when there is no connection.
    if (error instanceof TypeError) return undefined;
    throw error;
  }
  const { data, error, response } = result;
  if (data === undefined) throw problemOf(response, error);
  return data;
}

/** Sends a CSV file as it is (bytes: the server detects its separator and encoding); `dryRun` previews. */
export async function submitCsv(file: Blob, dryRun: boolean): Promise<Receipt | undefined> {
  let result;
  try {
    result = await client.POST('/v1/submissions', {
      params: { query: dryRun ? { dryRun: 'true' } : {} },
      // The typed body is the CSV text; the file's own bytes are sent instead, so its encoding is left intact.
      body: '',
      bodySerializer: () => file,
      headers: { 'Content-Type': 'text/csv' },
    });
  } catch (error) {
    if (error instanceof TypeError) return undefined;
    throw error;
  }
  const { data, error, response } = result;
  if (data === undefined) throw problemOf(response, error);
  return data;
}

/** Settles waiting records by a receipt: accepted and duplicates are deleted, rejected ones keep their reasons. */
export async function settle(sent: readonly WaitingRecord[], receipt: Receipt): Promise<void> {
  const done: string[] = [];
  for (const [i, r] of receipt.records.entries()) {
    const record = sent[r.index ?? i];
    if (record === undefined) continue;
    if (r.status === 'rejected') await keep({ ...record, issues: r.issues ?? [] });
    else done.push(record.recordId);
  }
  await drop(done);
}

/** Sends every waiting record of the provider that has not been refused; how many left the browser. */
export async function flush(providerId: string): Promise<number | undefined> {
  const pending = (await waiting(providerId)).filter((w) => w.issues === undefined);
  if (pending.length === 0) return 0;
  const receipt = await submitRecords(pending.map((w) => w.record));
  if (receipt === undefined) return undefined;
  await settle(pending, receipt);
  return receipt.accepted + receipt.duplicates;
}
