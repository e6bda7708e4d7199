import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECORD_COLUMNS, duckDbDialect } from '@mosy/sql';
import { buildNormalizedRecord } from '@mosy/testkit';
import { createDuckDbIndicatorStore } from './duckdb-stores.js';
import { MIGRATIONS, migrate } from './migrations.js';

describe('migrations', () => {
  let folder: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mosy-migrations-'));
    instance = await DuckDBInstance.create(join(folder, 'db.duckdb'));
    connection = await instance.connect();
  });
  afterEach(async () => {
    connection.disconnectSync();
    instance.closeSync();
    await rm(folder, { recursive: true, force: true });
  });

  it('applies every migration once, in order, and then nothing', async () => {
    expect(await migrate(connection)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await migrate(connection)).toEqual([]);
    const rows = (
      await connection.runAndReadAll('SELECT version, name FROM schema_migrations ORDER BY version')
    ).getRowsJS();
    expect(rows).toEqual(MIGRATIONS.map((migration) => [migration.version, migration.name]));
  });

  it('keeps the list append-only: versions 1, 2, 3… with matching file numbers', () => {
    MIGRATIONS.forEach((migration, index) => {
      expect(migration.version).toBe(index + 1);
      expect(migration.file.startsWith(`${String(index + 1).padStart(3, '0')}-`)).toBe(true);
    });
  });

  it('creates records_current with exactly the columns of RECORD_COLUMNS, then the key hash apply looks keys up by and the person key number', async () => {
    await migrate(connection);
    const described = (await connection.runAndReadAll('DESCRIBE records_current')).getRowObjectsJS();
    expect(described.map((row) => [row.column_name, row.column_type])).toEqual([
      ...RECORD_COLUMNS.map((column) => [column.name, duckDbDialect.columnType(column.type)]),
      ['key_hash', 'UBIGINT'],
      ['person_key_number', 'BIGINT'],
    ]);
  });

  it('hashes the rows stored before migration 008 as apply hashes a batch, so their next versions replace them', async () => {
    connection.disconnectSync();
    instance.closeSync();
    const path = join(folder, 'db.duckdb');
    // Two keys whose `provider/record` strings are equal: only the strings tell them apart.
    const records = (version: number) => [
      buildNormalizedRecord({ providerId: 'a/b', recordId: 'c', version }),
      buildNormalizedRecord({ providerId: 'a', recordId: 'b/c', version }),
    ];
    let store = await createDuckDbIndicatorStore({ path });
    await store.migrate();
    await store.apply(records(1));
    await store.close();
    // As a database written before 008 holds them: no hash; then 008's own statement fills it in.
    instance = await DuckDBInstance.create(path);
    connection = await instance.connect();
    await connection.run('UPDATE records_current SET key_hash = NULL');
    const update = (await readFile(new URL('../migrations/008-record-key-hash.sql', import.meta.url), 'utf8'))
      .split(';')
      .find((statement) => statement.includes('UPDATE records_current'));
    await connection.run(update!);
    connection.disconnectSync();
    instance.closeSync();

    store = await createDuckDbIndicatorStore({ path });
    expect(await store.apply(records(2))).toEqual({ applied: 2, ignored: 0 });
    expect(await store.apply(records(2))).toEqual({ applied: 0, ignored: 2 });
    await store.close();
    instance = await DuckDBInstance.create(path);
    connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll(
        'SELECT provider_id, record_id, version FROM records_current ORDER BY ALL',
      )
    ).getRowsJS();
    expect(rows).toEqual([
      ['a', 'b/c', 2n],
      ['a/b', 'c', 2n],
    ]);
  });

  it('refuses to run when an applied migration has changed', async () => {
    await migrate(connection);
    await connection.run("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2");
    await expect(migrate(connection)).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/002-registry/),
    });
  });

  it('refuses a database migrated by newer code', async () => {
    await migrate(connection);
    await connection.run("INSERT INTO schema_migrations VALUES (99, 'future', 'x', 0)");
    await expect(migrate(connection)).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/99/),
    });
  });
});
