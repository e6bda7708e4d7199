/**
 * Test support (not built): random frequency tables described independently of the code under test, attackers
 * that try to recover withheld entries from what a protected table publishes, and seeded keys. Shared by the
 * property tests of disclosure control.
 */
import fc from 'fast-check';
import { seededRandom } from '../../spatial/random.js';
import type { FrequencyTable, ProtectedTable, TableEntry } from '../table.js';

/**
 * The tests describe a table independently of the code under test: entries keyed by coordinates, `*` for "all
 * codes" (a margin), and the relations as lines, each a margin with the cells it covers along one dimension.
 */
export const STAR = -1;
export interface Dense {
  readonly sizes: readonly number[];
  /** Keyed by `coordKey`, every entry including margins and the total. */
  readonly values: ReadonlyMap<string, number>;
  /** Whether margins are sums of their cells (else distinct persons: max ≤ margin ≤ sum). */
  readonly additive: boolean;
}
export interface Line {
  readonly margin: string;
  readonly cells: readonly string[];
}

export const coordKey = (coords: readonly number[]): string =>
  coords.map((c) => (c === STAR ? '*' : String(c))).join(',');
export const DIM_NAMES = ['sex', 'exploitation', 'period', 'providerType'];
export const code = (d: number, c: number): string => `${DIM_NAMES[d]!.slice(0, 3)}${c}`;

/** Every coordinate tuple over sizes, with `*` as one more value per dimension. */
export function allCoords(sizes: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of sizes)
    out = out.flatMap((prefix) => [
      ...Array.from({ length: size }, (_, c) => [...prefix, c]),
      [...prefix, STAR],
    ]);
  return out;
}

export function linesOf(sizes: readonly number[]): Line[] {
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
export function additiveTable(sizes: readonly number[], cellValues: readonly number[]): Dense {
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
export function personTable(
  sizes: readonly number[],
  persons: readonly (readonly (readonly number[])[])[],
): Dense {
  const values = new Map<string, number>();
  for (const cs of allCoords(sizes)) {
    const n = persons.filter((p) => cs.every((c, d) => c === STAR || p[d]!.includes(c))).length;
    values.set(coordKey(cs), n);
  }
  return { sizes, values, additive: false };
}

export function toTable(dense: Dense): FrequencyTable {
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

/** The coordinate key of a table entry's key, as `toTable` wrote it. */
export const coordKeyOf = (dense: Dense, key: Readonly<Record<string, string>>): string =>
  coordKey(
    dense.sizes.map((_, d) => {
      const c = key[DIM_NAMES[d]!];
      return c === undefined ? STAR : Number(c.slice(3));
    }),
  );

/** The published values by coordinate key: a number, or null when withheld. Absent cells are published zeros. */
export function published(dense: Dense, result: ProtectedTable): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [key, value] of dense.values) out.set(key, value === 0 ? 0 : value);
  for (const entry of [...result.cells, ...result.margins])
    out.set(coordKeyOf(dense, entry.key), entry.value);
  out.set(coordKey(dense.sizes.map(() => STAR)), result.total.value);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Attackers. Each knows the published values, which entries are withheld, the relations of the table and that a
// withheld count is an integer ≥ 1 (the method never withholds a zero). They differ in how hard they reason.

/** A relation between published entries: `margin = sum(cells)` when additive, else `max(cells) ≤ margin ≤ sum(cells)`. */
export interface ConstraintLine extends Line {
  readonly additive: boolean;
}

/** Solves every additive line with exactly one unknown, repeatedly: the entries it recovers. */
export function peelLines(
  lines: readonly ConstraintLine[],
  pub: ReadonlyMap<string, number | null>,
): Set<string> {
  const known = new Map<string, number>();
  for (const [key, value] of pub) if (value !== null) known.set(key, value);
  const recovered = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (!line.additive) continue;
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

/** The peeling attack on one table, taken as additive. */
export const peelingAttack = (dense: Dense, pub: ReadonlyMap<string, number | null>): Set<string> =>
  peelLines(
    linesOf(dense.sizes).map((line) => ({ ...line, additive: true })),
    pub,
  );

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * Interval propagation to a fixpoint over every line: `margin = sum(cells)` for additive tables, `cell ≤ margin ≤
 * sum(cells)` for distinct persons. `fixed` pins chosen unknowns (for the exhaustive search). Undefined when the
 * constraints are contradictory.
 */
export function propagate(
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
  return propagateLines(
    linesOf(dense.sizes).map((line) => ({ ...line, additive: dense.additive })),
    bounds,
  );
}

/** Tightens `bounds` (every entry of `lines` has one) to a fixpoint; undefined when they contradict each other. */
export function propagateLines(
  lines: readonly ConstraintLine[],
  bounds: Map<string, Interval>,
): Map<string, Interval> | undefined {
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
      changed =
        tighten(line.margin, line.additive ? sumLo : Math.max(...cs.map((b) => b.lo)), sumHi) || changed;
      line.cells.forEach((key, i) => {
        let othersLo = 0;
        let othersHi = 0;
        cs.forEach((b, j) => {
          if (j === i) return;
          othersLo += b.lo;
          othersHi += b.hi;
        });
        changed = tighten(key, m.lo - othersHi, line.additive ? m.hi - othersLo : m.hi) || changed;
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
export function canBe(
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

export const T = 5;
/** Counts as reports see them: many zeros and small counts, some large ones. */
export const count = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 4, arbitrary: fc.integer({ min: 5, max: 40 }) },
);
export const sizes = (maxDims: number, maxSize: number) =>
  fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: 1, maxLength: maxDims });
export const additive = (maxDims: number, maxSize: number) =>
  fc
    .tuple(sizes(maxDims, maxSize), fc.array(count, { minLength: 1, maxLength: 64 }))
    .map(([s, values]) => additiveTable(s, values));
export const persons = (maxDims: number, maxSize: number) =>
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

/** A seeded generator of 32-bit keys, so the statistical tests are reproducible: `seededRandom`'s draws scaled back
 * to the integers they were divided from (a power of two, so exactly). */
export function keys(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() * 4294967296;
}
