import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { protectTable } from './protect-table.js';
import type { FrequencyTable, ProtectedTable, TableEntry } from './table.js';
import {
  STAR,
  T,
  additive,
  additiveTable,
  canBe,
  coordKey,
  peelingAttack,
  persons,
  propagate,
  published,
  toTable,
  type Dense,
} from './test-support/tables.js';

/** Property tests with many runs; the machine running them may be busy. */
const SLOW = 60_000;

function checkBasics(dense: Dense, result: ProtectedTable, pub: ReadonlyMap<string, number | null>): void {
  let withheld = 0;
  for (const [key, value] of dense.values) {
    const shown = pub.get(key);
    if (value > 0 && value < T) expect(shown).toBeNull();
    if (value === 0) expect(shown).toBe(0);
    if (shown !== null) expect(shown).toBe(value);
    else withheld++;
  }
  expect(result.withheld).toBe(withheld);
  for (const entry of [...result.cells, ...result.margins, result.total])
    expect(entry.flag).toBe(entry.value === null ? 'c' : undefined);
}

describe('protectTable', () => {
  it('withholds a small cell and the smallest cell that hides it (1 dimension)', () => {
    const result = protectTable({
      dims: ['sex'],
      cells: [
        { key: { sex: 'F' }, value: 3 },
        { key: { sex: 'M' }, value: 12 },
        { key: { sex: 'X' }, value: 0 },
        { key: { sex: 'UNK' }, value: 7 },
      ],
      margins: [],
      total: 22,
    });
    expect(result.cells.map((c) => c.value)).toEqual([null, 12, 0, null]);
    expect(result.cells[0]).toEqual({ key: { sex: 'F' }, value: null, flag: 'c' });
    expect(result.total).toEqual({ value: 22 });
    expect(result.withheld).toBe(2);
  });

  it('lets two small cells protect each other when together they can reach the threshold', () => {
    const result = protectTable({
      dims: ['sex'],
      cells: [
        { key: { sex: 'F' }, value: 3 },
        { key: { sex: 'M' }, value: 4 },
      ],
      margins: [],
      total: 7,
    });
    // F + M = 7 with both ≥ 1: F could be anything in 1..6, M in 1..6; both could be 5 or more.
    expect(result.cells.map((c) => c.value)).toEqual([null, null]);
    expect(result.total.value).toBe(7);
  });

  it('picks a partner large enough for a small cell to reach the threshold', () => {
    const result = protectTable({
      dims: ['sex'],
      cells: [
        { key: { sex: 'F' }, value: 1 },
        { key: { sex: 'M' }, value: 2 },
        { key: { sex: 'UNK' }, value: 40 },
      ],
      margins: [],
      total: 43,
    });
    // F = 1 must be able to move up by 4, so its partner must be able to move down by 4 and stay ≥ 1: M = 2
    // cannot, UNK = 40 (cheaper than the total, 43) can. M then finds UNK already withheld.
    expect(result.cells.map((c) => c.value)).toEqual([null, null, null]);
    expect(result.total.value).toBe(43);
  });

  it('protects the classic 2 × 2 case by a cycle of four cells', () => {
    const cells = [
      { key: { sex: 'F', period: '2026-Q1' }, value: 2 },
      { key: { sex: 'F', period: '2026-Q2' }, value: 20 },
      { key: { sex: 'M', period: '2026-Q1' }, value: 30 },
      { key: { sex: 'M', period: '2026-Q2' }, value: 40 },
    ];
    const margins: TableEntry[] = [
      { key: { sex: 'F' }, value: 22 },
      { key: { sex: 'M' }, value: 70 },
      { key: { period: '2026-Q1' }, value: 32 },
      { key: { period: '2026-Q2' }, value: 60 },
    ];
    const result = protectTable({ dims: ['sex', 'period'], cells, margins, total: 92 });
    expect(result.cells.map((c) => c.value)).toEqual([null, null, null, null]);
    expect(result.margins.map((c) => c.value)).toEqual([22, 70, 32, 60]);
    expect(result.total.value).toBe(92);
  });

  it('leaves a table without small counts alone, and zeros are never withheld', () => {
    const result = protectTable({
      dims: ['sex'],
      cells: [
        { key: { sex: 'F' }, value: 0 },
        { key: { sex: 'M' }, value: 5 },
      ],
      margins: [],
      total: 5,
    });
    expect(result.cells.map((c) => c.value)).toEqual([0, 5]);
    expect(result.withheld).toBe(0);
  });

  it('honours a configured threshold', () => {
    const table: FrequencyTable = {
      dims: ['sex'],
      cells: [
        { key: { sex: 'F' }, value: 6 },
        { key: { sex: 'M' }, value: 30 },
      ],
      margins: [],
      total: 36,
    };
    expect(protectTable(table).withheld).toBe(0);
    expect(protectTable(table, { threshold: 10 }).cells.map((c) => c.value)).toEqual([null, null]);
    expect(protectTable(table, { threshold: 1 }).withheld).toBe(0);
  });

  it('refuses inconsistent tables and bad options', () => {
    const cells = [
      { key: { sex: 'F' }, value: 6 },
      { key: { sex: 'M' }, value: 30 },
    ];
    expect(() => protectTable({ dims: ['sex'], cells, margins: [], total: 37 })).toThrow(
      /outside \[30, 36\]/,
    );
    expect(() => protectTable({ dims: ['sex'], cells, margins: [], total: 29 })).toThrow(MosyError);
    expect(() =>
      protectTable({ dims: ['sex'], cells: [...cells, cells[0]!], margins: [], total: 36 }),
    ).toThrow(/given twice/);
    expect(() => protectTable({ dims: ['sex', 'age'], cells, margins: [], total: 36 })).toThrow(
      /lacks a dimension/,
    );
    expect(() =>
      protectTable({ dims: ['sex'], cells: [{ key: { sex: 'F' }, value: 1.5 }], margins: [], total: 1 }),
    ).toThrow(/integer/);
    expect(() => protectTable({ dims: ['sex'], cells, margins: [], total: 36 }, { threshold: 0 })).toThrow(
      /threshold/,
    );
    expect(() =>
      protectTable({
        dims: ['sex', 'period'],
        cells: [{ key: { sex: 'F', period: '2026' }, value: 6 }],
        margins: [{ key: { sex: 'F' }, value: 6 }],
        total: 6,
      }),
    ).toThrow(/margin over sex at \{"period":"2026"\} is missing/);
  });

  it(
    'publishes every value it does not withhold unchanged, withholds every small count, and flags',
    () => {
      fc.assert(
        fc.property(fc.oneof(additive(3, 4), persons(3, 3)), (dense) => {
          const result = protectTable(toTable(dense));
          checkBasics(dense, result, published(dense, result));
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );

  it(
    'leaves no withheld entry alone in a line, so subtraction recovers nothing (additive, 1–4 dimensions)',
    () => {
      fc.assert(
        fc.property(additive(4, 3), (dense) => {
          const result = protectTable(toTable(dense));
          const pub = published(dense, result);
          expect([...peelingAttack(dense, pub)]).toEqual([]);
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );

  it(
    'resists interval reasoning: no withheld entry is pinned, no small cell is proven small (both kinds)',
    () => {
      fc.assert(
        fc.property(fc.oneof(additive(3, 4), persons(3, 3)), (dense) => {
          const result = protectTable(toTable(dense));
          const pub = published(dense, result);
          const bounds = propagate(dense, pub)!;
          expect(bounds).toBeDefined();
          for (const [key, value] of dense.values) {
            if (pub.get(key) !== null) continue;
            const { lo, hi } = bounds.get(key)!;
            expect(lo).toBeLessThanOrEqual(value); // The attacker's model is sound...
            expect(hi).toBeGreaterThanOrEqual(value);
            expect(hi).toBeGreaterThan(lo); // ...and yet cannot pin the entry,
            if (value < T) expect(hi).toBeGreaterThanOrEqual(T); // nor prove a small count small.
          }
        }),
        { numRuns: 400 },
      );
    },
    SLOW,
  );

  it(
    'resists an exact attacker on small 1–2 dimension tables (exhaustive integer search)',
    () => {
      const small = fc
        .tuple(
          fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
          fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 9 })), {
            minLength: 1,
            maxLength: 9,
          }),
        )
        .map(([s, values]) => additiveTable(s, values));
      fc.assert(
        fc.property(small, (dense) => {
          const result = protectTable(toTable(dense));
          const pub = published(dense, result);
          const truth = (key: string): number => dense.values.get(key)!;
          const total = truth(coordKey(dense.sizes.map(() => STAR)));
          // A cap only adds knowledge; the true table and the method's alternatives stay well inside it.
          const cap = total + T;
          for (const [key, shown] of pub) {
            if (shown !== null) continue;
            expect(canBe(dense, pub, key, (v) => v !== truth(key), cap)).toBe(true);
            if (truth(key) < T) expect(canBe(dense, pub, key, (v) => v >= T, cap)).toBe(true);
          }
        }),
        { numRuns: 150 },
      );
    },
    SLOW,
  );

  it(
    'gives the same suppressions for the same table in any order',
    () => {
      fc.assert(
        fc.property(additive(3, 4), fc.integer(), (dense, seed) => {
          const table = toTable(dense);
          const shuffle = <E>(list: readonly E[]): E[] =>
            list
              .map((e, i) => ({ e, r: Math.sin(seed + i) }))
              .sort((a, b) => a.r - b.r)
              .map(({ e }) => e);
          const a = protectTable(table);
          const b = protectTable({ ...table, cells: shuffle(table.cells), margins: shuffle(table.margins) });
          const asMap = (r: ProtectedTable): Map<string, number | null> =>
            new Map(
              [...r.cells, ...r.margins].map((e) => [JSON.stringify(Object.entries(e.key).sort()), e.value]),
            );
          expect(asMap(b)).toEqual(asMap(a));
          expect(b.total).toEqual(a.total);
        }),
        { numRuns: 100 },
      );
    },
    SLOW,
  );
});
