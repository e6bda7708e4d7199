/**
 * The embedded baselines on DuckDB itself (`@duckdb/node-api`, the driver the store uses): inserting the rows of
 * the same request bodies (parse the JSON, write one CSV, `INSERT … SELECT FROM read_csv`, commit: the path the
 * store takes, without MoSy around it) and the GROUP BY a report comes down to, run on the store's own table.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SubmittedRecord } from '@mosy/core';
import type { Request } from './records.js';
import { now } from './stats.js';

const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;

/** One CSV line per record: the envelope, and the provider's fields as JSON text. */
function csvOf(providerId: string, records: readonly SubmittedRecord[]): string {
  let csv = '';
  for (const r of records) {
    csv += `${quote(providerId)},${quote(r.recordId)},${r.version},${quote(r.action)},${quote(r.kind)},`;
    csv += `${quote(r.referenceDate)},${quote(JSON.stringify(r.fields ?? {}))}\n`;
  }
  return csv;
}

const COLUMNS =
  "{'provider_id': 'VARCHAR', 'record_id': 'VARCHAR', 'version': 'INTEGER', 'action': 'VARCHAR', " +
  "'kind': 'VARCHAR', 'reference_date': 'VARCHAR', 'fields': 'VARCHAR'}";

/** Rows per second inserting the records of `requests` into a fresh DuckDB file, one transaction per request. */
export async function rawDuckDbInsert(
  dir: string,
  requests: readonly Request[],
): Promise<{
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}> {
  const instance = await DuckDBInstance.create(join(dir, 'raw.duckdb'));
  const connection = await instance.connect();
  try {
    await connection.run(
      'CREATE TABLE raw (provider_id VARCHAR, record_id VARCHAR, version INTEGER, action VARCHAR, ' +
        'kind VARCHAR, reference_date VARCHAR, fields VARCHAR)',
    );
    const file = join(dir, 'raw-batch.csv');
    let rows = 0;
    const started = now();
    for (const request of requests) {
      const { records } = JSON.parse(request.body) as { records: SubmittedRecord[] };
      await writeFile(file, csvOf(request.providerId, records));
      await connection.run('BEGIN TRANSACTION');
      await connection.run(
        `INSERT INTO raw SELECT * FROM read_csv('${file}', header = false, quote = '"', escape = '"', columns = ${COLUMNS})`,
      );
      await connection.run('COMMIT');
      rows += records.length;
    }
    const seconds = (now() - started) / 1000;
    await rm(file, { force: true });
    return { rows, seconds, rowsPerSecond: Math.round(rows / seconds) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A DuckDB file opened for the raw queries; `time` runs one statement and returns milliseconds and rows. */
export async function openRawDuckDb(path: string) {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  return {
    async version(): Promise<string> {
      const rows = (await connection.runAndReadAll('SELECT version() AS v')).getRowObjectsJS();
      const version = rows[0]?.v;
      return typeof version === 'string' ? version : 'unknown';
    },
    async time(sql: string): Promise<{ ms: number; rows: Record<string, unknown>[] }> {
      const started = now();
      const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
      return { ms: now() - started, rows };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
