/** Every figure of one run of `npm run bench`, as docs/benchmarks.json holds them. */
import type { IngestFigures } from './ingest-run.js';
import type { SizeFigures } from './query-run.js';
import type { RawKafkaResult } from './raw-kafka.js';
import type { Latency } from './stats.js';

export interface BenchFigures {
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The part still running when these figures were written (a run writes them after each query size), if any. */
  readonly running?: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly loadAverage: number;
    readonly loadAverageAtStart: readonly number[];
    readonly loadAverageAtEnd: readonly number[];
  };
  readonly versions: Readonly<Record<string, string>>;
  readonly options: {
    readonly parts: readonly string[];
    readonly sizes: readonly number[];
    readonly records: number;
    readonly requestSize: number;
    readonly inFlight: number;
    readonly latencySamples: number;
    readonly freshnessSeconds: number;
    readonly runs: number;
    readonly seed: number;
  };
  readonly embedded?: {
    ingest?: {
      readonly bareHttp: {
        readonly recordsPerSecond: number;
        readonly seconds: number;
        readonly latency: Latency;
      };
      readonly rawDuckDbInsert: {
        readonly rows: number;
        readonly seconds: number;
        readonly rowsPerSecond: number;
      };
      readonly mosy: IngestFigures;
    };
    queries?: readonly SizeFigures[];
  };
  readonly distributed?: {
    ingest?: { readonly rawKafka: RawKafkaResult; readonly mosy: IngestFigures };
    queries?: readonly SizeFigures[];
  };
  readonly peakRssMiB: Readonly<Record<string, number>>;
  /** Parts that failed, with the error. */
  readonly failures: Readonly<Record<string, string>>;
}
