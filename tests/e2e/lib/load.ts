/**
 * Loading a synthetic dataset into a running MoSy over its public HTTP API, as real providers would: the admin
 * registers each provider with its mapping (getting its key), then each provider submits its records in send order,
 * in JSON batches or — for the provider whose transport is CSV — as CSV uploads. Providers submit concurrently;
 * each provider's batches go one after another, so its versions arrive in order.
 */
import { toSubmissionCsv, type SyntheticDataset } from '@mosy/testkit';
import { expectStatus, type Client } from './client.js';

export interface Receipt {
  readonly submissionId: string;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly records: readonly {
    readonly index: number;
    readonly recordId: string;
    readonly version: number;
    readonly status: 'accepted' | 'duplicate' | 'rejected';
    readonly issues?: readonly { readonly field: string; readonly code: string; readonly message: string }[];
  }[];
}

export interface LoadSummary {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** `provider/record vN: code field` for each rejected record. */
  readonly rejections: readonly string[];
  readonly receipts: number;
}

/** Registers every provider of the dataset; returns provider id → provider key. */
export async function registerProviders(
  client: Client,
  adminToken: string,
  dataset: SyntheticDataset,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const provider of dataset.providers) {
    const reply = await client.request<{ key: string }>('POST', '/v1/admin/providers', {
      key: adminToken,
      json: { id: provider.id, type: provider.type, name: provider.name, mapping: provider.mapping },
    });
    keys.set(provider.id, expectStatus(reply, 201, `register ${provider.id}`).key);
  }
  return keys;
}

/** Issues a key with a role (and provider, for provider keys); returns its id and secret. */
export async function issueKey(
  client: Client,
  adminToken: string,
  role: 'analyst' | 'coordinator' | 'admin' | 'provider',
  providerId?: string,
): Promise<{ id: string; key: string }> {
  const { data, error, response } = await client.api(adminToken).POST('/v1/admin/keys', {
    body: { role, label: `e2e ${role}`, ...(providerId === undefined ? {} : { providerId }) },
  });
  if (response.status !== 201 || data === undefined)
    throw new Error(`issue ${role} key: expected HTTP 201, got ${response.status}: ${JSON.stringify(error)}`);
  return { id: data.id, key: data.key };
}

/** Submits one batch as JSON or CSV; returns the receipt. */
export async function submitBatch(
  client: Client,
  key: string,
  records: SyntheticDataset['submissions'][number]['records'],
  transport: 'json' | 'csv',
): Promise<Receipt> {
  const reply =
    transport === 'csv'
      ? await client.request<Receipt>('POST', '/v1/submissions', {
          key,
          body: toSubmissionCsv(records),
          contentType: 'text/csv; charset=utf-8',
        })
      : await client.request<Receipt>('POST', '/v1/submissions', { key, json: { records } });
  return expectStatus(reply, 202, `submission of ${records.length} records`);
}

/** Submits every provider's records in send order, in batches; sums up the receipts. */
export async function submitAll(
  client: Client,
  dataset: SyntheticDataset,
  keys: ReadonlyMap<string, string>,
  batchSize = 500,
): Promise<LoadSummary> {
  const totals = { accepted: 0, duplicates: 0, rejected: 0, receipts: 0 };
  const rejections: string[] = [];
  await Promise.all(
    dataset.submissions.map(async ({ providerId, records }) => {
      const provider = dataset.providers.find((p) => p.id === providerId)!;
      for (let i = 0; i < records.length; i += batchSize) {
        const batch = records.slice(i, i + batchSize);
        const receipt = await submitBatch(client, keys.get(providerId)!, batch, provider.transport);
        totals.accepted += receipt.accepted;
        totals.duplicates += receipt.duplicates;
        totals.rejected += receipt.rejected;
        totals.receipts++;
        for (const r of receipt.records)
          if (r.status === 'rejected')
            rejections.push(
              `${providerId}/${r.recordId} v${r.version}: ${(r.issues ?? []).map((x) => `${x.code} ${x.field}`).join('; ')}`,
            );
      }
    }),
  );
  return { ...totals, rejections };
}

/** How many submitted records repeat an earlier record and version of the same provider (re-sends). */
export function expectedDuplicates(dataset: SyntheticDataset): number {
  let duplicates = 0;
  for (const { records } of dataset.submissions) {
    const seen = new Set<string>();
    for (const record of records) {
      const key = `${record.recordId}\u0000${record.version}`;
      if (seen.has(key)) duplicates++;
      seen.add(key);
    }
  }
  return duplicates;
}

export interface Status {
  readonly idle: boolean;
  readonly stages: Readonly<Record<string, { readonly backlog: number }>>;
  readonly records: number;
}

/** Polls `/v1/status` until the pipeline is idle; returns the last status. */
export async function waitIdle(client: Client, key: string, timeoutMs = 300_000): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = expectStatus(await client.request<Status>('GET', '/v1/status', { key }), 200, 'status');
    if (status.idle) return status;
    if (Date.now() > deadline)
      throw new Error(`pipeline not idle after ${timeoutMs} ms: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
