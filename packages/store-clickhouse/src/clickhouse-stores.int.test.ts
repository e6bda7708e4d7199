// The ClickHouse adapters against a real server (deploy/local starts 18.16; MOSY_CLICKHOUSE_URL overrides it): the
// three shared contract suites, each test on its own random database dropped afterwards, then what is particular to
// ClickHouse — migrations, reads FINAL over unmerged parts, replays after a crash, ids of any characters, and a
// randomized comparison with the reference store that replays batches. An unreachable server fails these tests.
import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLinkageEncoder, type NormalizedRecord, type StoreQuery } from '@mosy/core';
import { RECORD_COLUMNS, clickHouseDialect, integer, text } from '@mosy/sql';
import {
  buildNormalizedRecord as rec,
  createReferenceIndicatorStore,
  recordBatchesArb,
  runAuditLogContract,
  runIndicatorStoreContract,
  runIntakeLedgerContract,
  runLinkageStoreContract,
  runProviderBacklogContract,
  runRegistryContract,
  runReportArchiveContract,
  sortCells,
  storeQueryArb,
} from '@mosy/testkit';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { toInsertRow } from './indicator-store.js';
import { MIGRATIONS, migrate } from './migrations.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

/**
 * A connection to the server's default database, for creating and dropping test databases; opened by the first
 * test that needs it, so an unreachable server fails every test rather than skipping them from a failed hook.
 */
let adminConnection: Promise<ClickHouseConnection> | undefined;
const admin = (): Promise<ClickHouseConnection> =>
  (adminConnection ??= ClickHouseConnection.open({ url: URL_BASE, database: 'default' }));
afterAll(async () => {
  await (await adminConnection?.catch(() => undefined))?.close();
});

it('reaches ClickHouse', async () => {
  expect(await (await admin()).select('SELECT 1 AS one')).toEqual([{ one: 1 }]);
});

const newDatabase = (): string => `test_${randomUUID().replaceAll('-', '')}`;

/** Fresh, migrated stores on a new database; `close` also drops the database. */
async function freshStores(): Promise<ClickHouseStores & { readonly database: string }> {
  const database = newDatabase();
  const stores = await createClickHouseStores({ url: URL_BASE, database });
  return {
    ...stores,
    database,
    close: async () => {
      await stores.close();
      await (await admin()).command(`DROP DATABASE IF EXISTS ${database}`);
    },
  };
}

runIndicatorStoreContract({ create: freshStores, keySums: true, timeliness: true });
runRegistryContract({ create: freshStores });
runIntakeLedgerContract({ create: freshStores });
runProviderBacklogContract({ create: freshStores });
runAuditLogContract({ create: freshStores });
runReportArchiveContract({ create: freshStores });
runLinkageStoreContract({ create: freshStores });

describe('ClickHouse stores', () => {
  let stores: ClickHouseStores & { readonly database: string };
  /** A second connection to the same database, to look under the store. */
  let raw: ClickHouseConnection;

  beforeEach(async () => {
    stores = await freshStores();
    raw = await ClickHouseConnection.open({ url: URL_BASE, database: stores.database });
    // Background merges would make the physical row counts below a race; FINAL must be right without them.
    await raw.command('SYSTEM STOP MERGES records_current');
  });
  afterEach(async () => {
    await raw.close();
    await stores.close();
  });

  const q = (query: Partial<StoreQuery> = {}): StoreQuery => ({
    kind: 'victim',
    unit: 'records',
    by: [],
    filters: {},
    ...query,
  });
  const physicalRows = async (): Promise<number> =>
    integer((await raw.select('SELECT count() AS n FROM records_current'))[0]?.n);

  describe('migrations', () => {
    it('applied every migration once on open; running them again applies nothing', async () => {
      expect(await migrate(raw)).toEqual([]);
      await stores.migrate();
      const rows = await raw.select('SELECT version, name FROM schema_migrations FINAL ORDER BY version');
      expect(rows.map((row) => [integer(row.version), text(row.name)])).toEqual(
        MIGRATIONS.map((migration) => [migration.version, migration.name]),
      );
    });

    it('keeps the list append-only: versions 1, 2, 3… with matching file numbers', () => {
      MIGRATIONS.forEach((migration, index) => {
        expect(migration.version).toBe(index + 1);
        expect(migration.file.startsWith(`${String(index + 1).padStart(3, '0')}-`)).toBe(true);
      });
    });

    it('creates records_current with exactly the columns of RECORD_COLUMNS, and the key number it computes', async () => {
      const described = await raw.select('DESCRIBE TABLE records_current');
      expect(described.map((row) => [row.name, row.type, row.default_type])).toEqual([
        ...RECORD_COLUMNS.map((column) => [column.name, clickHouseDialect.columnType(column.type), '']),
        ['person_key_number', 'UInt32', 'DEFAULT'],
      ]);
    });

    it('creates record_changes with a sign and exactly the columns of RECORD_COLUMNS', async () => {
      const described = await raw.select('DESCRIBE TABLE record_changes');
      expect(described.map((row) => [row.name, row.type])).toEqual([
        ['sign', 'Int8'],
        ...RECORD_COLUMNS.map((column) => [column.name, clickHouseDialect.columnType(column.type)]),
      ]);
    });

    it('refuses to run when an applied migration has changed', async () => {
      await raw.insert('schema_migrations', [
        { version: 2, name: 'registry', checksum: 'edited', applied_at: Date.now() + 60_000 },
      ]);
      await expect(stores.migrate()).rejects.toMatchObject({
        code: 'internal',
        message: expect.stringMatching(/002-registry/),
      });
    });

    it('refuses a database migrated by newer code', async () => {
      await raw.insert('schema_migrations', [{ version: 99, name: 'future', checksum: 'x', applied_at: 0 }]);
      await expect(stores.migrate()).rejects.toMatchObject({
        code: 'internal',
        message: expect.stringMatching(/99/),
      });
    });

    it('creates a missing database and migrates it on open, and only once when opened twice', async () => {
      const database = newDatabase();
      const first = await createClickHouseStores({ url: URL_BASE, database });
      const second = await createClickHouseStores({ url: URL_BASE, database });
      try {
        await first.store.apply([rec({ recordId: 'a' })]);
        expect(await second.store.countRecords()).toBe(1);
        const rows = await (
          await admin()
        ).select(`SELECT count() AS n, uniqExact(version) AS versions FROM ${database}.schema_migrations`);
        expect(rows.map((row) => [integer(row.n), integer(row.versions)])).toEqual([
          [MIGRATIONS.length, MIGRATIONS.length],
        ]);
      } finally {
        await first.close();
        await second.close();
        await (await admin()).command(`DROP DATABASE IF EXISTS ${database}`);
      }
    });
  });

  describe('reading FINAL', () => {
    it('never matches an older version still in an unmerged part', async () => {
      await stores.store.apply([
        rec({ recordId: 'a', version: 1, fields: { sex: 'F', status: 'IDENTIFIED' } }),
      ]);
      await stores.store.apply([
        rec({ recordId: 'a', version: 2, fields: { sex: 'M', status: 'IDENTIFIED' } }),
      ]);
      await stores.store.apply([rec({ recordId: 'b', version: 1, fields: { sex: 'F' } })]);
      await stores.store.apply([rec({ recordId: 'b', version: 2, action: 'withdraw' })]);
      expect(await physicalRows()).toBe(4);
      expect(await stores.store.query(q({ filters: { sex: ['F'] } }))).toEqual({ cells: [], total: 0 });
      expect(await stores.store.query(q({ by: ['sex'] }))).toEqual({
        cells: [{ key: { sex: 'M' }, value: 1 }],
        total: 1,
      });
      expect(await stores.store.countRecords()).toBe(1);
    });

    it('counts persons with WITH TOTALS and a table in one read, exactly, while older versions sit unmerged', async () => {
      const person = (recordId: string, personKey: string, sex: string, version = 1) =>
        rec({ recordId, version, personKey, fields: { sex, status: 'IDENTIFIED' } });
      await stores.store.apply([person('a', 'p:1', 'F'), person('b', 'p:1', 'F'), person('c', 'p:2', 'F')]);
      await stores.store.apply([person('a', 'p:1', 'M', 2), person('c', 'p:2', 'X', 2)]);
      await stores.store.apply([rec({ recordId: 'b', version: 2, action: 'withdraw' })]);
      expect(await physicalRows()).toBe(6);
      const reference = createReferenceIndicatorStore();
      for (const batch of [
        [person('a', 'p:1', 'F'), person('b', 'p:1', 'F'), person('c', 'p:2', 'F')],
        [person('a', 'p:1', 'M', 2), person('c', 'p:2', 'X', 2)],
        [rec({ recordId: 'b', version: 2, action: 'withdraw' })],
      ])
        await reference.apply(batch);
      const persons = q({ unit: 'persons', by: ['sex', 'ageClass'], keySums: true });
      // p:1 only in M now (its F record withdrawn, the other moved), p:2 only in X: two persons, one per sex.
      const answer = await stores.store.query(persons);
      expect(answer.total).toBe(2);
      expect(answer.cells.map((cell) => [cell.key.sex, cell.value])).toEqual([
        ['M', 1],
        ['X', 1],
      ]);
      expect(answer).toEqual(await reference.query(persons));
      const parts = [[], ['sex'], ['ageClass'], ['sex', 'ageClass']];
      const answers = await stores.store.queryParts(persons, parts);
      expect(answers).toHaveLength(4);
      for (const [index, part] of parts.entries()) {
        const asked = { ...persons, by: persons.by.filter((d) => part.includes(d)) };
        expect(answers?.[index]).toEqual(await reference.query(asked));
      }
    });
  });

  describe('replays', () => {
    const history = (): NormalizedRecord[][] => [
      [
        rec({ recordId: 'a', fields: { sex: 'F' }, personKey: 'p:1' }),
        rec({ recordId: 'b', fields: { sex: 'M' }, personKey: 'p:1' }),
        rec({ recordId: 'c', fields: { sex: 'X' } }),
      ],
      [
        rec({ recordId: 'a', version: 2, fields: { sex: 'M' }, personKey: 'p:1' }),
        rec({ recordId: 'c', version: 2, action: 'withdraw' }),
      ],
      [
        rec({ recordId: 'd', fields: { sex: 'F' } }),
        rec({ recordId: 'c', version: 1, fields: { sex: 'X' } }),
      ],
    ];
    const expectExactCounts = async (): Promise<void> => {
      expect(await stores.store.countRecords()).toBe(3);
      expect(sortCells((await stores.store.query(q({ by: ['sex'] }))).cells)).toEqual([
        { key: { sex: 'F' }, value: 1 },
        { key: { sex: 'M' }, value: 2 },
      ]);
      expect(await stores.store.query(q({ unit: 'persons' }))).toEqual({
        cells: [{ key: {}, value: 2 }],
        total: 2,
      });
    };

    it('keeps counts exact when every batch is replayed, in order and reversed', async () => {
      const outcomes = [];
      for (const batch of history()) outcomes.push(await stores.store.apply(batch));
      expect(outcomes).toEqual([
        { applied: 3, ignored: 0 },
        { applied: 2, ignored: 0 },
        { applied: 1, ignored: 1 },
      ]);
      await expectExactCounts();
      for (const batch of [...history(), ...history().reverse()]) {
        expect(await stores.store.apply(batch)).toEqual({ applied: 0, ignored: batch.length });
      }
      await expectExactCounts();
      expect(await physicalRows()).toBe(6);
    });

    it('keeps counts exact when a crash left a batch inserted twice (same keys and versions)', async () => {
      for (const batch of history()) await stores.store.apply(batch);
      // What an apply interrupted after its insert leaves behind, replayed by a second process racing the first.
      const [first, second] = history();
      await raw.insert('records_current', [...first!, ...second!].map(toInsertRow));
      await raw.insert('records_current', [...first!, ...second!].map(toInsertRow));
      expect(await physicalRows()).toBe(16);
      await expectExactCounts();
      await raw.command('SYSTEM START MERGES records_current');
      await raw.command('OPTIMIZE TABLE records_current FINAL');
      expect(await physicalRows()).toBe(4);
      await expectExactCounts();
    });

    it('answers like the reference when random earlier batches are replayed in between', async () => {
      await fc.assert(
        fc.asyncProperty(
          recordBatchesArb(['victim', 'suspect']),
          fc.array(fc.nat(), { maxLength: 6 }),
          fc.array(storeQueryArb(['victim', 'suspect']), { minLength: 1, maxLength: 3 }),
          async (batches, replays, queries) => {
            const subject = await freshStores();
            try {
              const reference = createReferenceIndicatorStore();
              const sequence = [...batches, ...replays.map((pick) => batches[pick % batches.length]!)];
              for (const batch of sequence) {
                expect(await subject.store.apply(batch)).toEqual(await reference.apply(batch));
              }
              expect(await subject.store.countRecords()).toBe(await reference.countRecords());
              for (const asked of queries) {
                const query = { ...asked, keySums: true };
                const expected = await reference.query(query);
                const actual = await subject.store.query(query);
                expect({
                  cells: sortCells(actual.cells),
                  total: actual.total,
                  totalKeySum: actual.totalKeySum,
                }).toEqual({
                  cells: sortCells(expected.cells),
                  total: expected.total,
                  totalKeySum: expected.totalKeySum,
                });
              }
            } finally {
              await subject.close();
            }
          },
        ),
        { numRuns: 15 },
      );
    }, 300_000);
  });

  describe('linkage', () => {
    it('deletes the encodings one write replaced by one mutation, naming each of them', async () => {
      const encoder = createLinkageEncoder('clickhouse-linkage-mutations-secret-of-32-bytes');
      const encoding = encoder.encode({
        givenName: 'Ana',
        familyName: 'Popescu',
        dateOfBirth: '1990-05-12',
      })!;
      const linked = (recordId: string, version: number) => ({
        providerId: 'p',
        recordId,
        version,
        encoding,
        personKey: 'person-1',
      });
      const mutations = async () =>
        (
          await raw.select(
            `SELECT command FROM system.mutations
             WHERE database = currentDatabase() AND table = 'linkage_encodings' ORDER BY create_time`,
          )
        ).map((row) => text(row.command));
      const write = (changes: ReturnType<typeof linked>[]) =>
        stores.linkage.write({ changes, relinks: [], merges: 0, revisedRecords: 0 });
      await write([linked('a', 1), linked('b', 1), linked('c', 1)]);
      expect(await mutations()).toEqual([]);
      // Three records replaced (seq 1 to 3) and one new: one mutation for the three.
      await write([linked('a', 2), linked('b', 2), linked('c', 2), linked('d', 1)]);
      const [only, ...others] = await mutations();
      expect(others).toEqual([]);
      expect(only?.replace(/\s+/g, '')).toBe('DELETEWHEREseqIN(1,2,3)');
      expect((await stores.linkage.load()).map((row) => [row.recordId, row.version])).toEqual([
        ['a', 2],
        ['b', 2],
        ['c', 2],
        ['d', 1],
      ]);
    });
  });

  describe('values', () => {
    it('keys records by ids of any characters, long ones included', async () => {
      const ids = [
        "o'brien\\",
        'line\nbreak\u0000',
        'ünïcödé ✓',
        '𝒳'.repeat(128),
        "'); DROP TABLE records_current; --",
      ];
      const records = ids.map((recordId) => rec({ providerId: "prov-'x", recordId }));
      expect(await stores.store.apply(records)).toEqual({ applied: 5, ignored: 0 });
      expect(await stores.store.apply(records)).toEqual({ applied: 0, ignored: 5 });
      expect(await stores.store.apply(records.map((record) => ({ ...record, version: 2 })))).toEqual({
        applied: 5,
        ignored: 0,
      });
      expect(await stores.store.countRecords()).toBe(5);
      const stored = await raw.select('SELECT DISTINCT record_id FROM records_current ORDER BY record_id');
      expect(stored.map((row) => row.record_id)).toEqual(
        [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
    });

    it('refuses a record dated outside what ClickHouse dates hold, applying nothing of its batch', async () => {
      await expect(
        stores.store.apply([rec({ recordId: 'ok' }), rec({ recordId: 'old', referenceDate: '1965-04' })]),
      ).rejects.toMatchObject({ code: 'invalid-field', message: expect.stringMatching(/1965-04-01/) });
      expect(await stores.store.countRecords()).toBe(0);
      expect(await stores.store.apply([rec({ recordId: 'edge', referenceDate: '1971' })])).toEqual({
        applied: 1,
        ignored: 0,
      });
      expect((await stores.store.query(q({ interval: 'week' }))).cells).toEqual([
        { key: {}, period: '1971-unspecified', value: 1 },
      ]);
    });
  });

  it('stores a receipt and a mapping with any characters through JSON, not SQL', async () => {
    const receipt = {
      submissionId: "s'1\\",
      providerId: 'p',
      receivedAt: 5,
      accepted: 0,
      duplicates: 0,
      rejected: 1,
      records: [{ recordId: "x'\n", version: 1, status: 'rejected' as const }],
    };
    await stores.ledger.recordSubmission({ accepted: [], quality: [], receipt });
    expect(await stores.ledger.getReceipt('p', "s'1\\")).toEqual(receipt);
  });
});

describe('selectWith: a batch of values sent with the query as external data', () => {
  const table = (rows: readonly Record<string, string>[]) => ({
    name: 'batch_ids',
    columns: 'provider_id String, record_id String',
    rows,
  });

  it('reads rows of any characters, in one statement', async () => {
    const odd = ["it's", 'back\\slash', 'tab\tnew\nline', '{"json":1}', 'ünï 😀', ''];
    const rows = await (
      await admin()
    ).selectWith(
      table(odd.map((recordId, i) => ({ provider_id: `p${i}`, record_id: recordId }))),
      `SELECT provider_id, record_id, length(record_id) AS bytes FROM batch_ids
       WHERE (provider_id, record_id) IN batch_ids ORDER BY provider_id`,
    );
    expect(rows).toEqual(
      odd.map((recordId, i) => ({
        provider_id: `p${i}`,
        record_id: recordId,
        // 64-bit integers come as JSON strings, as from every other statement.
        bytes: String(Buffer.byteLength(recordId)),
      })),
    );
  });

  it('reads an empty batch as an empty table', async () => {
    expect(await (await admin()).selectWith(table([]), 'SELECT count() AS n FROM batch_ids')).toEqual([
      { n: '0' },
    ]);
  });

  it("fails with internal and ClickHouse's reason on a statement the server refuses", async () => {
    await expect(
      (await admin()).selectWith(table([]), 'SELECT no_such_column FROM batch_ids'),
    ).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/no_such_column/) });
  });

  it('fails with unavailable (retriable) when the server went away', async () => {
    // A TCP proxy to the server, closed after the connection was opened through it.
    const target = new URL(URL_BASE);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => [client, upstream].forEach((x) => x.destroy()));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const { port } = proxy.address() as AddressInfo;
    const connection = await ClickHouseConnection.open({
      url: `http://127.0.0.1:${port}`,
      database: 'default',
    });
    try {
      expect(await connection.selectWith(table([]), 'SELECT 1 AS one FROM system.one')).toEqual([{ one: 1 }]);
      await new Promise<void>((done) => {
        proxy.close(() => done());
        for (const s of sockets) s.destroy();
      });
      await expect(connection.selectWith(table([]), 'SELECT 1 AS one')).rejects.toMatchObject({
        code: 'unavailable',
        retriable: true,
      });
    } finally {
      await connection.close();
    }
  });
});

describe('an unreachable ClickHouse', () => {
  it('fails to open with unavailable (retriable)', async () => {
    await expect(
      createClickHouseStores({ url: 'http://127.0.0.1:1', database: 'mosy' }),
    ).rejects.toMatchObject({
      code: 'unavailable',
      retriable: true,
    });
  });
});
