/** The targets of issue 14 in docs/benchmarks.md, from the figures of one run. */
import { ms, n, percent, table } from './markdown.js';
import type { BenchFigures } from './figures.js';

/** The targets of issue 14, each with the figure of this run that answers it, and whether it is met. */
export function targets(f: BenchFigures): string {
  const rows: (readonly string[])[] = [];
  const verdict = (met: boolean) => (met ? 'met' : '**not met**');
  const ei = f.embedded?.ingest;
  if (ei) {
    const a = ei.mosy.acceptedToCounted.recordsPerSecond;
    rows.push(
      [
        'embedded end to end ≥ 50 % of the bare HTTP baseline',
        `${percent(a, ei.bareHttp.recordsPerSecond)} (${n(a)} of ${n(ei.bareHttp.recordsPerSecond)}/s)`,
        verdict(a >= ei.bareHttp.recordsPerSecond / 2),
      ],
      ['embedded end to end ≥ 100,000 records/s', `${n(a)}/s`, verdict(a >= 100_000)],
      [
        'embedded freshness p99 < 100 ms at half the maximum throughput',
        ms(ei.mosy.freshness.p99Ms),
        verdict(ei.mosy.freshness.p99Ms < 100),
      ],
      [
        'one-record submission p50 < 10 ms, embedded',
        ms(ei.mosy.latency.p50Ms),
        verdict(ei.mosy.latency.p50Ms < 10),
      ],
    );
  }
  const di = f.distributed?.ingest;
  if (di) {
    const a = di.mosy.acceptedToCounted.recordsPerSecond;
    rows.push(
      [
        'distributed end to end ≥ 50 % of raw kafkajs produce + consume',
        `${percent(a, di.rawKafka.messagesPerSecond)} (${n(a)} of ${n(di.rawKafka.messagesPerSecond)}/s)`,
        verdict(a >= di.rawKafka.messagesPerSecond / 2),
      ],
      [
        'distributed freshness p99 < 1 s at half the maximum throughput',
        ms(di.mosy.freshness.p99Ms),
        verdict(di.mosy.freshness.p99Ms < 1000),
      ],
    );
  }
  for (const [store, sizes] of [
    ['DuckDB', f.embedded?.queries],
    ['ClickHouse', f.distributed?.queries],
  ] as const) {
    const last = sizes?.[sizes.length - 1];
    if (last === undefined) continue;
    const worst = Math.max(...last.catalogue.map((c) => c.afterWrite.p95Ms));
    rows.push([
      `catalogue reads p95 < 20 ms (${store}, after a write, at ${n(last.records)} records; the target is at 10 M)`,
      `slowest ${ms(worst)}`,
      verdict(worst < 20),
    ]);
    // The store's own statements against the raw GROUP BY: on DuckDB the API's repeated reads are answered from the
    // result kept until the next write, so their time says nothing of the query.
    const ratios = last.queries.map((q) => q.store.p50Ms / q.raw.p50Ms);
    rows.push([
      `ad-hoc queries ≤ 1.2× the raw GROUP BY (${store}, at ${n(last.records)} records, store p50 ÷ raw p50)`,
      `${Math.min(...ratios).toFixed(2)}× – ${Math.max(...ratios).toFixed(2)}×`,
      verdict(ratios.every((r) => r <= 1.2)),
    ]);
  }
  if (rows.length === 0) return '';
  return ['## Targets (issue 14)', '', table(['target', 'this run', ''], rows), ''].join('\n');
}
