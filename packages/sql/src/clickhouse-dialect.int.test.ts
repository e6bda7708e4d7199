// The ClickHouse dialect against a real server (deploy/local starts 18.16): a table laid out from RECORD_COLUMNS,
// filled with the current rows of random histories, must answer random queries exactly like the reference store.
// Talks plain HTTP so it depends on no client library. MOSY_CLICKHOUSE_URL overrides the server.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedRecord, StoreQuery } from '@mosy/core';
import {
  buildNormalizedRecord,
  createReferenceIndicatorStore,
  recordBatchesArb,
  sortCells,
  storeQueryArb,
} from '@mosy/testkit';
import { RECORD_COLUMNS, toRow } from './columns.js';
import { clickHouseDialect } from './dialect.js';
import { buildIndicatorSql, cellsFromRows, resultOfSingle, toCount } from './indicator-sql.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const TABLE = `mosy_sql_test_${randomUUID().replaceAll('-', '')}`;
/** The person links the persons count joins (empty but in the last test). */
const LINKS = `${TABLE}_links`;

async function clickhouse(sql: string, body?: string): Promise<string> {
  const url = body === undefined ? URL_BASE : `${URL_BASE}/?query=${encodeURIComponent(sql)}`;
  const response = await fetch(url, { method: 'POST', body: body ?? sql });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse ${response.status}: ${text}\n${sql}`);
  return text;
}

const select = async (sql: string): Promise<Record<string, unknown>[]> =>
  (JSON.parse(await clickhouse(`${sql} FORMAT JSON`)) as { data: Record<string, unknown>[] }).data;

/** The current row per key, as a store would hold it. */
function currentRows(records: readonly NormalizedRecord[]): NormalizedRecord[] {
  const current = new Map<string, NormalizedRecord>();
  for (const record of records) {
    const key = JSON.stringify([record.providerId, record.recordId]);
    const stored = current.get(key);
    if (stored === undefined || record.version > stored.version) current.set(key, record);
  }
  return [...current.values()];
}

async function load(records: readonly NormalizedRecord[]): Promise<void> {
  await clickhouse(`TRUNCATE TABLE ${TABLE}`);
  if (records.length === 0) return;
  const lines = currentRows(records).map((record) => {
    const row = toRow(record);
    return JSON.stringify({ ...row, withdrawn: row.withdrawn === true ? 1 : 0 });
  });
  await clickhouse(`INSERT INTO ${TABLE} FORMAT JSONEachRow`, lines.join('\n'));
}

/** The answer of the two statements; where there is a one-statement plan, it must give the same answer. */
async function answer(query: StoreQuery) {
  const { cellsSql, totalSql, single } = buildIndicatorSql(query, clickHouseDialect, TABLE, LINKS);
  const cells = cellsFromRows(query, await select(cellsSql));
  const [total] = await select(totalSql);
  const result = {
    cells: sortCells(cells),
    total: toCount(total?.n),
    ...(query.keySums === true ? { totalKeySum: toCount(total?.key_sum) } : {}),
  };
  if (single !== undefined) {
    const answered = JSON.parse(await clickhouse(`${single.sql} FORMAT JSON`)) as {
      data: Record<string, unknown>[];
      totals?: Record<string, unknown>;
    };
    const one = resultOfSingle(query, single.total, answered.data, answered.totals);
    expect({ ...one, cells: sortCells(one.cells) }).toEqual(result);
  }
  return result;
}

async function expectLikeReference(records: readonly NormalizedRecord[], queries: readonly StoreQuery[]) {
  await load(records);
  const reference = createReferenceIndicatorStore();
  for (const record of records) await reference.apply([record]);
  for (const query of queries) {
    const expected = await reference.query(query);
    expect(await answer(query)).toEqual({
      cells: sortCells(expected.cells),
      total: expected.total,
      ...(query.keySums === true ? { totalKeySum: expected.totalKeySum } : {}),
    });
  }
}

describe('clickHouseDialect on a real ClickHouse', () => {
  beforeAll(async () => {
    // The key number column of migration 009 of the ClickHouse store (`personKeyNumberColumn`).
    const columns = [
      ...RECORD_COLUMNS.map((column) => `${column.name} ${clickHouseDialect.columnType(column.type)}`),
      `person_key_number UInt32 MATERIALIZED ${clickHouseDialect.personKeyNumber('person_key')}`,
    ];
    await clickhouse(
      `CREATE TABLE ${TABLE} (${columns.join(', ')}) ENGINE = ReplacingMergeTree(version) ORDER BY (provider_id, record_id)`,
    );
    await clickhouse(
      `CREATE TABLE ${LINKS} (provider_id String, record_id String, person_key String, link_version Int64) ` +
        'ENGINE = ReplacingMergeTree(link_version) ORDER BY (provider_id, record_id)',
    );
  });
  afterAll(async () => {
    await clickhouse(`DROP TABLE IF EXISTS ${TABLE}`);
    await clickhouse(`DROP TABLE IF EXISTS ${LINKS}`);
  });

  it('buckets periods, truncates regions and crosses lists like the reference', async () => {
    const dates = ['2026-03-14', '2026-03', '2026', '2025-12-31', '2026-01-01', '2026-01-05'];
    const records = dates.map((referenceDate, i) =>
      buildNormalizedRecord({
        recordId: `t${i}`,
        referenceDate,
        personKey: `p:${i % 2}`,
        fields: {
          exploitation: i % 2 === 0 ? ['SEX', 'LAB'] : ['LAB'],
          citizenship: i < 3 ? ['PT', 'BR'] : ['UNK'],
          regionOfIdentification: ['PT111', 'PT16', 'PT', 'ES51', 'BR', 'UNK'][i]!,
          ageGroup: ['0-11', 'adult', 'UNK', '65+', 'child', '18-24'][i]!,
        },
      }),
    );
    records.push(buildNormalizedRecord({ recordId: 't0', version: 2, action: 'withdraw' }));
    const base = { kind: 'victim', unit: 'records', by: [], filters: {} } as const;
    await expectLikeReference(records, [
      ...(['day', 'week', 'month', 'quarter', 'year'] as const).map((interval) => ({ ...base, interval })),
      { ...base, by: ['exploitation', 'citizenship'], unit: 'persons' },
      { ...base, by: ['exploitation'], filters: { exploitation: ['SEX'] } },
      { ...base, by: ['regionOfIdentification'], geoLevel: 0 },
      {
        ...base,
        by: ['regionOfIdentification'],
        geoLevel: 1,
        filters: { regionOfIdentification: ['PT1', 'UNK'] },
      },
      { ...base, by: ['ageClass'], from: '2026-01-01', to: '2026-03-31' },
      { ...base, filters: { sex: [] } },
      { ...base, by: ['exploitation'], unit: 'persons', interval: 'year', keySums: true },
      { ...base, by: ['citizenship'], keySums: true },
    ]);
  });

  it('answers random queries over random histories like the reference', async () => {
    let answered = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        recordBatchesArb(['victim', 'suspect']),
        fc.array(storeQueryArb(['victim', 'suspect'], 3), { minLength: 1, maxLength: 6 }),
        async (batches, asked) => {
          const queries = asked.map((query, index) => ({ ...query, keySums: index % 2 === 0 }));
          await expectLikeReference(batches.flat(), queries);
          answered += queries.length;
          nonEmpty += (await Promise.all(queries.map((query) => answer(query)))).filter(
            (r) => r.total > 0,
          ).length;
        },
      ),
      { numRuns: 40 },
    );
    expect(nonEmpty).toBeGreaterThan(answered / 4);
  });

  it('counts persons by the linked key where one is stored, an emptied link as the record itself', async () => {
    await load(
      ['a', 'b', 'c', 'd'].map((recordId) => buildNormalizedRecord({ recordId, personKey: `p:${recordId}` })),
    );
    const provider = buildNormalizedRecord({}).providerId;
    const links = [
      { record_id: 'a', person_key: 'l:x', link_version: 1 },
      { record_id: 'b', person_key: 'l:x', link_version: 2 },
      { record_id: 'c', person_key: 'l:x', link_version: 3 },
      // c unlinked later: its own key counts again.
      { record_id: 'c', person_key: '', link_version: 4 },
    ];
    await clickhouse(
      `INSERT INTO ${LINKS} FORMAT JSONEachRow`,
      links.map((link) => JSON.stringify({ provider_id: provider, ...link })).join('\n'),
    );
    const query = { kind: 'victim', unit: 'persons', by: ['sex'], filters: {} } as const;
    const persons = await answer(query);
    expect(persons.total).toBe(3);
    expect(persons.cells.map((cell) => cell.value)).toEqual([3]);
    expect((await answer({ ...query, keySums: true })).total).toBe(3);
    await clickhouse(`TRUNCATE TABLE ${LINKS}`);
  });
});
