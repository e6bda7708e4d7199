import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { protectTable } from './protect-table.js';
import type { FrequencyTable, ProtectedTable, TableEntry } from './table.js';

/** Property tests with many runs; the machine running them may be busy. */
const SLOW = 60_000;

/**
 * The tests describe a table independently of the code under test: entries keyed by coordinates, `*` for "all
 * codes" (a margin), and the relations as lines, each a margin with the cells it covers along one dimension.
 */
const STAR = -1;
interface Dense {
  readonly sizes: readonly number[];
  /** Keyed by `coordKey`, every entry including margins and the total. */
  readonly values: ReadonlyMap<string, number>;
  /** Whether margins are sums of their cells (else distinct persons: max ≤ margin ≤ sum). */
  readonly additive: boolean;
}
interface Line {
  readonly margin: string;
  readonly cells: readonly string[];
}

const coordKey = (coords: readonly number[]): string =>
  coords.map((c) => (c === STAR ? '*' : String(c))).join(',');
const DIM_NAMES = ['sex', 'exploitation', 'period', 'providerType'];
const code = (d: number, c: number): string => `${DIM_NAMES[d]!.slice(0, 3)}${c}`;

/** Every coordinate tuple over sizes, with `*` as one more value per dimension. */
function allCoords(sizes: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of sizes)
    out = out.flatMap((prefix) => [
      ...Array.from({ length: size }, (_, c) => [...prefix, c]),
      [...prefix, STAR],
    ]);
  return out;
}

function linesOf(sizes: readonly number[]): Line[] {
  const lines: Line[] = [];
  for (const coords of allCoords(sizes))
    sizes.forEach((size, d) => {
      if (coords[d] !== STAR) return;
      const cells = Array.from({ length: size }, (_, c) => coordKey(coords.map((x, e) => (e === d ? c : x))));
      lines.push({ margin: coordKey(coords), cells });
    });
  return lines;
}

/** An additive table: margins are sums of cells. */
function additiveTable(sizes: readonly number[], cellValues: readonly number[]): Dense {
  const values = new Map<string, number>();
  let next = 0;
  const cells = allCoords(sizes).filter((cs) => !cs.includes(STAR));
  for (const cs of cells) values.set(coordKey(cs), cellValues[next++ % cellValues.length]!);
  for (const cs of allCoords(sizes)) {
    if (!cs.includes(STAR)) continue;
    let sum = 0;
    for (const cell of cells)
      if (cell.every((c, d) => cs[d] === STAR || cs[d] === c)) sum += values.get(coordKey(cell))!;
    values.set(coordKey(cs), sum);
  }
  return { sizes, values, additive: true };
}

/** A distinct-person table: each person has a non-empty set of codes per dimension (multi-valued fields). */
function personTable(sizes: readonly number[], persons: readonly (readonly (readonly number[])[])[]): Dense {
  const values = new Map<string, number>();
  for (const cs of allCoords(sizes)) {
    const n = persons.filter((p) => cs.every((c, d) => c === STAR || p[d]!.includes(c))).length;
    values.set(coordKey(cs), n);
  }
  return { sizes, values, additive: false };
}

function toTable(dense: Dense): FrequencyTable {
  const dims = dense.sizes.map((_, d) => DIM_NAMES[d]!);
  const cells: TableEntry[] = [];
  const margins: TableEntry[] = [];
  let total = 0;
  for (const cs of allCoords(dense.sizes)) {
    const value = dense.values.get(coordKey(cs))!;
    const key = Object.fromEntries(cs.flatMap((c, d) => (c === STAR ? [] : [[dims[d]!, code(d, c)]])));
    if (cs.every((c) => c === STAR)) total = value;
    else if (cs.includes(STAR)) margins.push({ key, value });
    else if (value > 0 || cs.length % 2 === 0) cells.push({ key, value }); // Some zero cells given, some left out.
  }
  return { dims, cells, margins, total };
}

/** The published values by coordinate key: a number, or null when withheld. Absent cells are published zeros. */
function published(dense: Dense, result: ProtectedTable): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [key, value] of dense.values) out.set(key, value === 0 ? 0 : value);
  const back = (key: Readonly<Record<string, string>>): string =>
    coordKey(
      dense.sizes.map((_, d) => {
        const c = key[DIM_NAMES[d]!];
        return c === undefined ? STAR : Number(c.slice(3));
      }),
    );
  for (const entry of [...result.cells, ...result.margins]) out.set(back(entry.key), entry.value);
  out.set(coordKey(dense.sizes.map(() => STAR)), result.total.value);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Attackers. Each knows the published values, which entries are withheld, the relations of the table and that a
// withheld count is an integer ≥ 1 (the method never withholds a zero). They differ in how hard they reason.

/** Solves every line with exactly one unknown, repeatedly (additive tables): the entries it recovers. */
function peelingAttack(dense: Dense, pub: ReadonlyMap<string, number | null>): Set<string> {
  const known = new Map<string, number>();
  for (const [key, value] of pub) if (value !== null) known.set(key, value);
  const recovered = new Set<string>();
  const lines = linesOf(dense.sizes);
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const unknown = [line.margin, ...line.cells].filter((key) => !known.has(key));
      if (unknown.length !== 1) continue;
      const [only] = unknown as [string];
      const cellSum = line.cells.reduce((s, key) => s + (known.get(key) ?? 0), 0);
      known.set(only, only === line.margin ? cellSum : known.get(line.margin)! - cellSum);
      recovered.add(only);
      changed = true;
    }
  }
  return recovered;
}

interface Interval {
  lo: number;
  hi: number;
}

/**
 * Interval propagation to a fixpoint over every line: `margin = sum(cells)` for additive tables, `cell ≤ margin ≤
 * sum(cells)` for distinct persons. `fixed` pins chosen unknowns (for the exhaustive search). Undefined when the
 * constraints are contradictory.
 */
function propagate(
  dense: Dense,
  pub: ReadonlyMap<string, number | null>,
  fixed: ReadonlyMap<string, number> = new Map(),
  cap = Infinity,
): Map<string, Interval> | undefined {
  const bounds = new Map<string, Interval>();
  for (const [key, value] of pub) {
    const v = value ?? fixed.get(key);
    bounds.set(key, v === undefined ? { lo: 1, hi: cap } : { lo: v, hi: v });
  }
  const lines = linesOf(dense.sizes);
  const tighten = (key: string, lo: number, hi: number): boolean => {
    const b = bounds.get(key)!;
    const nlo = Math.max(b.lo, Math.ceil(lo));
    const nhi = Math.min(b.hi, Math.floor(hi));
    if (nlo === b.lo && nhi === b.hi) return false;
    b.lo = nlo;
    b.hi = nhi;
    return true;
  };
  for (let changed = true, rounds = 0; changed && rounds < 10_000; rounds++) {
    changed = false;
    for (const line of lines) {
      const m = bounds.get(line.margin)!;
      const cs = line.cells.map((key) => bounds.get(key)!);
      const sumLo = cs.reduce((s, b) => s + b.lo, 0);
      const sumHi = cs.reduce((s, b) => s + b.hi, 0);
      if (dense.additive) changed = tighten(line.margin, sumLo, sumHi) || changed;
      else changed = tighten(line.margin, Math.max(...cs.map((b) => b.lo)), sumHi) || changed;
      line.cells.forEach((key, i) => {
        let othersLo = 0;
        let othersHi = 0;
        cs.forEach((b, j) => {
          if (j === i) return;
          othersLo += b.lo;
          othersHi += b.hi;
        });
        if (dense.additive) changed = tighten(key, m.lo - othersHi, m.hi - othersLo) || changed;
        else changed = tighten(key, m.lo - othersHi, m.hi) || changed;
      });
      if ([m, ...cs].some((b) => b.lo > b.hi)) return undefined;
    }
  }
  return bounds;
}

/**
 * Exact attacker for small tables: whether some integer table within `cap` agrees with everything published and
 * has the withheld entry `target` at a value `wanted` accepts. Depth-first search over the withheld entries, the
 * target first, with interval propagation after each choice; sound and complete within the cap.
 */
function canBe(
  dense: Dense,
  pub: ReadonlyMap<string, number | null>,
  target: string,
  wanted: (value: number) => boolean,
  cap: number,
): boolean {
  const unknowns = [
    target,
    ...[...pub].filter(([key, v]) => v === null && key !== target).map(([key]) => key),
  ];
  let budget = 1_000_000;
  const search = (fixed: Map<string, number>): boolean => {
    if (--budget < 0) throw new Error('search too large');
    const bounds = propagate(dense, pub, fixed, cap);
    if (bounds === undefined) return false;
    const open = unknowns.find((key) => !fixed.has(key));
    if (open === undefined) return true;
    const { lo, hi } = bounds.get(open)!;
    for (let v = lo; v <= hi; v++) {
      if (open === target && !wanted(v)) continue;
      fixed.set(open, v);
      if (search(fixed)) return true;
      fixed.delete(open);
    }
    return false;
  };
  return search(new Map());
}

// ---------------------------------------------------------------------------------------------------------------

const T = 5;
/** Counts as reports see them: many zeros and small counts, some large ones. */
const count = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 4, arbitrary: fc.integer({ min: 5, max: 40 }) },
);
const sizes = (maxDims: number, maxSize: number) =>
  fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: 1, maxLength: maxDims });
const additive = (maxDims: number, maxSize: number) =>
  fc
    .tuple(sizes(maxDims, maxSize), fc.array(count, { minLength: 1, maxLength: 64 }))
    .map(([s, values]) => additiveTable(s, values));
const persons = (maxDims: number, maxSize: number) =>
  sizes(maxDims, maxSize).chain((s) =>
    fc
      .array(
        fc.tuple(
          ...s.map((size) =>
            fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: 2 }),
          ),
        ),
        { maxLength: 40 },
      )
      .map((people) => personTable(s, people)),
  );

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
