// Migrations on a real ClickHouse (MOSY_CLICKHOUSE_URL), each on a database of its own, dropped afterwards. 011: while
// it runs, statement by statement, an aggregator of the code before it inserts a mark into the old table; each such
// mark either fails (retried by the aggregator until it runs the new code) or is counted in `rolling_periods`,
// never accepted and lost. 012: the person key number of rows written before and after it, through the view.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMigrations } from '@mosy/sql';
import { clickHouseTestDatabases } from '@mosy/testkit';
import { ClickHouseConnection, serverCodeOf } from './connection.js';
import { MIGRATIONS, runIdempotent, splitStatements } from './migrations.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const databases = clickHouseTestDatabases(URL_BASE);

describe('migration 011 under an aggregator of the code before it', () => {
  let database: string;
  let connection: ClickHouseConnection;
  beforeEach(async () => {
    database = databases.fresh('test_migration_011');
    connection = await ClickHouseConnection.open({ url: URL_BASE, database });
  });
  afterEach(async () => {
    await connection.close();
    await databases.drop(database);
  });

  it('fails or counts every old mark, after each of its statements', async () => {
    const files = await readMigrations(new URL('../migrations/', import.meta.url), MIGRATIONS);
    for (const file of files.filter((migration) => migration.version < 11))
      for (const statement of splitStatements(file.sql)) await runIdempotent(connection, statement);
    /** An old aggregator's begin mark on a period of its own: 'lost', 'failed' or 'counted'. */
    const oldMark = async (period: string): Promise<string> => {
      try {
        await connection.command(
          `INSERT INTO rolling_period_marks (fingerprint, grain, period, opens, marked, open_until, certified)
           VALUES ('f', 1, '${period}', 1, 1, 2, 0)`,
        );
      } catch (error) {
        // UNKNOWN_TABLE: the old table is gone.
        expect(serverCodeOf(error)).toBe('60');
        return 'failed';
      }
      const rows = await connection.select(
        `SELECT toInt64(sumMerge(opens)) AS opens FROM rolling_periods WHERE period = '${period}' GROUP BY period`,
      );
      return rows.length === 1 && Number(rows[0]!.opens) === 1 ? 'counted' : 'lost';
    };
    const outcomes = [await oldMark('before')];
    const statements = splitStatements(files.find((migration) => migration.version === 11)!.sql);
    for (const [index, statement] of statements.entries()) {
      await runIdempotent(connection, statement);
      outcomes.push(await oldMark(`after-${index}`));
    }
    expect(outcomes).toEqual(['counted', ...statements.map(() => 'failed')]);
  }, 120_000);
});

describe('migration 012 on a database with records', () => {
  let database: string;
  let connection: ClickHouseConnection;
  beforeEach(async () => {
    database = databases.fresh('test_migration_012');
    connection = await ClickHouseConnection.open({ url: URL_BASE, database });
  });
  afterEach(async () => {
    await connection.close();
    await databases.drop(database);
  });

  it('keeps every key number, written before it or after it through the view, and runs twice alike', async () => {
    const files = await readMigrations(new URL('../migrations/', import.meta.url), MIGRATIONS);
    const run = async (version: (v: number) => boolean) => {
      for (const file of files.filter((migration) => version(migration.version)))
        for (const statement of splitStatements(file.sql)) await runIdempotent(connection, statement);
    };
    const write = (record: string) =>
      connection.command(
        `INSERT INTO record_changes (sign, provider_id, record_id, version, person_key)
         VALUES (1, 'p', '${record}', 1, 'key-of-${record}')`,
      );
    await run((v) => v < 12);
    await write('before');
    await run((v) => v === 12);
    await write('after');
    await run((v) => v === 12);
    await write('again');
    const kind = await connection.select(
      "SELECT default_kind FROM system.columns WHERE database = currentDatabase() AND table = 'records_current' AND name = 'person_key_number'",
    );
    expect(kind).toEqual([{ default_kind: 'DEFAULT' }]);
    const rows = await connection.select(
      `SELECT record_id, person_key_number = reinterpretAsUInt32(reverse(substring(SHA256(person_key), 1, 4))) AS same
       FROM records_current ORDER BY record_id`,
    );
    expect(rows).toEqual([
      { record_id: 'after', same: 1 },
      { record_id: 'again', same: 1 },
      { record_id: 'before', same: 1 },
    ]);
  }, 120_000);
});
