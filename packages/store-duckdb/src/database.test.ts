import { describe, expect, it } from 'vitest';
import { toStoreError } from './database.js';

describe('DuckDB failures as MosyErrors', () => {
  it('takes a full disk for a retriable unavailable that says so, without the path', () => {
    const error = toStoreError(
      new Error(
        'TransactionContext Error: Failed to commit: Could not write file "/data/mosy.duckdb.wal": No space left on device',
      ),
    );
    expect(error).toMatchObject({ code: 'unavailable', retriable: true });
    expect(error.message).toMatch(/data folder is full/);
    expect(error.message).not.toContain('/data/');
  });

  it('keeps a violated key a conflict and anything unknown internal', () => {
    expect(toStoreError(new Error('Constraint Error: duplicate key')).code).toBe('conflict');
    expect(toStoreError(new Error('Binder Error: no such column')).code).toBe('internal');
  });
});
