import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { cellIdentity, protectLinkedTables } from './linked-tables.js';
import type { LinkedTable, ProtectedLinkedTables } from './linked-tables.js';
import { protectTable } from './protect-table.js';
import {
  boundReport,
  entryName,
  peelReport,
  publishedReport,
  report,
  reportOf,
  systemOf,
  type Person,
} from './test-support/linked-report.js';

const T = 5;
const SLOW = 60_000;

const persons = (n: number, codes: Record<string, string>): Person[] =>
  Array.from({ length: n }, () => ({
    exploitation: ['EXP_SEX'],
    ...Object.fromEntries(Object.entries(codes).map(([dim, c]) => [dim, [c]])),
  }));

/**
 * Sex: F 3, M 20, UNK 30. Alone, the sex table hides F behind M (the cheapest partner); the sex × age table hides
 * F × child behind UNK × child (6 + 30 is cheaper than 20 + 20) and so publishes M = 20: together, F = 53 − 30 − 20.
 */
const LEAKY: Person[] = [
  ...persons(3, { sex: 'F', age: 'Y_LT18', citizen: 'NAT' }),
  ...persons(20, { sex: 'M', age: 'Y_LT18', citizen: 'NAT' }),
  ...persons(6, { sex: 'UNK', age: 'Y_LT18', citizen: 'NAT' }),
  ...persons(24, { sex: 'UNK', age: 'Y_GE18', citizen: 'NAT' }),
];

/** Each table protected on its own: what `protectLinkedTables` does without propagating between tables. */
const protectEachAlone = (tables: readonly LinkedTable[]): ProtectedLinkedTables => ({
  tables: tables.map((t) => ({ id: t.id, ...protectTable(t.table) })),
  withheld: 0,
  rounds: 1,
});

/** Every attack on the whole report, with the facts every protected report must satisfy. */
function attack(
  people: readonly Person[],
  tables: readonly LinkedTable[],
  result: ProtectedLinkedTables,
): void {
  const system = systemOf(people, tables);
  const pub = publishedReport(system, tables, result);
  let withheld = 0;
  for (const [name, value] of system.values) {
    const shown = pub.get(name);
    if (shown === undefined) continue; // In no table of the report (only in the attackers' full key space).
    if (value > 0 && value < T) expect(shown, name).toBeNull();
    if (value === 0) expect(shown, name).toBe(0);
    if (shown === null) withheld++;
    else expect(shown, name).toBe(value);
  }
  expect(result.withheld).toBe(withheld);
  expect(peelReport(system, pub)).toEqual(new Set());
  const bounds = boundReport(system, pub);
  expect(bounds).toBeDefined();
  for (const [name, shown] of pub) {
    if (shown !== null) continue;
    const { lo, hi } = bounds!.get(name)!;
    const value = system.values.get(name)!;
    expect(lo <= value && value <= hi, `${name} = ${value} in [${lo}, ${hi}]`).toBe(true);
    expect(lo < hi, `${name} is pinned to ${lo}`).toBe(true);
  }
}

describe('cellIdentity', () => {
  it('names an entry by its scope and codes, whatever the table or order', () => {
    expect(cellIdentity({ indicator: 'victims' }, { sex: 'F' })).toBe(
      cellIdentity({ indicator: 'victims' }, { sex: 'F' }),
    );
    expect(cellIdentity({ period: 'Q1', indicator: 'victims' }, { sex: 'F', age: 'Y_LT18' })).toBe(
      cellIdentity({ indicator: 'victims', period: 'Q1' }, { age: 'Y_LT18', sex: 'F' }),
    );
    expect(cellIdentity({ indicator: 'victims' }, {})).not.toBe(cellIdentity({ indicator: 'suspects' }, {}));
    expect(() => cellIdentity({ sex: 'F' }, { sex: 'M' })).toThrow(MosyError);
  });
});

describe('protectLinkedTables', () => {
  it('withholds an entry in every table that has it', () => {
    const tables = reportOf(LEAKY, [['sex'], ['sex', 'age']]);
    const result = protectLinkedTables(tables);
    const [sex, sexAge] = result.tables;
    const margin = (sexCode: string) => sexAge!.margins.find((m) => m.key.sex === sexCode && !m.key.age)!;
    for (const code of ['F', 'M', 'UNK']) {
      const inSex = sex!.cells.find((c) => c.key.sex === code)!;
      expect(inSex.value, code).toBe(margin(code).value);
      expect(inSex.flag, code).toBe(margin(code).flag);
    }
    expect(sex!.cells.find((c) => c.key.sex === 'F')).toEqual({ key: { sex: 'F' }, value: null, flag: 'c' });
    attack(LEAKY, tables, result);
  });

  it('closes the leak that tables protected one by one leave (the check fails without propagation)', () => {
    const tables = reportOf(LEAKY, [['sex'], ['sex', 'age']]);
    const alone = protectEachAlone(tables);
    const system = systemOf(LEAKY, tables);
    const name = entryName({ indicator: 'victims' }, { sex: 'F' });
    // Alone, M is withheld in one table and published in the other, and F = 53 − 30 − 20 follows.
    const pub = new Map<string, number | null>();
    for (const [n, v] of system.values) pub.set(n, v === 0 ? 0 : null);
    alone.tables.forEach((t, i) => {
      const scope = tables[i]!.scope;
      for (const e of [...t.cells, ...t.margins])
        if (e.value !== null) pub.set(entryName(scope, e.key), e.value);
      if (t.total.value !== null) pub.set(entryName(scope, {}), t.total.value);
    });
    expect(peelReport(system, pub)).toContain(name);
    expect(() => attack(LEAKY, tables, alone)).toThrow();
    attack(LEAKY, tables, protectLinkedTables(tables));
  });

  it('protects a single count and a table without small counts as they are', () => {
    const tables: LinkedTable[] = [
      { id: 'total', scope: { indicator: 'victims' }, table: { dims: [], cells: [], margins: [], total: 3 } },
      {
        id: 'suspects',
        scope: { indicator: 'suspects' },
        table: { dims: ['sex'], cells: [{ key: { sex: 'F' }, value: 9 }], margins: [], total: 9 },
      },
    ];
    const result = protectLinkedTables(tables);
    expect(result.tables[0]!.total).toEqual({ value: null, flag: 'c' });
    expect(result.tables[1]!.cells).toEqual([{ key: { sex: 'F' }, value: 9 }]);
    expect(result.tables[1]!.total).toEqual({ value: 9 });
    expect(result.withheld).toBe(1);
    expect(result.rounds).toBe(1);
  });

  it('rejects two tables that disagree on a shared entry, and a table id given twice', () => {
    const sex: LinkedTable = {
      id: 'sex',
      scope: { indicator: 'victims' },
      table: { dims: ['sex'], cells: [{ key: { sex: 'F' }, value: 9 }], margins: [], total: 9 },
    };
    const total: LinkedTable = {
      id: 'total',
      scope: { indicator: 'victims' },
      table: { dims: [], cells: [], margins: [], total: 10 },
    };
    expect(() => protectLinkedTables([sex, total])).toThrow(/9 in sex but 10 in total/);
    expect(() => protectLinkedTables([sex, sex])).toThrow(MosyError);
  });

  it('is deterministic whatever the order of the entries', () => {
    const tables = reportOf(LEAKY, [['sex'], ['sex', 'age'], ['age']]);
    const reversed = tables.map((t) => ({
      ...t,
      table: { ...t.table, cells: [...t.table.cells].reverse(), margins: [...t.table.margins].reverse() },
    }));
    const a = protectLinkedTables(tables);
    const b = protectLinkedTables(reversed);
    const byName = (r: ProtectedLinkedTables) =>
      new Map(
        r.tables.flatMap((t) =>
          [...t.cells, ...t.margins].map((e) => [`${t.id}:${JSON.stringify(e.key)}`, e.value]),
        ),
      );
    expect(byName(b)).toEqual(byName(a));
  });

  it(
    'leaves no withheld entry recoverable from the whole report (random persons and breakdowns)',
    () => {
      fc.assert(
        fc.property(report, ({ persons: people, breakdowns }) => {
          const tables = reportOf(people, breakdowns);
          attack(people, tables, protectLinkedTables(tables));
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );
});
