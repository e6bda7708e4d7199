// Persons reads from the grain references on a real ClickHouse (MOSY_CLICKHOUSE_URL), on a database
// `test_grains_<uuid>` of its own: persons in several providers, months and store instances (two stores applying
// at once), list fields, year-dated records, a record moving to another person, withdrawals and replays of old
// versions. Every read routed to a grain equals the core roll-up (`rollingResultOf`), the reference store and
// ClickHouse's own current-records path, with merges stopped and after merging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REGISTERED_STATUSES,
  createRollingReference,
  rollingGrainsOf,
  rollingReadOf,
  rollingResultOf,
  type NormalizedRecord,
  type StoreQuery,
} from '@mosy/core';
import {
  buildNormalizedRecord,
  clickHouseTestDatabases,
  createReferenceIndicatorStore,
  comparableResult,
  type NormalizedRecordOverrides,
} from '@mosy/testkit';
import { createClickHouseStores, type ClickHouseStores } from './clickhouse-stores.js';
import { ClickHouseConnection } from './connection.js';
import { invalidateRolling, readRolling, rollingTables } from './rolling.js';

const URL_BASE = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const databases = clickHouseTestDatabases(URL_BASE);
const TABLES = rollingTables();
const WRITTEN = ['records_current', TABLES.cells, TABLES.refs, TABLES.grainRefs] as const;

const victim = (
  providerId: string,
  recordId: string,
  personKey: string,
  referenceDate: string,
  fields: NormalizedRecordOverrides['fields'],
  version = 1,
): NormalizedRecord =>
  buildNormalizedRecord({
    providerId,
    recordId,
    personKey,
    referenceDate,
    version,
    fields: { status: 'IDENTIFIED', ageGroup: '18-24', ...fields },
  });

const withdrawal = (record: NormalizedRecord, version: number): NormalizedRecord => ({
  ...record,
  version,
  action: 'withdraw',
  fields: {},
});

const a1 = victim('prov-a', 'a1', 'p:1', '2025-02-10', { sex: 'F', citizenship: ['FR', 'DE'] });
const b1 = victim('prov-b', 'b1', 'p:1', '2025-02-20', { sex: 'F', citizenship: ['FR'] });
/** Applied at once by two store instances (providers a and b, as two aggregator partitions would). */
const CONCURRENT: readonly (readonly NormalizedRecord[])[] = [
  [
    a1,
    victim('prov-a', 'a2', 'p:1', '2025-05-03', { sex: 'F', citizenship: ['FR'] }),
    victim('prov-a', 'a3', 'p:2', '2024-11-01', { sex: 'M', citizenship: ['PT', 'PT'] }),
    victim('prov-a', 'a4', 'p:5', '2025', { sex: 'F', citizenship: ['UNK'] }),
  ],
  [
    b1,
    victim('prov-b', 'b2', 'p:2', '2025', { sex: 'M', citizenship: ['UNK'] }),
    victim('prov-b', 'b3', 'p:3', '2025-03-31', { sex: 'F', citizenship: ['DE'] }),
    victim('prov-b', 'b4', 'p:6', '2025-04', { sex: 'F', ageGroup: '25-34', citizenship: [] }),
  ],
];
const LATER: readonly (readonly NormalizedRecord[])[] = [
  [
    victim('prov-c', 'c1', 'r:prov-c/c1', '2025-01-05', { sex: 'F', citizenship: ['FR'] }),
    victim('prov-c', 'c2', 'p:3', '2025-02-14', { sex: 'F', citizenship: ['DE', 'FR'] }),
    victim('prov-c', 'c3', 'p:7', '2025-02-14', { sex: 'M', status: 'NOT_CONFIRMED', citizenship: ['FR'] }),
  ],
  // a1 moves to another person, b1 is withdrawn, b3 changes sex; a2 is corrected twice in one batch.
  [
    victim('prov-a', 'a1', 'p:4', '2025-02-10', { sex: 'F', citizenship: ['FR', 'DE'] }, 2),
    withdrawal(b1, 2),
    victim('prov-b', 'b3', 'p:3', '2025-03-31', { sex: 'M', citizenship: ['DE'] }, 2),
    victim('prov-a', 'a2', 'p:1', '2025-06-03', { sex: 'F', citizenship: ['FR'] }, 2),
    victim('prov-a', 'a2', 'p:1', '2025-07-03', { sex: 'F', citizenship: ['FR', 'PT'] }, 3),
  ],
  // Replays of old versions: nothing changes.
  [a1, b1, victim('prov-b', 'b3', 'p:3', '2025-03-31', { sex: 'F', citizenship: ['DE'] })],
];

const base = {
  kind: 'victim',
  unit: 'persons',
  filters: { status: REGISTERED_STATUSES },
  keySums: true,
} as const;
/** Reads and the grains `rollingGrainsOf` routes their cells and total to. */
const ROUTED: readonly (readonly [StoreQuery, string | undefined, string | undefined])[] = [
  [{ ...base, by: ['sex', 'ageGroup'], interval: 'quarter' }, 'quarter', 'all'],
  [{ ...base, by: ['citizenship'], interval: 'quarter' }, 'quarter', 'all'],
  [{ ...base, by: ['ageGroup', 'sex'], interval: 'month' }, 'month', 'all'],
  [{ ...base, by: ['sex'], interval: 'year', from: '2024-01-01', to: '2025-12-31' }, 'year', undefined],
  [
    { ...base, by: ['citizenship'], interval: 'quarter', from: '2025-01-01', to: '2025-06-30' },
    'quarter',
    undefined,
  ],
  [
    { ...base, by: ['citizenship'], interval: 'quarter', from: '2025-01-01', to: '2025-12-31' },
    'quarter',
    'year',
  ],
  [{ ...base, by: ['sex'], from: '2025-01-01', to: '2025-12-31' }, 'year', 'year'],
  [{ ...base, by: ['citizenship'], from: '2025-01-01', to: '2025-03-31' }, 'quarter', 'quarter'],
  [{ ...base, by: ['sex'], from: '2025-02-01', to: '2025-02-28' }, 'month', 'month'],
  [{ ...base, by: [] }, 'all', 'all'],
  [{ ...base, by: ['sex'], interval: 'year', from: '2025-01-01', to: '2025-12-31' }, 'year', 'year'],
  [
    {
      ...base,
      by: ['ageGroup'],
      filters: { ...base.filters, sex: ['F', 'M'] },
      interval: 'quarter',
    },
    'quarter',
    'all',
  ],
  [{ ...base, by: ['sex', 'providerId'], interval: 'quarter' }, undefined, 'all'],
  [{ ...base, by: [], filters: { ...base.filters, sex: ['F', 'M'] } }, 'all', 'all'],
  [{ ...base, by: [], filters: { ...base.filters, sex: ['F', 'M'] }, interval: 'year' }, 'year', 'all'],
];

describe('persons reads from the grain references on ClickHouse', () => {
  const database = databases.fresh('test_grains');
  let first: ClickHouseStores;
  let second: ClickHouseStores;
  let raw: ClickHouseConnection;
  const reference = createReferenceIndicatorStore();
  const rolling = createRollingReference();

  beforeAll(async () => {
    first = await createClickHouseStores({ url: URL_BASE, database });
    second = await createClickHouseStores({ url: URL_BASE, database });
    raw = await ClickHouseConnection.open({ url: URL_BASE, database });
    for (const table of WRITTEN) await raw.command(`SYSTEM STOP MERGES ${table}`);
    const outcomes = await Promise.all([
      first.store.apply(CONCURRENT[0]!),
      second.store.apply(CONCURRENT[1]!),
    ]);
    expect(outcomes).toEqual([
      { applied: 4, ignored: 0 },
      { applied: 4, ignored: 0 },
    ]);
    for (const batch of CONCURRENT) {
      await reference.apply(batch);
      rolling.apply(batch);
    }
    for (const [index, batch] of LATER.entries()) {
      const store = index % 2 === 0 ? first.store : second.store;
      expect(await store.apply(batch)).toEqual(await reference.apply(batch));
      rolling.apply(batch);
    }
  });

  afterAll(async () => {
    await raw?.close();
    await first?.close();
    await second?.close();
    await databases.drop(database);
  });

  it('routes each read to the grains expected', () => {
    for (const [query, cells, total] of ROUTED) {
      const plan = rollingGrainsOf(rollingReadOf(query)!);
      expect([plan.cells?.grain, plan.total?.grain], JSON.stringify(query)).toEqual([cells, total]);
    }
  });

  it('counts every person once per cell and in the total: exact figures', async () => {
    const query = ROUTED[0]![0];
    const result = await readRolling(raw, query, rollingReadOf(query)!);
    // p:1 (a2, moved to July) and p:4 (a1), p:3 (c2 February: F, b3 March: M), p:2, p:5, p:6, and one own person.
    expect(result.total).toBe(7);
    expect(result.cells.map((cell) => [cell.key.sex, cell.key.ageGroup, cell.period, cell.value])).toEqual([
      ['F', '18-24', '2025-Q1', 3],
      ['F', '18-24', '2025-Q3', 1],
      ['F', '18-24', '2025-unspecified', 1],
      ['F', '25-34', '2025-Q2', 1],
      ['M', '18-24', '2024-Q4', 1],
      ['M', '18-24', '2025-Q1', 1],
      ['M', '18-24', '2025-unspecified', 1],
    ]);
  });

  it('answers every routed read like the core roll-up and the current records, unmerged and merged', async () => {
    const state = rolling.state();
    const check = async (label: string): Promise<void> => {
      for (const [query] of ROUTED) {
        const read = rollingReadOf(query)!;
        const expected = comparableResult(rollingResultOf(query, read, state));
        const name = `${label} ${JSON.stringify(query)}`;
        expect(comparableResult(await readRolling(raw, query, read)), name).toEqual(expected);
        expect(comparableResult(await reference.query(query)), name).toEqual(expected);
      }
    };
    await check('unmerged');
    for (const table of WRITTEN) {
      await raw.command(`SYSTEM START MERGES ${table}`);
      await raw.command(`OPTIMIZE TABLE ${table} FINAL`);
    }
    await check('merged');
    // The same reads from ClickHouse's current records (an invalidation sends every read there).
    await invalidateRolling(raw);
    for (const [query] of ROUTED) {
      const read = rollingReadOf(query)!;
      expect(comparableResult(await first.store.query(query)), JSON.stringify(query)).toEqual(
        comparableResult(rollingResultOf(query, read, state)),
      );
    }
  });
});
