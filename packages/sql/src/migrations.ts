/**
 * Schema migrations of the stores: each store lists its SQL files in `migrations/` append-only (a new change is a
 * new file with the next number, never an edit) and records what it applied in `schema_migrations` with the file's
 * checksum. Which files to apply is decided here, the same for every store; a database with a migration this code
 * does not know, or an applied file that changed since, stops the store from opening rather than leaving two
 * schemas that claim the same version. How a file is applied (a transaction, or idempotent statements) is the
 * store's.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MosyError, type StoreLogger } from '@mosy/core';

/** Warnings of a store opened without a logger (a migrate that could not build the rolling counts). */
export const STDERR_LOGGER: StoreLogger = {
  warn: (fields, message) => console.warn(JSON.stringify({ ...fields, msg: message })),
};

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** File name inside the store's `migrations/` folder. */
  readonly file: string;
}

/** A migration with its file's text and SHA-256 checksum. */
export interface MigrationFile extends Migration {
  readonly sql: string;
  readonly checksum: string;
}

/** Reads the files of `migrations` from `folder`, with their checksums. */
export function readMigrations(folder: URL, migrations: readonly Migration[]): Promise<MigrationFile[]> {
  return Promise.all(
    migrations.map(async (migration) => {
      const sql = await readFile(new URL(migration.file, folder), 'utf8');
      return { ...migration, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * The migrations still to apply, in the order listed, given the checksums the database recorded by version.
 * @throws MosyError `internal` when the database has a version not listed, or an applied file changed.
 */
export function pendingMigrations(
  files: readonly MigrationFile[],
  applied: ReadonlyMap<number, string>,
): MigrationFile[] {
  const known = new Set(files.map((file) => file.version));
  for (const version of applied.keys())
    if (!known.has(version))
      throw new MosyError('internal', `the database has migration ${version}, newer than this code knows`);
  return files.filter((file) => {
    const previous = applied.get(file.version);
    if (previous !== undefined && previous !== file.checksum)
      throw new MosyError('internal', `migration ${file.file} changed after it was applied`);
    return previous === undefined;
  });
}
