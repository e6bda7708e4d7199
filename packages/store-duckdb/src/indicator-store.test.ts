// DuckDB-specific behaviour of the indicator store beyond the shared contract: batch reduction, serialized
// concurrent writes, refusal of malformed batches without partial effects, use after close, and which tables a
// report's parts are read from.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { REGISTERED_STATUSES, createLinkageEncoder, rollingReadOf, type StoreQuery } from '@mosy/core';
import {
  buildNormalizedRecord,
  createReferenceIndicatorStore,
  recordBatchesArb,
  sortCells,
} from '@mosy/testkit';
import { DuckDbDatabase } from './database.js';
import { createDuckDbIndicatorStore } from './duckdb-stores.js';
import { createIndicatorStoreOn, latestPerKey } from './indicator-store.js';
import { createLinkageStoreOn } from './linkage-store.js';

const open = () => createDuckDbIndicatorStore({ path: ':memory:', readers: 2, config: { threads: '1' } });

/** Links prov-a's record `recordId` (version 1) to `personKey`, as fuzzy linkage would. */
async function linkRecord(database: DuckDbDatabase, recordId: string, personKey: string): Promise<void> {
  const encoding = createLinkageEncoder('indicator-store-test-secret-of-32-bytes').encode({
    givenName: 'Ana',
    familyName: 'Popescu',
    dateOfBirth: '1990-05-12',
  })!;
  await createLinkageStoreOn(database).write({
    changes: [{ providerId: 'prov-a', recordId, version: 1, encoding, personKey }],
    relinks: [],
    merges: 0,
    revisedRecords: 0,
  });
}
describe('latestPerKey', () => {
  it('keeps the highest version per key, the first of equal ones, in no danger of key collisions', () => {
    const a1 = buildNormalizedRecord({ providerId: 'a/b', recordId: 'c', version: 1 });
    const a2 = buildNormalizedRecord({ providerId: 'a/b', recordId: 'c', version: 2 });
    const a2again = buildNormalizedRecord({
      providerId: 'a/b',
      recordId: 'c',
      version: 2,
      fields: { sex: 'M' },
    });
    const b = buildNormalizedRecord({ providerId: 'a', recordId: 'b/c', version: 1 });
    expect(latestPerKey([a1, a2, b, a2again])).toEqual([a2, b]);
  });

  it('handles batches far larger than the call stack allows arguments', () => {
    const record = buildNormalizedRecord();
    const batch = Array.from({ length: 300_000 }, (_, i) => ({ ...record, recordId: `r${i}` }));
    expect(latestPerKey(batch)).toHaveLength(300_000);
  });
});

describe('DuckDB indicator store', () => {
  it('serializes concurrent applies in call order, like applying them one after the other', async () => {
    await fc.assert(
      fc.asyncProperty(recordBatchesArb(['victim']), async (batches) => {
        const store = await open();
        try {
          const reference = createReferenceIndicatorStore();
          const outcomes = await Promise.all(batches.map((batch) => store.apply(batch)));
          const expected = [];
          for (const batch of batches) expected.push(await reference.apply(batch));
          expect(outcomes).toEqual(expected);
          const query = { kind: 'victim', unit: 'records', by: ['sex'], filters: {} } as const;
          const [actual, wanted] = await Promise.all([store.query(query), reference.query(query)]);
          expect(sortCells(actual.cells)).toEqual(sortCells(wanted.cells));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('refuses a malformed batch as a whole, changing nothing', async () => {
    const store = await open();
    try {
      await store.apply([buildNormalizedRecord({ recordId: 'a' })]);
      await expect(
        store.apply([
          buildNormalizedRecord({ recordId: 'b' }),
          buildNormalizedRecord({ recordId: 'c', fields: { exploitation: ['SEX|LAB'] } }),
        ]),
      ).rejects.toMatchObject({ code: 'invalid-field' });
      expect(await store.countRecords()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('rejects calls after close as unavailable, and closes idempotently', async () => {
    const store = await open();
    await store.close();
    await store.close();
    await expect(store.apply([buildNormalizedRecord()])).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.countRecords()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('does not answer a query from the results it kept once closed', async () => {
    const store = await open();
    await store.migrate();
    await store.apply([buildNormalizedRecord({ recordId: 'x' })]);
    const query: StoreQuery = { kind: 'victim', unit: 'records', by: ['sex'], filters: {} };
    const parts = [[], ['sex']];
    const kept = await store.query(query);
    expect(await store.query(query)).toBe(kept);
    await store.queryParts(query, parts);
    await store.close();
    await expect(store.query(query)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.queryParts(query, parts)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('finishes queued work before closing', async () => {
    const store = await open();
    const applied = store.apply([buildNormalizedRecord({ recordId: 'x' })]);
    const closed = store.close();
    expect(await applied).toEqual({ applied: 1, ignored: 0 });
    await closed;
  });

  it("reads a report's parts from the rolling counts when every part is a catalogue read, else from the current records", async () => {
    const database = await DuckDbDatabase.open({ path: ':memory:', readers: 1, config: { threads: '1' } });
    const store = createIndicatorStoreOn(database, () => database.close());
    try {
      await store.migrate();
      const person = (recordId: string, personKey: string, sex: string) =>
        buildNormalizedRecord({
          recordId,
          personKey,
          fields: { sex, status: 'IDENTIFIED', exploitation: ['SEX'] },
        });
      await store.apply([
        person('a', 'p:1', 'F'),
        person('b', 'p:1', 'F'),
        person('c', 'p:2', 'M'),
        person('d', 'r:d', 'M'),
      ]);
      const catalogue: StoreQuery = {
        kind: 'victim',
        unit: 'persons',
        by: ['sex'],
        filters: { status: REGISTERED_STATUSES },
      };
      // Filtered on a list dimension: not a catalogue read.
      const adHoc: StoreQuery = { ...catalogue, filters: { ...catalogue.filters, exploitation: ['SEX'] } };
      expect(rollingReadOf(catalogue)).toBeDefined();
      expect(rollingReadOf({ ...catalogue, by: [] })).toBeDefined();
      expect(rollingReadOf(adHoc)).toBeUndefined();
      const parts = [[], ['sex']];
      // Each part's total, and the cells of the part by sex.
      const answers = async (query: StoreQuery) => {
        const [all, bySex] = (await store.queryParts(query, parts)) ?? [];
        return { total: all?.total, bySex: sortCells(bySex?.cells ?? []), bySexTotal: bySex?.total };
      };
      const counted = {
        total: 3,
        bySex: [
          { key: { sex: 'F' }, value: 1 },
          { key: { sex: 'M' }, value: 2 },
        ],
        bySexTotal: 3,
      };
      expect(await answers(catalogue)).toEqual(counted);
      expect(await answers(adHoc)).toEqual(counted);
      // With the current records emptied behind the store's back, only the rolling counts still count them.
      await database.write((connection) => connection.run('DELETE FROM records_current'));
      expect(await answers(catalogue)).toEqual(counted);
      expect(await answers(adHoc)).toEqual({ total: 0, bySex: [], bySexTotal: 0 });
    } finally {
      await store.close();
    }
  });

  it('reads persons from the current records without a rolling attempt once a person link is seen', async () => {
    const database = await DuckDbDatabase.open({ path: ':memory:', readers: 1, config: { threads: '1' } });
    const store = createIndicatorStoreOn(database, () => database.close());
    // Every statement the store's reads run.
    const statements: string[] = [];
    const read = database.read.bind(database);
    vi.spyOn(database, 'read').mockImplementation((task) =>
      read((connection) => {
        const runAndReadAll = connection.runAndReadAll.bind(connection);
        const traced = Object.create(connection) as typeof connection;
        traced.runAndReadAll = (sql, ...rest) => {
          statements.push(sql);
          return runAndReadAll(sql, ...rest);
        };
        return task(traced);
      }),
    );
    const rollingStatements = () => statements.filter((sql) => /person_counters|rolling_refs/.test(sql));
    try {
      await store.migrate();
      const victim = (recordId: string, sex: string) =>
        buildNormalizedRecord({
          recordId,
          personKey: `r:prov-a/${recordId}`,
          fields: { sex, status: 'IDENTIFIED' },
        });
      await store.apply([victim('a', 'F'), victim('b', 'M')]);
      const query: StoreQuery = {
        kind: 'victim',
        unit: 'persons',
        by: ['sex'],
        filters: { status: REGISTERED_STATUSES },
      };
      expect(rollingReadOf(query)).toBeDefined();
      expect((await store.query(query)).total).toBe(2);
      expect(rollingStatements()).toHaveLength(1);
      await linkRecord(database, 'a', 'l:x');
      // The first read after the link still tries the rolling counts (it learns of the link from their statement)…
      expect((await store.query(query)).total).toBe(2);
      expect(rollingStatements()).toHaveLength(2);
      // …later ones, after more records and with other breakdowns, go to the current records straight away.
      await store.apply([victim('c', 'F')]);
      expect((await store.query(query)).total).toBe(3);
      expect((await store.query({ ...query, by: [] })).total).toBe(3);
      expect(rollingStatements()).toHaveLength(2);
      // Records are still read from the rolling counts: the link does not concern them.
      expect((await store.query({ ...query, unit: 'records' })).total).toBe(3);
      expect(rollingStatements()).toHaveLength(2);
      expect(statements.filter((sql) => sql.includes('rolling_cells'))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('reads the total of two crossed list fields from the rolling counts, with its cells from the current records', async () => {
    const database = await DuckDbDatabase.open({ path: ':memory:', readers: 1, config: { threads: '1' } });
    const store = createIndicatorStoreOn(database, () => database.close());
    try {
      await store.migrate();
      const victim = (recordId: string, personKey: string, citizenship: string[], exploitation: string[]) =>
        buildNormalizedRecord({
          recordId,
          personKey,
          fields: { status: 'IDENTIFIED', citizenship, exploitation },
        });
      const batch = [
        victim('a', 'p:1', ['PT', 'BR'], ['SEX', 'LAB']),
        victim('b', 'p:1', ['PT'], ['SEX']),
        victim('c', 'p:2', [], ['LAB']),
        victim('d', 'r:d', ['UA'], []),
      ];
      await store.apply(batch);
      const reference = createReferenceIndicatorStore();
      await reference.apply(batch);
      const crossed: StoreQuery = {
        kind: 'victim',
        unit: 'persons',
        by: ['citizenship', 'exploitation'],
        filters: { status: REGISTERED_STATUSES },
        keySums: true,
      };
      expect(rollingReadOf(crossed)).toBeUndefined();
      const answer = await store.query(crossed);
      expect({ ...answer, cells: sortCells(answer.cells) }).toEqual({
        ...(await reference.query(crossed)),
        cells: sortCells((await reference.query(crossed)).cells),
      });
      // Persons without codes in one of the lists count in the total, not in a cell.
      expect(answer.total).toBe(3);
      // With the current records emptied behind the store's back, only the rolling counts still count them.
      await database.write((connection) => connection.run('DELETE FROM records_current'));
      expect(await store.query(crossed)).toEqual({ cells: [], total: 3, totalKeySum: answer.totalKeySum });
    } finally {
      await store.close();
    }
  });
  it('answers an ad-hoc query in one statement, and again on what that statement found when a link or stale rolling counts made it wrong', async () => {
    const database = await DuckDbDatabase.open({ path: ':memory:', readers: 1, config: { threads: '1' } });
    const store = createIndicatorStoreOn(database, () => database.close());
    // Every statement the store's reads run, whatever the method.
    const statements: string[] = [];
    const read = database.read.bind(database);
    vi.spyOn(database, 'read').mockImplementation((task) =>
      read((connection) => {
        const traced = Object.create(connection) as typeof connection;
        for (const method of ['run', 'runAndReadAll'] as const) {
          const original = connection[method].bind(connection);
          traced[method] = ((sql: string, ...rest: never[]) => {
            statements.push(sql);
            return original(sql, ...rest);
          }) as never;
        }
        return task(traced);
      }),
    );
    try {
      await store.migrate();
      const victim = (recordId: string, personKey: string, citizenship: string[], exploitation: string[]) =>
        buildNormalizedRecord({
          providerId: 'prov-a',
          recordId,
          personKey,
          fields: { status: 'IDENTIFIED', citizenship, exploitation },
        });
      const batch = [
        victim('a', 'p:1', ['PT', 'BR'], ['SEX', 'LAB']),
        victim('b', 'p:2', ['PT'], ['SEX']),
        victim('c', 'r:prov-a/c', [], ['LAB']),
      ];
      await store.apply(batch);
      const reference = createReferenceIndicatorStore();
      await reference.apply(batch);
      const crossed: StoreQuery = {
        kind: 'victim',
        unit: 'persons',
        by: ['citizenship', 'exploitation'],
        filters: { status: REGISTERED_STATUSES },
        keySums: true,
      };
      const expected = async () => {
        const wanted = await reference.query(crossed);
        return { ...wanted, cells: sortCells(wanted.cells) };
      };
      const answer = async (query = crossed) => {
        statements.length = 0;
        const got = await store.query(query);
        return { ...got, cells: sortCells(got.cells) };
      };
      expect(await answer()).toEqual(await expected());
      expect(statements).toHaveLength(1);
      expect(statements[0]).toContain('person_counters');

      // b is linked to p:1: the statement without the links finds a link, the next joins them (a query whose
      // total is no catalogue read either: a list filter).
      await linkRecord(database, 'b', 'p:1');
      const filtered: StoreQuery = {
        ...crossed,
        filters: { ...crossed.filters, exploitation: ['SEX', 'LAB'] },
      };
      expect(rollingReadOf({ ...filtered, by: [] })).toBeUndefined();
      const linked = await answer(filtered);
      expect(statements).toHaveLength(2);
      expect(statements[1]).toContain('person_links) USING');
      expect(linked.total).toBe(2);
      expect(linked.cells).toEqual(
        sortCells([
          { key: { citizenship: 'BR', exploitation: 'LAB' }, value: 1, keySum: expect.any(Number) },
          { key: { citizenship: 'BR', exploitation: 'SEX' }, value: 1, keySum: expect.any(Number) },
          { key: { citizenship: 'PT', exploitation: 'LAB' }, value: 1, keySum: expect.any(Number) },
          { key: { citizenship: 'PT', exploitation: 'SEX' }, value: 1, keySum: expect.any(Number) },
        ]),
      );
      // Once seen, the links are joined at once.
      await store.apply([victim('d', 'r:prov-a/d', ['UA'], ['SEX'])]);
      await reference.apply([victim('d', 'r:prov-a/d', ['UA'], ['SEX'])]);
      expect((await answer()).total).toBe(3);
      expect(statements).toHaveLength(1);

      // No link any more, and rolling counts no longer in sync: the statement assuming them finds both facts, the
      // next counts the total from the current records, without the links.
      await database.write(async (connection) => {
        await connection.run('DELETE FROM person_links');
        await connection.run("UPDATE rolling_state SET fingerprint = 'other'");
      });
      await store.apply([victim('e', 'p:3', ['BR'], ['BEG'])]);
      await reference.apply([victim('e', 'p:3', ['BR'], ['BEG'])]);
      expect(await answer()).toEqual(await expected());
      expect(statements).toHaveLength(1);
      // That read saw no link: the next assumes none and rolling counts in sync, finds them out of sync (a person
      // was added since they stopped following), and counts the total from the current records.
      await store.apply([victim('f', 'p:4', ['PT'], ['LAB'])]);
      await reference.apply([victim('f', 'p:4', ['PT'], ['LAB'])]);
      expect(await answer()).toEqual(await expected());
      expect(statements.map((sql) => sql.includes('person_counters'))).toEqual([true, false]);
      expect(statements[1]).not.toContain('person_links) USING');
    } finally {
      await store.close();
    }
  });
});
