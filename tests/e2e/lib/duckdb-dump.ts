/**
 * A DuckDB file read back row by row, for the leak searches: DuckDB compresses what it stores, so searching its
 * bytes alone could miss a value.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Dumps every row of every table of a DuckDB file as JSON lines, into a file in `dir` to search. */
export async function dumpDuckDb(
  path: string,
  dir: string,
): Promise<{ file: string; tables: number; rows: number }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const lines: string[] = [];
  let tables = 0;
  try {
    const names = (
      await connection.runAndReadAll(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'",
      )
    ).getRows() as [string, string][];
    for (const [schema, table] of names) {
      tables++;
      const rows = (
        await connection.runAndReadAll(`SELECT * FROM "${schema}"."${table}"`)
      ).getRowObjectsJson();
      for (const row of rows) lines.push(`${schema}.${table} ${JSON.stringify(row)}`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const file = join(dir, 'duckdb-dump.jsonl');
  writeFileSync(file, lines.join('\n'));
  return { file, tables, rows: lines.length };
}
