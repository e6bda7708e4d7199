import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECORD_COLUMNS, duckDbDialect } from '@mosy/sql';
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
    expect(await migrate(connection)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
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

  it('creates records_current with exactly the columns of RECORD_COLUMNS', async () => {
    await migrate(connection);
    const described = (await connection.runAndReadAll('DESCRIBE records_current')).getRowObjectsJS();
    expect(described.map((row) => [row.column_name, row.column_type])).toEqual(
      RECORD_COLUMNS.map((column) => [column.name, duckDbDialect.columnType(column.type)]),
    );
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
