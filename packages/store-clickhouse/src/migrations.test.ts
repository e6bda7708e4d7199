import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, splitStatements } from './migrations.js';

describe('splitStatements', () => {
  it('drops comment lines and splits at semicolons', () => {
    expect(
      splitStatements(
        '-- header; with a semicolon\nCREATE TABLE a (x String);\n\n  -- note\nCREATE TABLE b (y String);\n',
      ),
    ).toEqual(['CREATE TABLE a (x String)', 'CREATE TABLE b (y String)']);
  });

  it('finds only idempotent statements in the migration files', async () => {
    const counts: number[] = [];
    for (const migration of MIGRATIONS) {
      const sql = await readFile(new URL(`../migrations/${migration.file}`, import.meta.url), 'utf8');
      const statements = splitStatements(sql);
      for (const statement of statements)
        expect(statement).toMatch(
          /^(CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS \w+ (\(|TO \w+ AS)|DROP TABLE IF EXISTS \w+$|ALTER TABLE (records_current|rolling_periods) ADD COLUMN \w+ |ALTER TABLE records_current MODIFY COLUMN person_key_number UInt32\s+DEFAULT )/,
        );
      counts.push(statements.length);
    }
    expect(counts).toEqual([1, 3, 3, 1, 2, 3, 1, 3, 3, 3, 5, 1]);
  });
});
