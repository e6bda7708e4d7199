/**
 * Which way of reading the current state is faster on the ClickHouse at MOSY_CLICKHOUSE_URL (not run by the tests):
 * the same indicator queries (SQL from @mosy/sql) over RECORDS records of which UPDATED have a second version, read
 * (a) `FINAL` from an unpartitioned ReplacingMergeTree, (b) through an `argMax(column, version) GROUP BY key`
 * subquery, (c) `FINAL` from a table partitioned by a hash of the key (FINAL merges each partition on its own thread
 * in old releases), each before and after `OPTIMIZE … FINAL`. Prints median milliseconds per query.
 *
 *   node --conditions=@mosy/source --import tsx packages/store-clickhouse/bench/read-strategy.ts
 *   RECORDS=1000000 UPDATED=200000 … (defaults shown)
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import type { StoreQuery } from '@mosy/core';
import { benchRecords } from '@mosy/testkit';
import { RECORD_COLUMNS, buildIndicatorSql, clickHouseDialect, toRow, type Dialect } from '@mosy/sql';

const RECORDS = Number(process.env.RECORDS ?? 1_000_000);
const UPDATED = Number(process.env.UPDATED ?? 200_000);
const BATCH = 50_000;
const url = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const database = `bench_${randomUUID().replaceAll('-', '')}`;

const admin = createClient({ url });
await admin.command({ query: `CREATE DATABASE ${database}` });
const client = createClient({ url, database, request_timeout: 600_000 });

const columns = RECORD_COLUMNS.map((c) => `${c.name} ${clickHouseDialect.columnType(c.type)}`).join(', ');
await client.command({
  query: `CREATE TABLE plain (${columns}) ENGINE = ReplacingMergeTree(version) ORDER BY (provider_id, record_id)`,
});
await client.command({
  query:
    `CREATE TABLE hashed (${columns}) ENGINE = ReplacingMergeTree(version) ` +
    'PARTITION BY cityHash64(provider_id, record_id) % 8 ORDER BY (provider_id, record_id)',
});

const record = benchRecords(RECORDS);
const write = async (rows: Record<string, unknown>[]): Promise<void> => {
  for (const table of ['plain', 'hashed'])
    await client.insert({ table, values: rows, format: 'JSONEachRow' });
};
const asRow = (index: number, version: number): Record<string, unknown> => {
  const row = toRow(record(index, version));
  return { ...row, withdrawn: row.withdrawn === true ? 1 : 0 };
};
for (let offset = 0; offset < RECORDS; offset += BATCH) {
  await write(Array.from({ length: Math.min(BATCH, RECORDS - offset) }, (_, i) => asRow(offset + i, 1)));
}
for (let offset = 0; offset < UPDATED; offset += BATCH) {
  // Every fifth record gets a second version, spread over the key space.
  await write(
    Array.from({ length: Math.min(BATCH, UPDATED - offset) }, (_, i) => asRow((offset + i) * 5, 2)),
  );
}

const argMaxDialect: Dialect = {
  ...clickHouseDialect,
  table: (name) =>
    // `version` itself stays unaliased: ClickHouse aliases are query-wide, so `max(version) AS version` would
    // turn every argMax(…, version) into an aggregate of an aggregate.
    `(SELECT provider_id, record_id, ${RECORD_COLUMNS.filter((c) => !c.key && c.name !== 'version')
      .map((c) => `argMax(${c.name}, version) AS ${c.name}`)
      .join(', ')} FROM ${name} GROUP BY provider_id, record_id)`,
};

const victim = { kind: 'victim', filters: { status: ['IDENTIFIED', 'PRESUMED'] } } as const;
const queries: Record<string, StoreQuery> = {
  'records, no breakdown': { kind: 'victim', unit: 'records', by: [], filters: {} },
  'persons by sex x age class': { ...victim, unit: 'persons', by: ['sex', 'ageClass'] },
  'records by exploitation x citizenship': {
    ...victim,
    unit: 'records',
    by: ['exploitation', 'citizenship'],
  },
  'persons by region L2 per quarter 2025': {
    ...victim,
    unit: 'persons',
    by: ['regionOfIdentification'],
    geoLevel: 2,
    interval: 'quarter',
    from: '2025-01-01',
    to: '2025-12-31',
  },
};

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function time(sql: string): Promise<{ ms: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const result = await client.query({ query: sql, format: 'JSONEachRow' });
    rows = (await result.json()).length;
    times.push(performance.now() - started);
  }
  return { ms: median(times), rows };
}

async function round(label: string): Promise<void> {
  const parts = await client.query({
    query: `SELECT table, count() AS parts FROM system.parts WHERE database = currentDatabase() AND active GROUP BY table`,
    format: 'JSONEachRow',
  });
  console.log(`-- ${label}; active parts: ${JSON.stringify(await parts.json())}`);
  for (const [name, query] of Object.entries(queries)) {
    const variants: [string, Dialect, string][] = [
      ['FINAL', clickHouseDialect, 'plain'],
      ['argMax', argMaxDialect, 'plain'],
      ['FINAL, 8 hash partitions', clickHouseDialect, 'hashed'],
    ];
    const line: string[] = [];
    for (const [variant, dialect, table] of variants) {
      const { cellsSql, totalSql } = buildIndicatorSql(query, dialect, table);
      const cells = await time(cellsSql);
      const total = await time(totalSql);
      line.push(`${variant} ${cells.ms.toFixed(0)}+${total.ms.toFixed(0)} ms (${cells.rows} cells)`);
    }
    console.log(`${name}: ${line.join(' | ')}`);
  }
}

console.log(`records ${RECORDS}, second versions ${UPDATED}`);
await round('as inserted');
for (const table of ['plain', 'hashed']) await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
await round('after OPTIMIZE FINAL');
await client.close();
await admin.command({ query: `DROP DATABASE ${database}` });
await admin.close();
