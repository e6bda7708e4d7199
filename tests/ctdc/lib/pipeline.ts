/**
 * Driving a running MoSy over its public HTTP API, as an administrator, the CTDC providers and a report reader would:
 * register a provider with its mapping, issue a reader key, submit records in requests within the API's limits,
 * wait until `/v1/status` says every accepted record is counted, and read indicator values as `Counts` comparable
 * with the reference computation.
 */
import { request as httpRequest } from 'node:http';
import type { SubmittedRecord } from '@mosy/core';
import { cellLabel, type Counts, type CtdcDimension } from './expected.js';

/** The submission API's limits: records per request, and a body size safely under its 16 MiB. */
export const MAX_RECORDS_PER_REQUEST = 10_000;
export const MAX_BODY_BYTES = 12 * 1024 * 1024;

interface Reply<T> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

/**
 * One HTTP request on a connection of its own. No keep-alive on purpose: the runtime shares this process's event
 * loop, which a large submission blocks for seconds; an idle kept-alive socket then expires on the server in the
 * very moment the client reuses it, and the next request dies with ECONNRESET.
 */
function request<T>(
  url: string,
  method: string,
  path: string,
  options: { key?: string; json?: unknown } = {},
): Promise<Reply<T>> {
  const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
  const headers: Record<string, string | number> = {};
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = /json/.test(res.headers['content-type'] ?? '') && text !== '';
        resolve({ status: res.statusCode ?? 0, text, body: (json ? JSON.parse(text) : undefined) as T });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectStatus<T>(reply: Reply<T>, status: number, what: string): T {
  if (reply.status !== status)
    throw new Error(`${what}: expected HTTP ${status}, got ${reply.status}: ${reply.text.slice(0, 1000)}`);
  return reply.body;
}

/** Registers a provider with its mapping; returns the provider's key. */
export async function registerProvider(
  url: string,
  adminToken: string,
  provider: { readonly id: string; readonly type: string; readonly name: string },
  mapping: unknown,
): Promise<string> {
  const reply = await request<{ key: string }>(url, 'POST', '/v1/admin/providers', {
    key: adminToken,
    json: { id: provider.id, type: provider.type, name: provider.name, mapping },
  });
  return expectStatus(reply, 201, `register provider ${provider.id}`).key;
}

/** Issues a key for a role that is not bound to a provider; returns the key. */
export async function issueKey(
  url: string,
  adminToken: string,
  role: 'analyst' | 'coordinator',
): Promise<string> {
  const reply = await request<{ key: string }>(url, 'POST', '/v1/admin/keys', {
    key: adminToken,
    json: { role, label: `ctdc test ${role}` },
  });
  return expectStatus(reply, 201, `issue ${role} key`).key;
}

/** The unmapped provider values in a provider's coverage report, as `field: value ×count`. */
export async function unmappedValues(url: string, adminToken: string, providerId: string): Promise<string[]> {
  const reply = await request<{ unmapped: { field: string; value: string; count: number }[] }>(
    url,
    'GET',
    `/v1/admin/providers/${providerId}/coverage`,
    { key: adminToken },
  );
  return expectStatus(reply, 200, `coverage of ${providerId}`).unmapped.map(
    (u) => `${u.field}: ${u.value} ×${u.count}`,
  );
}

export interface SubmitSummary {
  readonly requests: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** `recordId: code field` for each rejected record (at most 20). */
  readonly rejections: readonly string[];
}

interface Receipt {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly records: readonly {
    readonly recordId?: string;
    readonly status: string;
    readonly issues?: readonly { readonly field: string; readonly code: string }[];
  }[];
}

/** Splits records into requests of at most 10 000 records and about 12 MiB of JSON. */
export function batchesOf(records: readonly SubmittedRecord[]): SubmittedRecord[][] {
  const batches: SubmittedRecord[][] = [];
  let batch: SubmittedRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (batch.length > 0 && (batch.length === MAX_RECORDS_PER_REQUEST || bytes + size > MAX_BODY_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Submits a provider's records, one request after another; sums up the receipts. */
export async function submitAll(
  url: string,
  providerKey: string,
  records: readonly SubmittedRecord[],
): Promise<SubmitSummary> {
  const summary = { requests: 0, accepted: 0, duplicates: 0, rejected: 0, rejections: [] as string[] };
  for (const batch of batchesOf(records)) {
    const reply = await request<Receipt>(url, 'POST', '/v1/submissions', {
      key: providerKey,
      json: { records: batch },
    });
    const receipt = expectStatus(reply, 202, `submission of ${batch.length} records`);
    summary.requests++;
    summary.accepted += receipt.accepted;
    summary.duplicates += receipt.duplicates;
    summary.rejected += receipt.rejected;
    for (const r of receipt.records)
      if (r.status === 'rejected' && summary.rejections.length < 20)
        summary.rejections.push(
          `${r.recordId ?? '?'}: ${(r.issues ?? []).map((i) => `${i.code} ${i.field}`).join('; ')}`,
        );
  }
  return summary;
}

export interface PipelineStatus {
  readonly idle: boolean;
  readonly records: number;
}

/** Polls `/v1/status` until the pipeline says it is idle; returns that status. */
export async function waitIdle(url: string, key: string, timeoutMs = 180_000): Promise<PipelineStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = expectStatus(
      await request<PipelineStatus>(url, 'GET', '/v1/status', { key }),
      200,
      'status',
    );
    if (status.idle) return status;
    if (Date.now() > deadline) throw new Error(`not idle after ${timeoutMs} ms: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads `victims` indicator values for some providers, broken down by `by` (and by period with `interval`). */
export async function queryVictims(
  url: string,
  key: string,
  providers: readonly string[],
  by: readonly CtdcDimension[],
  interval?: 'year' | 'quarter' | 'month',
): Promise<Counts> {
  // Exact counts are promised only for unprotected reads, which coordinators ask for (and which are audited).
  const params = new URLSearchParams({ providers: providers.join(','), protection: 'none' });
  if (by.length > 0) params.set('by', by.join(','));
  if (interval !== undefined) params.set('interval', interval);
  const reply = await request<{ cells: Record<string, string | number>[]; total: number }>(
    url,
    'GET',
    `/v1/indicators/victims/values?${params.toString()}`,
    { key },
  );
  const body = expectStatus(reply, 200, `victims ${params.toString()}`);
  const cells = new Map<string, number>();
  for (const { value, ...key } of body.cells) {
    const label = cellLabel(key as Record<string, string>, by);
    if (typeof value !== 'number') throw new Error(`cell ${label} has no number: ${String(value)}`);
    if (cells.has(label)) throw new Error(`cell ${label} appears twice`);
    cells.set(label, value);
  }
  return { cells, total: body.total };
}
