/** Percentiles, rates and the CPU time and peak memory of processes, for the benchmark. */
import { readFileSync } from 'node:fs';

/** The p-th percentile (0–100) by the nearest-rank method; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export interface Latency {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function latency(samplesMs: readonly number[]): Latency {
  return {
    samples: samplesMs.length,
    p50Ms: round(percentile(samplesMs, 50), 2),
    p95Ms: round(percentile(samplesMs, 95), 2),
    p99Ms: round(percentile(samplesMs, 99), 2),
  };
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export const now = (): number => performance.now();

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used, from /proc; 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Peak resident set size of a live process (VmHWM), in MiB; 0 when it is gone. */
export function peakRssMiBOf(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Peak RSS per named process, kept at its highest over the run (each is read before the process stops). */
export class PeakMemory {
  readonly #peaks = new Map<string, number>();

  note(name: string, pid: number): void {
    const peak = peakRssMiBOf(pid);
    this.#peaks.set(name, Math.max(this.#peaks.get(name) ?? 0, peak));
  }

  all(): Record<string, number> {
    return Object.fromEntries(this.#peaks);
  }
}

/** Runs `task` with at most `inFlight` at once over `items`, in order of the list. */
export async function pool<T>(items: readonly T[], inFlight: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
