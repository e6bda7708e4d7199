/**
 * Memory of the processes of a run over time, and whether it is bounded: the run is cut in thirds, and the last
 * third's peak and median are compared with the middle third's (the first third holds start-up and warm-up).
 */

export interface MemorySample {
  /** Seconds since the start of the run. */
  readonly t: number;
  readonly process: string;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface ThirdsVerdict {
  readonly process: string;
  readonly metric: 'rss' | 'heapUsed';
  readonly middleMedianMiB: number;
  readonly lastMedianMiB: number;
  readonly middleMaxMiB: number;
  readonly lastMaxMiB: number;
  /** Growth of the median from the middle to the last third, in percent. */
  readonly growthPercent: number;
  readonly bounded: boolean;
}

const MIB = 1024 * 1024;
const round = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/**
 * Bounded when the last third's median is at most 10 % (plus 8 MiB of slack for the garbage collector's rhythm)
 * above the middle third's: a leak proportional to the work grows by about half from one third to the next.
 */
export function thirds(samples: readonly MemorySample[], durationS: number): ThirdsVerdict[] {
  const verdicts: ThirdsVerdict[] = [];
  for (const name of [...new Set(samples.map((s) => s.process))]) {
    for (const metric of ['rss', 'heapUsed'] as const) {
      const value = (s: MemorySample) => (metric === 'rss' ? s.rssBytes : s.heapUsedBytes);
      const own = samples.filter((s) => s.process === name);
      const middle = own.filter((s) => s.t >= durationS / 3 && s.t < (2 * durationS) / 3).map(value);
      const last = own.filter((s) => s.t >= (2 * durationS) / 3).map(value);
      const m = median(middle);
      const l = median(last);
      verdicts.push({
        process: name,
        metric,
        middleMedianMiB: round(m),
        lastMedianMiB: round(l),
        middleMaxMiB: round(Math.max(0, ...middle)),
        lastMaxMiB: round(Math.max(0, ...last)),
        growthPercent: m === 0 ? 0 : Math.round(((l - m) / m) * 1000) / 10,
        bounded: l <= m * 1.1 + 8 * MIB,
      });
    }
  }
  return verdicts;
}
