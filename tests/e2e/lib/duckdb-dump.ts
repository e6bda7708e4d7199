/**
 * A DuckDB file read back row by row, for the leak searches: DuckDB compresses what it stores, so searching its
 * bytes alone could miss a value. The intake ledger's file beside it (receipts, quality values) is read too.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ledgerPathOf } from '@mosy/store-duckdb';

/** Dumps every row of every table of a DuckDB file and its ledger file as JSON lines, into a file in `dir`. */
export async function dumpDuckDb(
  path: string,
  dir: string,
): Promise<{ file: string; tables: number; rows: number }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const lines: string[] = [];
  let tables = 0;
  try {
    const ledger = ledgerPathOf(path);
    if (existsSync(ledger)) await connection.run(`ATTACH '${ledger}' AS intake_ledger (READ_ONLY)`);
    const names = (
      await connection.runAndReadAll(
        "SELECT table_catalog, table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'",
      )
    ).getRows() as [string, string, string][];
    const [[own]] = (await connection.runAndReadAll('SELECT current_database()')).getRows() as [[string]];
    for (const [catalog, schema, table] of names) {
      tables++;
      const rows = (
        await connection.runAndReadAll(`SELECT * FROM "${catalog}"."${schema}"."${table}"`)
      ).getRowObjectsJson();
      // Lines name the store file's tables `schema.table`, the ledger's `intake_ledger.schema.table`.
      const name = `${catalog === own ? '' : `${catalog}.`}${schema}.${table}`;
      for (const row of rows) lines.push(`${name} ${JSON.stringify(row)}`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const file = join(dir, 'duckdb-dump.jsonl');
  writeFileSync(file, lines.join('\n'));
  return { file, tables, rows: lines.length };
}
