// The intake ledger and the audit log write on connections of their own: neither waits for the main writer.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAuditLogOn } from './audit-log.js';
import { DuckDbDatabase } from './database.js';
import { createIntakeLedgerOn } from './intake-ledger.js';
import { migrateLedger } from './ledger-migrations.js';
import { migrate } from './migrations.js';

let database: DuckDbDatabase;
beforeEach(async () => {
  database = await DuckDbDatabase.open({
    path: ':memory:',
    ledgerPath: ':memory:',
    readers: 1,
    config: { threads: '1' },
  });
  await database.write((connection) => migrate(connection));
  await migrateLedger(database);
});
afterEach(async () => {
  await database.close();
});

it('commits a submission and an audit entry while a long write holds the main writer', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let longDone = false;
  const long = database
    .write((connection) => connection.run('CREATE TABLE held (x INTEGER)').then(() => held))
    .then(() => (longDone = true));
  const ledger = createIntakeLedgerOn(database);
  const audit = createAuditLogOn(database);
  await ledger.recordSubmission({
    accepted: [{ recordId: 'r1', version: 3 }],
    quality: [],
    receipt: {
      submissionId: 's1',
      providerId: 'ngo-1',
      receivedAt: 5,
      accepted: 1,
      duplicates: 0,
      rejected: 0,
      records: [{ recordId: 'r1', version: 3, status: 'accepted' }],
    },
  });
  const entry = {
    at: 7,
    keyId: 'k1',
    role: 'coordinator',
    action: 'read-unprotected',
    resource: '/v1/indicators/victims/values',
    query: 'protection=none',
  };
  await audit.record(entry);
  expect(longDone).toBe(false);
  expect(new Map(await ledger.acceptedVersions('ngo-1', ['r1']))).toEqual(new Map([['r1', 3]]));
  expect(await audit.list()).toEqual([entry]);
  release();
  await long;
  expect(longDone).toBe(true);
});
