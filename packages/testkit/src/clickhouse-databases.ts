/**
 * Fresh ClickHouse databases for integration tests, each test (or property run) on its own, dropped afterwards
 * through one admin client per test file, closed after the file's tests.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll } from 'vitest';

export interface ClickHouseTestDatabases {
  /** A new database name `<prefix>_<random>` (the database itself is created by whatever migrates it). */
  fresh(prefix: string): string;
  /** Drops a database named by `fresh` (or from it), if it exists. */
  drop(database: string): Promise<void>;
}

/** The databases of one test file on the ClickHouse at `url`. */
export function clickHouseTestDatabases(url: string): ClickHouseTestDatabases {
  let admin: ClickHouseClient | undefined;
  afterAll(async () => {
    await admin?.close();
  });
  return {
    fresh: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '')}`,
    async drop(database): Promise<void> {
      if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`not a test database name: ${database}`);
      admin ??= createClient({ url, database: 'default' });
      await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    },
  };
}
