// The DuckDB rolling tables row by row (person counters included): kept by apply (appended deltas, compacted now and then), their compact form
// is exactly the core's reference state of the same history (`createRollingReference`: the SQL expansion and sums
// against `rollingCellsOf` and `rollingDelta`), and a rebuild from the current records gives the same rows, also for
// a database migrated from before rolling counts. Compactions run beside the applies, in transactions of their own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRollingReference, personCountersOf, type RollingState } from '@mosy/core';
import { benchRecords, recordBatchesArb } from '@mosy/testkit';
import { DuckDbDatabase, inTransaction } from './database.js';
import { createIndicatorStoreOn } from './indicator-store.js';
import { migrate } from './migrations.js';
import {
  COMPACT_CELLS_SQL,
  COMPACT_COUNTERS_SQL,
  COMPACT_REFS_SQL,
  compactRolling,
  rebuildRolling,
} from './rolling.js';

const CELL_SQL = `SELECT * FROM (${COMPACT_CELLS_SQL}) ORDER BY ALL`;
const REF_SQL = `SELECT * FROM (${COMPACT_REFS_SQL}) ORDER BY ALL`;
const COUNTER_SQL = `SELECT * FROM (${COMPACT_COUNTERS_SQL}) ORDER BY ALL`;

/** The reference state as the rows of CELL_SQL, REF_SQL and COUNTER_SQL. */
function rowsOf(state: RollingState): [unknown[][], unknown[][], unknown[][]] {
  const sorted = (rows: unknown[][]) => rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return [
    sorted(
      state.cells.map(({ cell, records, recordKeySum, persons, personKeySum }) => [
        cell.grouping,
        cell.month,
        cell.providerId,
        cell.k0,
        cell.k1,
        records,
        recordKeySum,
        persons,
        personKeySum,
      ]),
    ),
    sorted(
      state.refs.map(({ cell, personKey, refs }) => [
        cell.grouping,
        cell.month,
        cell.providerId,
        cell.k0,
        cell.k1,
        personKey,
        refs,
      ]),
    ),
    sorted(
      personCountersOf(state).map(({ grouping, grain, period, k0, k1, persons, personKeySum }) => [
        grouping,
        grain,
        period,
        k0,
        k1,
        persons,
        personKeySum,
      ]),
    ),
  ];
}

describe('DuckDB rolling tables', () => {
  it('hold the core reference state after random histories, and a rebuild from the current records gives the same', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        recordBatchesArb(['victim', 'suspect']),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        async (batches, compactions) => {
          const database = await DuckDbDatabase.open({
            path: ':memory:',
            readers: 1,
            config: { threads: '1' },
          });
          const store = createIndicatorStoreOn(database, () => database.close());
          try {
            await store.migrate();
            const reference = createRollingReference();
            for (const [index, batch] of batches.entries()) {
              await store.apply(batch);
              await store.apply(batch);
              reference.apply(batch);
              // Compacted between some batches: later deltas land on compacted rows.
              if (compactions[index] === true)
                await database.write((connection) =>
                  inTransaction(connection, () => compactRolling(connection, true)),
                );
            }
            const snapshot = () =>
              database.read(async (connection) => {
                const read = async (sql: string) =>
                  (await connection.runAndReadAll(sql))
                    .getRowsJS()
                    .map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
                const cells = await read(CELL_SQL);
                const refs = await read(REF_SQL);
                const counters = await read(COUNTER_SQL);
                const sorted = (rows: unknown[][]) =>
                  rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
                return [sorted(cells), sorted(refs), sorted(counters)];
              });
            const incremental = await snapshot();
            expect(incremental).toEqual(rowsOf(reference.state()));
            if (incremental[1]!.length > 0) nonEmpty++;
            await database.write((connection) => inTransaction(connection, () => rebuildRolling(connection)));
            expect(await snapshot()).toEqual(incremental);
            // As a database from before rolling counts: tables empty, no fingerprint; migrating fills them.
            await database.write(async (connection) => {
              for (const table of ['rolling_cells', 'rolling_refs', 'person_counters', 'rolling_state'])
                await connection.run(`DELETE FROM ${table}`);
              await migrate(connection);
            });
            expect(await snapshot()).toEqual(incremental);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 180_000);

  it('are compacted beside the applies: no apply waits for a compaction, and one spanning an apply keeps every sum', async () => {
    const database = await DuckDbDatabase.open({ path: ':memory:', readers: 1, config: { threads: '1' } });
    // No margin: every table that grew past twice its compacted rows is compacted at the next size check.
    const store = createIndicatorStoreOn(database, () => database.close(), { compactionMarginRows: 0 });
    const record = benchRecords(400);
    const batch = (from: number, count: number, version = 1) =>
      Array.from({ length: count }, (_, i) => record(from + i, version));
    const reference = createRollingReference();
    const apply = async (records: ReturnType<typeof batch>) => {
      await store.apply(records);
      reference.apply(records);
    };
    const rows = (table: string) =>
      database.read(async (connection) =>
        Number(
          (await connection.runAndReadAll(`SELECT count(*) AS n FROM ${table}`)).getRowObjectsJS()[0]!.n,
        ),
      );
    const expectExact = async () =>
      expect(
        await database.read(async (connection) => {
          const read = async (sql: string) =>
            (await connection.runAndReadAll(sql))
              .getRowsJS()
              .map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
          const sorted = (rows: unknown[][]) =>
            rows.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
          return [sorted(await read(CELL_SQL)), sorted(await read(REF_SQL)), sorted(await read(COUNTER_SQL))];
        }),
      ).toEqual(rowsOf(reference.state()));
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { opened, open };
    };
    try {
      await store.migrate();
      // Upkeep held up: the first apply (which checks the tables' sizes) and the next are applied all the same,
      // their rows appended as they came.
      const held = gate();
      const holding = database.maintain(() => held.opened);
      await apply(batch(0, 150));
      await apply(batch(150, 150));
      const compactCells = (await database.read(async (c) => (await c.runAndReadAll(CELL_SQL)).getRows()))
        .length;
      expect(await rows('rolling_cells')).toBeGreaterThan(compactCells);
      await expectExact();
      // Released, the compaction the first apply asked for runs, over both batches' rows.
      held.open();
      await holding;
      await database.maintain(() => Promise.resolve());
      expect(await rows('rolling_cells')).toBe(compactCells);
      await expectExact();

      // A compaction whose transaction is open while an apply replaces, withdraws and adds records and commits.
      const compacted = gate();
      const spanning = gate();
      const compaction = database.maintain((connection) =>
        inTransaction(connection, async () => {
          await compactRolling(connection, true);
          compacted.open();
          await spanning.opened;
        }),
      );
      await compacted.opened;
      await apply([
        ...batch(0, 100, 2),
        ...batch(100, 20, 3).map((r) => ({ ...r, action: 'withdraw' as const, fields: {} })),
        ...batch(300, 100),
      ]);
      spanning.open();
      await compaction;
      await expectExact();
    } finally {
      await store.close();
    }
  }, 60_000);
});
