import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { pendingMigrations, readMigrations } from './migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'mosy-migrations-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
writeFileSync(join(dir, '001-a.sql'), 'CREATE TABLE a (x INTEGER);\n');
writeFileSync(join(dir, '002-b.sql'), 'CREATE TABLE b (y INTEGER);\n');
const folder = pathToFileURL(`${dir}/`);
const listed = [
  { version: 1, name: 'a', file: '001-a.sql' },
  { version: 2, name: 'b', file: '002-b.sql' },
];

describe('migrations', () => {
  it('reads each file with the SHA-256 of its text', async () => {
    const [a] = await readMigrations(folder, listed);
    expect(a).toEqual({
      ...listed[0],
      sql: 'CREATE TABLE a (x INTEGER);\n',
      // sha256 of the file's bytes, from `printf 'CREATE TABLE a (x INTEGER);\n' | sha256sum`.
      checksum: '6eb120b0a70656b1b48169154fa40d24182151dc0e057b785e20e96f007a610e',
    });
  });

  it('plans what is not applied yet, in order, and refuses unknown or changed migrations', async () => {
    const files = await readMigrations(folder, listed);
    expect(pendingMigrations(files, new Map()).map((f) => f.version)).toEqual([1, 2]);
    expect(pendingMigrations(files, new Map([[1, files[0]!.checksum]])).map((f) => f.version)).toEqual([2]);
    expect(pendingMigrations(files, new Map(files.map((f) => [f.version, f.checksum])))).toEqual([]);
    expect(() => pendingMigrations(files, new Map([[1, 'other']]))).toThrow(
      /001-a.sql changed after it was applied/,
    );
    expect(() => pendingMigrations(files, new Map([[3, 'x']]))).toThrow(MosyError);
    expect(() => pendingMigrations(files, new Map([[3, 'x']]))).toThrow(
      /migration 3, newer than this code knows/,
    );
  });
});
