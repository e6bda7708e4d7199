/**
 * The ingest figures of one runtime, whichever it is: accepted → counted throughput with the CPU it cost,
 * one-record submission latency, and freshness at half the throughput just measured. The runtime's processes are
 * read from /proc for CPU time and peak memory.
 */
import type { SyntheticDataset } from '@mosy/testkit';
import { createClient } from '../lib/client.js';
import { issueKey, registerProviders, waitIdle } from '../lib/load.js';
import { registerProbeProvider } from './probe.js';
import { probeOf, type Request } from './records.js';
import { cpuSecondsOf, now, round, type Latency, type PeakMemory } from './stats.js';
import { freshness, oneRecordBody, pushLanes, submissionLatency, type Freshness } from './traffic.js';

export interface Runtime {
  readonly url: string;
  readonly adminToken: string;
  /** Name and pid of each process of the runtime. */
  processes(): readonly { readonly name: string; readonly pid: number }[];
}

export interface IngestFigures {
  readonly acceptedToCounted: {
    /** Records accepted; the figure's numerator. */
    readonly records: number;
    /** Re-sent versions (the synthetic providers re-send some) and records refused, not counted as accepted. */
    readonly duplicates: number;
    readonly rejected: number;
    readonly acceptSeconds: number;
    readonly countedSeconds: number;
    readonly recordsPerSecond: number;
    /** CPU time of all the runtime's processes per record, in microseconds. */
    readonly cpuMicrosPerRecord: number;
  };
  readonly latency: Latency;
  readonly freshness: Freshness;
}

export const PROBE_PROVIDER = 'bench-probe';

export interface IngestOptions {
  readonly dataset: SyntheticDataset;
  readonly lanes: readonly (readonly Request[])[];
  /** Requests of records not sent before, for the background load of the freshness figure at a rate. */
  readonly freshnessLoad: (recordsPerSecond: number) => readonly Request[];
  readonly latencySamples: number;
  readonly freshnessSeconds: number;
  readonly pollMs: number;
  readonly peak: PeakMemory;
  readonly log: (message: string) => void;
}

export async function measureIngest(runtime: Runtime, options: IngestOptions): Promise<IngestFigures> {
  const client = createClient(runtime.url);
  const keys = await registerProviders(client, runtime.adminToken, options.dataset);
  const coordinator = (await issueKey(client, runtime.adminToken, 'coordinator')).key;
  const probe = await registerProbeProvider(
    client,
    runtime.adminToken,
    options.dataset,
    PROBE_PROVIDER,
    'bench probes',
  );
  client.bodies.length = 0;
  const keyOf = (providerId: string) => keys.get(providerId)!;
  const cpu = () => runtime.processes().reduce((sum, p) => sum + cpuSecondsOf(p.pid), 0);
  const notePeaks = () => runtime.processes().forEach((p) => options.peak.note(p.name, p.pid));

  const cpuBefore = cpu();
  const started = now();
  const { accepted: records, duplicates, rejected } = await pushLanes(runtime.url, options.lanes, keyOf);
  const acceptSeconds = (now() - started) / 1000;
  await waitIdle(client, coordinator, 3_600_000);
  const countedSeconds = (now() - started) / 1000;
  const cpuMicrosPerRecord = Math.round(((cpu() - cpuBefore) / records) * 1e6);
  client.bodies.length = 0;
  const recordsPerSecond = Math.round(records / countedSeconds);
  notePeaks();
  options.log(
    `accepted → counted (${duplicates} duplicates, ${rejected} rejected): ${records} records in ${round(countedSeconds)} s, ${recordsPerSecond}/s`,
  );

  const bodies = Array.from({ length: options.latencySamples }, (_, i) =>
    oneRecordBody(probeOf(probe.record, `bench-latency-${i}`)),
  );
  const latency = await submissionLatency(runtime.url, probe.key, bodies);
  options.log(`one-record submission: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`);
  await waitIdle(client, coordinator, 600_000);

  const fresh = await freshness({
    url: runtime.url,
    coordinatorKey: coordinator,
    probeKey: probe.key,
    probeProvider: PROBE_PROVIDER,
    probes: Array.from({ length: 10_000 }, (_, i) => probeOf(probe.record, `bench-fresh-${i}`)),
    load: options.freshnessLoad(recordsPerSecond / 2),
    keyOf,
    recordsPerSecond: recordsPerSecond / 2,
    seconds: options.freshnessSeconds,
    pollMs: options.pollMs,
  });
  options.log(
    `freshness at ${fresh.backgroundRecordsPerSecond}/s: p50 ${fresh.p50Ms} ms, p99 ${fresh.p99Ms} ms (${fresh.samples} probes)`,
  );
  notePeaks();
  return {
    acceptedToCounted: {
      records,
      duplicates,
      rejected,
      acceptSeconds: round(acceptSeconds, 2),
      countedSeconds: round(countedSeconds, 2),
      recordsPerSecond,
      cpuMicrosPerRecord,
    },
    latency,
    freshness: fresh,
  };
}
