/**
 * `docs/benchmarks.md` from the figures of one run: the machine, then each figure beside its baseline with the
 * ratio, as tables, and mermaid `xychart-beta` charts (rendered by GitHub and most Markdown viewers; no image to
 * keep in the repository).
 */
import { writeFileSync } from 'node:fs';
import type { IngestFigures } from './ingest-run.js';
import type { SizeFigures } from './query-run.js';
import type { BenchFigures } from './figures.js';
import { barChart, lineChart, ms, n, percent, ratio, table } from './markdown.js';
import { targets } from './targets.js';

/** Baselines as [description, short label for the chart, records per second]. */
function ingestSection(
  runtime: string,
  mosy: IngestFigures,
  baselines: readonly (readonly [string, string, number])[],
) {
  const a = mosy.acceptedToCounted;
  const lines = [
    table(
      ['what', 'records/s', 'MoSy as a share of it'],
      [
        [`MoSy ${runtime}, accepted → counted`, n(a.recordsPerSecond), ''],
        ...baselines.map(([name, , rate]) => [name, n(rate), percent(a.recordsPerSecond, rate)]),
      ],
    ),
    '',
    `${n(a.records)} records accepted (and ${n(a.duplicates)} re-sent versions answered as duplicates, ${n(a.rejected)} rejected) ` +
      `in ${a.acceptSeconds} s, all counted after ${a.countedSeconds} s; ` +
      `${n(a.cpuMicrosPerRecord)} µs of CPU per record over the runtime's processes.`,
    '',
    barChart(
      `${runtime}: records per second`,
      ['MoSy', ...baselines.map(([, label]) => label)],
      [a.recordsPerSecond, ...baselines.map(([, , rate]) => rate)],
      'records/s',
    ),
  ];
  return lines.join('\n');
}

function querySection(store: string, sizes: readonly SizeFigures[]): string {
  const out: string[] = [];
  for (const size of sizes) {
    out.push(
      `#### ${store}, ${n(size.records)} records`,
      '',
      `Loaded through the store's \`apply\` at ${n(size.loadRecordsPerSecond)} records/s (${size.loadSeconds} s for the records added at this size).`,
      '',
      table(
        [
          'query',
          'API p50 / p95',
          'store.query p50 / p95',
          'raw GROUP BY p50 / p95',
          'store ÷ raw (p50)',
          'same counts',
        ],
        size.queries.map((q) => [
          q.query,
          `${ms(q.api.p50Ms)} / ${ms(q.api.p95Ms)}`,
          `${ms(q.store.p50Ms)} / ${ms(q.store.p95Ms)}`,
          `${ms(q.raw.p50Ms)} / ${ms(q.raw.p95Ms)}`,
          ratio(q.store.p50Ms, q.raw.p50Ms),
          q.agrees === null ? 'n/a' : q.agrees ? 'yes' : '**no**',
        ]),
      ),
      '',
      table(
        ['catalogue read (API)', 'again: p50 / p95', 'after a write: p50 / p95', 'target p95'],
        size.catalogue.map((c) => [
          c.read,
          `${ms(c.api.p50Ms)} / ${ms(c.api.p95Ms)}`,
          `${ms(c.afterWrite.p50Ms)} / ${ms(c.afterWrite.p95Ms)}`,
          '< 20 ms',
        ]),
      ),
      '',
      '"Again": the same read repeated, which the store answers from the result it kept until the next write.',
      '"After a write": each read right after a one-record submission was counted (not timed), so nothing kept',
      'answers it; the target is judged on this one.',
      '',
    );
  }
  const last = sizes[sizes.length - 1];
  if (last !== undefined) {
    out.push(
      barChart(
        `${store} at ${n(last.records)}: API p50 (ms), queries in table order`,
        last.queries.map((_, i) => `Q${i + 1}`),
        last.queries.map((q) => q.api.p50Ms),
        'ms',
      ),
      '',
      barChart(
        `${store} at ${n(last.records)}: raw GROUP BY p50 (ms), same queries`,
        last.queries.map((_, i) => `Q${i + 1}`),
        last.queries.map((q) => q.raw.p50Ms),
        'ms',
      ),
      '',
      'Q1, Q2…: the rows of the query tables, in order.',
      '',
    );
  }
  if (sizes.length > 1) {
    out.push(
      lineChart(
        `${store}: API p50 (ms) by records, one line per query (Q1..Q${last!.queries.length})`,
        sizes.map((s) => n(s.records)),
        last!.queries.map((_, i) => sizes.map((s) => s.queries[i]!.api.p50Ms)),
        'ms',
      ),
      '',
    );
  }
  return out.join('\n');
}

/** The report of `f`, whose figures are in the JSON file at `jsonPath` (`--out` names both). */
export function renderReport(f: BenchFigures, jsonPath: string): string {
  const m = f.machine;
  const out: string[] = [
    '# Benchmarks',
    '',
    f.running === undefined
      ? `Written by \`${f.command}\` (tests/e2e/bench.ts) from ${f.startedAt} to ${f.finishedAt}; every figure is beside`
      : `Written by \`${f.command}\` (tests/e2e/bench.ts), started ${f.startedAt}, at ${f.finishedAt} while ${f.running} was still running (the sizes below are those it had measured); every figure is beside`,
    'its baseline measured in the same run, on the same machine, at the same time. The raw figures are in',
    `\`${jsonPath}\`.`,
    '',
    '## How to run',
    '',
    '```sh',
    'set -a; . /tmp/mosy-local/env; set +a   # the local services (deploy/local/up.sh), for the distributed part',
    'nice npm run bench                                   # everything, 100,000 records for ingest, queries at 200,000',
    'nice npm run bench -- --size 200000 --only embedded  # parts: embedded, distributed, ingest, queries, or',
    '                                                     # embedded-ingest, embedded-queries, distributed-ingest, distributed-queries',
    'nice npm run bench -- --size 1000000,3000000,10000000 --only queries   # the query curves',
    '```',
    '',
    'Other options: `--records` (ingest), `--runs` (timed runs per query), `--freshness-seconds`, `--latency-samples`,',
    '`--request-size`, `--in-flight`, `--seed`, `--out` (path without extension), `--profile DIR` (CPU profiles),',
    '`--duckdb-memory-limit` (the embedded runtime under `MOSY_DUCKDB_MEMORY_LIMIT`). The distributed part makes its',
    'own topics, consumer groups and ClickHouse database (`bench…`) and removes them at the end.',
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${m.cpus} × ${m.cpuModel}`],
        ['memory', `${m.memoryGiB} GiB`],
        ['load average (1, 5, 15 min) at start', m.loadAverageAtStart.join(', ')],
        ['load average at end', m.loadAverageAtEnd.join(', ')],
        ...Object.entries(f.versions).map(([name, version]) => [name, version]),
      ],
    ),
    '',
    `The machine is shared with other work: with a load average above ${m.cpus}, every figure here is lower (and`,
    'every latency higher) than on a quiet machine; the ratios to the baselines, measured under the same load,',
    'are the figures to compare.',
    '',
    targets(f),
  ];
  for (const [part, error] of Object.entries(f.failures))
    out.push(`**${part} failed** in this run; its figures are missing:`, '', '```', error, '```', '');
  const e = f.embedded;
  if (e?.ingest) {
    const { bareHttp, rawDuckDbInsert, mosy } = e.ingest;
    out.push(
      '## Embedded runtime: ingest',
      '',
      `${n(mosy.acceptedToCounted.records)} synthetic records in requests of ${f.options.requestSize} records, ${f.options.inFlight} in flight.`,
      '',
      ingestSection('embedded', mosy, [
        ['bare node:http server parsing the same bodies', 'bare HTTP', bareHttp.recordsPerSecond],
        [
          'raw DuckDB insert of the same rows (parse, CSV, insert, commit)',
          'raw DuckDB',
          rawDuckDbInsert.rowsPerSecond,
        ],
      ]),
      '',
      '### Latency and freshness',
      '',
      table(
        ['what', 'p50', 'p99', 'baseline p50', 'baseline p99'],
        [
          [
            'one-record submission (202)',
            ms(mosy.latency.p50Ms),
            ms(mosy.latency.p99Ms),
            ms(bareHttp.latency.p50Ms),
            ms(bareHttp.latency.p99Ms),
          ],
          [
            `freshness, 202 → counted in a report, at ${n(mosy.freshness.backgroundRecordsPerSecond)} records/s (target ${n(mosy.freshness.targetRecordsPerSecond)})`,
            ms(mosy.freshness.p50Ms),
            ms(mosy.freshness.p99Ms),
            '',
            '',
          ],
        ],
      ),
      '',
      `Baseline of the submission: a bare POST of the same one-record body to the bare server. Freshness: ${mosy.freshness.samples} probes,`,
      `each one new registered victim of a provider of its own, timed from its 202 until the \`victims\` total of that provider`,
      `(records, read every ${mosy.freshness.pollMs} ms) includes it, while other providers submit at half the throughput above.`,
      '',
    );
  }
  const d = f.distributed;
  if (d?.ingest) {
    const { rawKafka, mosy } = d.ingest;
    out.push(
      '## Distributed runtime: ingest',
      '',
      `The four services (one of each) on the local Kafka, registry and ClickHouse, topics of ${rawKafka.partitions} partitions.`,
      '',
      ingestSection('distributed', mosy, [
        [
          `raw kafkajs: produce + consume ${n(rawKafka.messages)} messages of ${rawKafka.messageBytes} bytes (the submissions topic's mean), same broker and partitions`,
          'raw kafkajs',
          rawKafka.messagesPerSecond,
        ],
      ]),
      '',
      '### Latency and freshness',
      '',
      table(
        ['what', 'p50', 'p99'],
        [
          ['one-record submission (202)', ms(mosy.latency.p50Ms), ms(mosy.latency.p99Ms)],
          [
            `freshness, 202 → counted in a report, at ${n(mosy.freshness.backgroundRecordsPerSecond)} records/s (target ${n(mosy.freshness.targetRecordsPerSecond)})`,
            ms(mosy.freshness.p50Ms),
            ms(mosy.freshness.p99Ms),
          ],
        ],
      ),
      '',
    );
  }
  if (e?.queries || d?.queries) {
    out.push(
      '## Queries',
      '',
      "Records loaded straight into the store through its `apply` (the aggregator's path) from synthetic data, then each",
      `query timed ${f.options.runs} times (fewer, at least 5, when 20 s are spent; the JSON has the count) after two warm-up runs: through the HTTP API as an analyst (protected values,`,
      "the usual reader), through the store's own `query` (the project's generated SQL with the key sums protection",
      'needs, no HTTP), and as the plain GROUP BY on the same table (no second query for the total, no `FINAL` on',
      'ClickHouse, no disclosure control). "Same counts": the raw GROUP BY and the store\'s query sum to the same count.',
      '',
    );
    if (e?.queries) out.push('### Embedded (DuckDB)', '', querySection('DuckDB', e.queries));
    if (d?.queries) out.push('### Distributed (ClickHouse)', '', querySection('ClickHouse', d.queries));
  }
  out.push(
    '## Peak memory',
    '',
    table(
      ['process', 'peak RSS'],
      Object.entries(f.peakRssMiB).map(([name, mib]) => [name, `${n(mib)} MiB`]),
    ),
    '',
    'Peak resident set size (VmHWM) of each process, read before it stopped.',
    '',
  );
  return out.join('\n');
}

export function writeReport(path: string, figures: BenchFigures): void {
  writeFileSync(path, renderReport(figures, path.replace(/\.md$/, '.json')));
  console.log(`report written to ${path}`);
}
