// Group commit of the DuckDB ledger: submissions that wait together are written together, in one transaction (one
// commit, counted on the ledger's connection), and apart when one fails.
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntakeLedger, SubmissionEntry } from '@mosy/core';
import { DuckDbDatabase, type Task } from './database.js';
import { createDuckDbStores, type DuckDbStores } from './duckdb-stores.js';
import { createIntakeLedgerOn } from './intake-ledger.js';
import { migrateLedger } from './ledger-migrations.js';
import { migrate } from './migrations.js';

let stores: DuckDbStores;
beforeEach(async () => {
  stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
});
afterEach(async () => {
  await stores.close();
});

const entry = (submissionId: string, version: number): SubmissionEntry => ({
  accepted: [{ recordId: submissionId, version }],
  quality: [],
  receipt: {
    submissionId,
    providerId: 'ngo-1',
    receivedAt: 1_767_225_600_000,
    accepted: 1,
    duplicates: 0,
    rejected: 0,
    records: [{ recordId: submissionId, version, status: 'accepted' }],
  },
});

describe('DuckDB intake ledger, group commit', () => {
  it('fails only the submission that cannot be written, not the others of its group', async () => {
    // Made at once, the five calls wait together and are written as one group, whose transaction fails on the
    // version beyond BIGINT; each is then written alone.
    const calls = [entry('a', 1), entry('b', 2), entry('c', 2 ** 63), entry('d', 4), entry('e', 5)].map((e) =>
      stores.ledger.recordSubmission(e),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(new Map(await stores.ledger.acceptedVersions('ngo-1', ['a', 'b', 'c', 'd', 'e']))).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
        ['d', 4],
        ['e', 5],
      ]),
    );
    expect(await stores.ledger.getReceipt('ngo-1', 'c')).toBeUndefined();
    expect((await stores.ledger.activity())[0]?.submissions).toBe(4);
  });

  it('refuses a submission once the database is closed, keeping nothing', async () => {
    await stores.close();
    await expect(stores.ledger.recordSubmission(entry('late', 1))).rejects.toThrow('closed');
  });
});

describe('DuckDB intake ledger, commits', () => {
  let database: DuckDbDatabase;
  let ledger: IntakeLedger;
  /** The statements the ledger ran on its writer connection. */
  let statements: string[];
  beforeEach(async () => {
    database = await DuckDbDatabase.open({
      path: ':memory:',
      ledgerPath: ':memory:',
      readers: 1,
      config: { threads: '1' },
    });
    await database.write((connection) => migrate(connection));
    await migrateLedger(database);
    statements = [];
    // The ledger's writer connection, with each statement noted before it runs.
    const noting = (connection: DuckDBConnection) =>
      new Proxy(connection, {
        get(target, property) {
          if (property === 'run') {
            return (sql: string, ...rest: unknown[]) => {
              statements.push(sql.trim());
              return (target.run as (...args: unknown[]) => unknown)(sql, ...rest);
            };
          }
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      });
    ledger = createIntakeLedgerOn(
      new Proxy(database, {
        get(target, property) {
          if (property === 'writeLedger')
            return <T>(task: Task<T>) => target.writeLedger((connection) => task(noting(connection)));
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      }),
    );
  });
  afterEach(async () => {
    await database.close();
  });

  const commits = () => statements.filter((sql) => sql === 'COMMIT').length;

  it('commits submissions that wait together once, with one statement per table', async () => {
    // Made in one go, the five calls are all waiting when the ledger's connection takes the first task.
    await Promise.all([1, 2, 3, 4, 5].map((n) => ledger.recordSubmission(entry(`s${n}`, n))));
    expect(commits()).toBe(1);
    expect(statements.filter((sql) => sql.startsWith('INSERT')).length).toBe(2);
    expect(new Map(await ledger.acceptedVersions('ngo-1', ['s1', 's2', 's3', 's4', 's5']))).toEqual(
      new Map([1, 2, 3, 4, 5].map((n) => [`s${n}`, n])),
    );
    expect((await ledger.activity())[0]?.submissions).toBe(5);
  });

  it('commits a submission made after the last one was answered on its own', async () => {
    await ledger.recordSubmission(entry('a', 1));
    await ledger.recordSubmission(entry('b', 1));
    expect(commits()).toBe(2);
  });

  it('writes each submission of a failed group alone: one rollback, then a commit per good one', async () => {
    const outcomes = await Promise.allSettled(
      [entry('a', 1), entry('b', 2 ** 63), entry('c', 3)].map((e) => ledger.recordSubmission(e)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(statements.filter((sql) => sql === 'ROLLBACK').length).toBe(2);
    expect(commits()).toBe(2);
  });
});
