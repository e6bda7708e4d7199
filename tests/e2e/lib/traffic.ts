/**
 * Traffic for the fault and soak runs (`npm run faults`, `npm run soak`): providers streaming a synthetic dataset at
 * a steady pace, each batch sent again until it is accepted (as a well-behaved provider does: after `Retry-After`
 * on a 503 or 429, at once after a dropped connection), and readers asking for reports meanwhile. Every answer is
 * recorded with its time, status, latency and whether a 503 said when to come back, so a run can tell what the
 * API answered during each fault. A request unanswered after `HANG_MS` counts as a hang.
 */
import { toSubmissionCsv, type SyntheticDataset } from '@mosy/testkit';
import type { Receipt } from './load.js';

export const HANG_MS = 60_000;

export interface Answer {
  readonly kind: 'submit' | 'read';
  /** Epoch ms when it was sent. */
  readonly at: number;
  readonly ms: number;
  /** HTTP status; 0 when the connection failed, -1 for a hang. */
  readonly status: number;
  readonly retryAfter: string | null;
  readonly problemCode?: string;
}

export class Recorder {
  readonly answers: Answer[] = [];

  /** Answers sent in [from, to): counts by kind and status, 503s without Retry-After, the slowest. */
  summary(from = 0, to = Infinity) {
    const inside = this.answers.filter((a) => a.at >= from && a.at < to);
    const byStatus: Record<string, number> = {};
    for (const a of inside) {
      const name = `${a.kind} ${a.status === 0 ? 'no connection' : a.status === -1 ? 'hang' : a.status}`;
      byStatus[name] = (byStatus[name] ?? 0) + 1;
    }
    return {
      requests: inside.length,
      byStatus,
      unavailableWithoutRetryAfter: inside.filter((a) => a.status === 503 && a.retryAfter === null).length,
      serverErrors: inside.filter((a) => a.status >= 500 && a.status !== 503).length,
      hangs: inside.filter((a) => a.status === -1).length,
      slowestMs: inside.reduce((max, a) => Math.max(max, a.ms), 0),
    };
  }

  /** Latency percentiles (ms) of the successful answers of a kind. */
  latency(kind: Answer['kind'], from = 0, to = Infinity) {
    const ms = this.answers
      .filter((a) => a.kind === kind && a.status >= 200 && a.status < 300 && a.at >= from && a.at < to)
      .map((a) => a.ms)
      .sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
    return { count: ms.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: ms[ms.length - 1] ?? 0 };
  }
}

export interface Sent {
  readonly status: number;
  readonly body: unknown;
}

/** One request with a deadline; recorded. */
export async function send(
  recorder: Recorder,
  kind: Answer['kind'],
  url: string,
  init: RequestInit,
): Promise<Sent> {
  const at = Date.now();
  let status: number;
  let retryAfter: string | null = null;
  let body: unknown;
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    const text = await response.text();
    body = /json/.test(response.headers.get('content-type') ?? '') && text !== '' ? JSON.parse(text) : text;
  } catch (error) {
    status = (error as Error).name === 'TimeoutError' ? -1 : 0;
  }
  const problemCode = (body as { code?: unknown } | undefined)?.code;
  recorder.answers.push({
    kind,
    at,
    ms: Date.now() - at,
    status,
    retryAfter,
    ...(typeof problemCode === 'string' ? { problemCode } : {}),
  });
  return { status, body };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

type Records = SyntheticDataset['submissions'][number]['records'];

/** Sends one batch until it is accepted (202); a 4xx other than 429 is a bug of the run and throws. */
export async function submitUntilAccepted(
  recorder: Recorder,
  baseUrl: string,
  key: string,
  records: Records,
  transport: 'json' | 'csv',
): Promise<void> {
  const init: RequestInit =
    transport === 'csv'
      ? {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv; charset=utf-8' },
          body: toSubmissionCsv(records),
        }
      : {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ records }),
        };
  for (let attempt = 1; ; attempt++) {
    const { status, body } = await send(recorder, 'submit', `${baseUrl}/v1/submissions`, init);
    if (status === 202) {
      // Sent again after an answer was lost, a batch's earlier versions of a record whose later version was
      // accepted the first time are refused as regressions, rightly; anything else refused is a bug of the run.
      const refused = (body as Receipt).records.filter(
        (r) =>
          r.status === 'rejected' &&
          (attempt === 1 || r.issues?.some((issue) => issue.code !== 'version-regression') !== false),
      );
      if (refused.length > 0) throw new Error(`records refused: ${JSON.stringify(refused.slice(0, 3))}`);
      return;
    }
    if (status >= 400 && status < 500 && status !== 429)
      throw new Error(`submission answered ${status}: ${JSON.stringify(body)}`);
    const retryAfter = recorder.answers[recorder.answers.length - 1]?.retryAfter;
    // After a 503 or 429, as told; after a failed connection or another error, a second.
    await sleep((retryAfter === null || retryAfter === undefined ? 1 : Number(retryAfter)) * 1000);
  }
}

export interface StreamOptions {
  /** Records per batch, given a provider's number of records (so every provider can finish at the same time). */
  readonly batchSize: (records: number) => number;
  /** Pause between two batches of one provider. */
  readonly intervalMs: number;
  /** The base URL to send to, asked before each request (a restarted runtime may listen elsewhere). */
  readonly url: () => string;
}

/** Every provider sends its records in order, in batches, at a steady pace, concurrently with the others. */
export async function streamDataset(
  recorder: Recorder,
  dataset: SyntheticDataset,
  keys: ReadonlyMap<string, string>,
  options: StreamOptions,
): Promise<void> {
  await Promise.all(
    dataset.submissions.map(async ({ providerId, records }) => {
      const transport = dataset.providers.find((p) => p.id === providerId)!.transport;
      const size = Math.max(1, options.batchSize(records.length));
      for (let i = 0; i < records.length; i += size) {
        const started = Date.now();
        await submitUntilAccepted(
          recorder,
          options.url(),
          keys.get(providerId)!,
          records.slice(i, i + size),
          transport,
        );
        await sleep(Math.max(0, options.intervalMs - (Date.now() - started)));
      }
    }),
  );
}

/** Reads reports and the status in turn every `intervalMs` until `stopped()`. */
export async function readWhile(
  recorder: Recorder,
  url: () => string,
  key: string,
  intervalMs: number,
  stopped: () => boolean,
): Promise<void> {
  const paths = [
    '/v1/indicators/victims/values?by=sex&interval=year',
    '/v1/status',
    '/v1/reports/simple/victims?by=sex,ageClass',
    '/v1/indicators/suspects/values?by=sex',
  ];
  for (let i = 0; !stopped(); i++) {
    const started = Date.now();
    await send(recorder, 'read', `${url()}${paths[i % paths.length]!}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    await sleep(Math.max(0, intervalMs - (Date.now() - started)));
  }
}
