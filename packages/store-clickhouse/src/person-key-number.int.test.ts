// Migration 009 on a real ClickHouse (MOSY_CLICKHOUSE_URL), on a database `test_pkn_<uuid>` of its own: a database
// at migration 8 with records gets `person_key_number` for the rows it holds (computed when read) and for every row
// the replaced view writes from then on, all equal to core's `personKeyNumber`; one view writes records_current;
// the migration's statements run again (an interrupted migration) without error.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personKeyNumber } from '@mosy/core';
import { readMigrations } from '@mosy/sql';
import { buildNormalizedRecord } from '@mosy/testkit';
import { ClickHouseConnection } from './connection.js';
import { toInsertRow } from './indicator-store.js';
import { MIGRATIONS, runIdempotent, splitStatements } from './migrations.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

describe('migration 009: the person key number of records_current', () => {
  const database = `test_pkn_${randomUUID().replaceAll('-', '')}`;
  let raw: ClickHouseConnection;
  const files = readMigrations(new URL('../migrations/', import.meta.url), MIGRATIONS);
  const run = async (version: number): Promise<void> => {
    const file = (await files).find((migration) => migration.version === version)!;
    for (const statement of splitStatements(file.sql)) await runIdempotent(raw, statement);
  };

  beforeAll(async () => {
    raw = await ClickHouseConnection.open({ url: URL_BASE, database });
  });
  afterAll(async () => {
    await raw?.command(`DROP DATABASE IF EXISTS ${database}`);
    await raw?.close();
  });

  it('numbers the rows held before and written after, through one view, and runs again', async () => {
    for (let version = 1; version <= 8; version++) await run(version);
    const before = buildNormalizedRecord({ recordId: 'a', personKey: 'p:alpha' });
    await raw.insert('records_current', [toInsertRow(before)]);
    await run(9);
    await run(9);
    const after = buildNormalizedRecord({ recordId: 'b', personKey: 'r:prov-a/b' });
    await raw.insert('record_changes', [{ sign: 1, ...toInsertRow(after) }]);
    const rows = await raw.select(
      'SELECT record_id, person_key_number FROM records_current FINAL ORDER BY record_id',
    );
    expect(rows.map((row) => [row.record_id, Number(row.person_key_number)])).toEqual([
      ['a', personKeyNumber('p:alpha')],
      ['b', personKeyNumber('r:prov-a/b')],
    ]);
    const physical = await raw.select('SELECT count() AS n FROM records_current');
    expect(Number(physical[0]?.n)).toBe(2);
    const views = await raw.select(
      `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'`,
    );
    expect(views.map((row) => row.name)).toEqual(['record_changes_to_records_current_2']);
  });
});
