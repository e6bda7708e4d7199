/**
 * The three ways the benchmark sends records: as fast as `inFlight` sequences of large requests allow (throughput),
 * one record at a time (submission latency), and at a fixed rate while single probe records are timed from their
 * 202 to the moment a report counts them (freshness).
 */
import type { SubmittedRecord } from '@mosy/core';
import { getJson, post, type Counts } from './http.js';
import type { Request } from './records.js';
import { latency, now, sleep, type Latency } from './stats.js';

/** Sends every lane's requests in order, the lanes side by side; returns the receipts' counts summed. */
export async function pushLanes(
  url: string,
  lanes: readonly (readonly Request[])[],
  keyOf: (providerId: string) => string | undefined,
): Promise<Counts> {
  const sum = { accepted: 0, duplicates: 0, rejected: 0 };
  await Promise.all(
    lanes.map(async (lane) => {
      for (const request of lane) {
        const counts = await post(url, request.body, keyOf(request.providerId));
        sum.accepted += counts.accepted;
        sum.duplicates += counts.duplicates;
        sum.rejected += counts.rejected;
      }
    }),
  );
  return sum;
}

/** Records per second through a server that only answers (the bare baseline). */
export async function pushRate(
  url: string,
  lanes: readonly (readonly Request[])[],
  keyOf: (providerId: string) => string | undefined,
) {
  const started = now();
  const { accepted: records } = await pushLanes(url, lanes, keyOf);
  const seconds = (now() - started) / 1000;
  return { records, seconds, recordsPerSecond: Math.round(records / seconds) };
}

/** One-record submissions, one after the other, each timed from request to answer. */
export async function submissionLatency(
  url: string,
  key: string | undefined,
  bodies: readonly string[],
): Promise<Latency> {
  const samples: number[] = [];
  for (const body of bodies) {
    const started = now();
    await post(url, body, key);
    samples.push(now() - started);
  }
  // The first few warm up connections and code paths.
  return latency(samples.slice(Math.min(10, Math.floor(samples.length / 10))));
}

export const oneRecordBody = (record: SubmittedRecord) => JSON.stringify({ records: [record] });

const MIN_PROBES = 30;

export interface FreshnessOptions {
  readonly url: string;
  readonly coordinatorKey: string;
  readonly probeKey: string;
  readonly probeProvider: string;
  readonly probes: readonly SubmittedRecord[];
  /** The background load: requests in an order that keeps each provider's versions in order. */
  readonly load: readonly Request[];
  readonly keyOf: (providerId: string) => string;
  readonly recordsPerSecond: number;
  readonly seconds: number;
  readonly pollMs: number;
}

export interface Freshness extends Latency {
  readonly targetRecordsPerSecond: number;
  /** What the background load achieved over the probes' window. */
  readonly backgroundRecordsPerSecond: number;
  readonly pollMs: number;
}

/**
 * Runs the background load at the rate and, after two seconds of it, times probes: each is one new registered
 * victim under the probe provider, and is fresh when the `victims` total of that provider (records, unprotected,
 * read as a coordinator) includes it.
 */
export async function freshness(options: FreshnessOptions): Promise<Freshness> {
  const path = `/v1/indicators/victims/values?unit=records&protection=none&providers=${options.probeProvider}`;
  const totalNow = async () =>
    (await getJson<{ total: number }>(options.url, path, options.coordinatorKey)).total;
  let stop = false;
  let sent = 0;
  let windowStart = 0;
  let sentAtWindowStart = 0;
  const started = now();
  let failure: Error | undefined;
  const background = (async () => {
    for (const request of options.load) {
      if (stop) return;
      const due = started + (sent / options.recordsPerSecond) * 1000;
      if (due > now()) await sleep(due - now());
      sent += (await post(options.url, request.body, options.keyOf(request.providerId))).accepted;
    }
  })().catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error('the background load failed');
  });
  const samples: number[] = [];
  try {
    await sleep(2000);
    const base = await totalNow();
    windowStart = now();
    sentAtWindowStart = sent;
    for (const [i, probe] of options.probes.entries()) {
      // At least MIN_PROBES for a p99 that is more than the slowest of a handful, within five times the window.
      const elapsed = now() - windowStart;
      if (
        elapsed > options.seconds * 1000 &&
        (samples.length >= MIN_PROBES || elapsed > options.seconds * 5000)
      )
        break;
      await post(options.url, oneRecordBody(probe), options.probeKey);
      const accepted = now();
      while ((await totalNow()) < base + i + 1) await sleep(options.pollMs);
      samples.push(now() - accepted);
      // Probes about five a second, so the reads do not become the load.
      await sleep(Math.max(0, 200 - (now() - accepted)));
    }
  } finally {
    stop = true;
  }
  const windowSeconds = (now() - windowStart) / 1000;
  const backgroundRecordsPerSecond = Math.round((sent - sentAtWindowStart) / windowSeconds);
  await background;
  if (failure !== undefined) throw failure;
  return {
    ...latency(samples),
    targetRecordsPerSecond: Math.round(options.recordsPerSecond),
    backgroundRecordsPerSecond,
    pollMs: options.pollMs,
  };
}
