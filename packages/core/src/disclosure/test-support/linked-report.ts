/**
 * Test support (not built) for disclosure control across the tables of one report: reports built from synthetic
 * persons, independently of the code under test, and the whole report as one system of relations, every line of
 * every table over entries identified by what they count, so an entry shared by two tables is one unknown. The
 * attackers are `tables.ts`'s own (peeling, interval propagation over lines), run on the lines of all the tables at
 * once.
 */
import fc from 'fast-check';
import type { LinkedTable, ProtectedLinkedTables } from '../linked-tables.js';
import type { TableEntry } from '../table.js';
import { peelLines, propagateLines, type ConstraintLine, type Interval } from './tables.js';

/** A synthetic person: a non-empty set of codes per dimension (one code for a single-valued dimension). */
export type Person = Readonly<Record<string, readonly string[]>>;

/** Codes per dimension of the synthetic reports; `exploitation` is multi-valued, the others single-valued. */
export const REPORT_CODES: Readonly<Record<string, readonly string[]>> = {
  sex: ['F', 'M', 'UNK'],
  age: ['Y_GE18', 'Y_LT18', 'UNK'],
  citizen: ['EU27_2020_FOR', 'NAT', 'NEU27_2020_FOR'],
  exploitation: ['EXP_LAB', 'EXP_OTH', 'EXP_SEX'],
  // The quarterly report's time dimension: the quarters of a year and the records dated only to the year.
  period: ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2026-unspecified'],
};
export const MULTI_VALUED = new Set(['exploitation']);

/** The breakdowns a quarterly report publishes, as dimension lists. */
export const REPORT_BREAKDOWNS: readonly (readonly string[])[] = [
  ['sex'],
  ['age'],
  ['citizen'],
  ['sex', 'age'],
  ['sex', 'citizen'],
  ['age', 'citizen'],
  ['sex', 'exploitation'],
];

const counts = (person: Person, key: Readonly<Record<string, string>>): boolean =>
  Object.entries(key).every(([dim, c]) => person[dim]!.includes(c));

/** Every key over `dims` with some dimensions left out (margins); `{}` is the total. */
function keysOver(dims: readonly string[]): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const dim of dims)
    out = out.flatMap((key) => [key, ...REPORT_CODES[dim]!.map((c) => ({ ...key, [dim]: c }))]);
  return out;
}

/** One table per breakdown, distinct persons counted in every entry; zero cells are sometimes left out. */
export function reportOf(
  persons: readonly Person[],
  breakdowns: readonly (readonly string[])[],
  scope: Readonly<Record<string, string>> = { indicator: 'victims' },
): LinkedTable[] {
  return breakdowns.map((dims, t) => {
    const cells: TableEntry[] = [];
    const margins: TableEntry[] = [];
    let total = 0;
    for (const key of keysOver(dims)) {
      const value = persons.filter((p) => counts(p, key)).length;
      const named = Object.keys(key).length;
      if (named === 0) total = value;
      else if (named < dims.length) margins.push({ key, value });
      else if (value > 0 || t % 2 === 0) cells.push({ key, value });
    }
    return { id: dims.join('-by-'), scope, table: { dims, cells, margins, total } };
  });
}

/** The attackers' name of an entry: written differently from `cellIdentity`, on purpose. */
export const entryName = (
  scope: Readonly<Record<string, string>>,
  key: Readonly<Record<string, string>>,
): string =>
  Object.entries({ ...scope, ...key })
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');

/** A relation of the report: a margin and its cells along one dimension. */
/** Additive, or distinct persons over a multi-valued dimension (`max ≤ margin ≤ sum`). */
export type SystemLine = ConstraintLine;

export interface ReportSystem {
  /** True value of every entry of every table (absent entries are the zeros they are). */
  readonly values: ReadonlyMap<string, number>;
  readonly lines: readonly SystemLine[];
}

/** The whole report as one system: every line of every table, each entry one unknown however many tables hold it. */
export function systemOf(persons: readonly Person[], tables: readonly LinkedTable[]): ReportSystem {
  const values = new Map<string, number>();
  const lines: SystemLine[] = [];
  for (const { scope, table } of tables)
    for (const key of keysOver(table.dims)) {
      values.set(entryName(scope, key), persons.filter((p) => counts(p, key)).length);
      for (const dim of table.dims) {
        if (dim in key) continue;
        lines.push({
          margin: entryName(scope, key),
          cells: REPORT_CODES[dim]!.map((c) => entryName(scope, { ...key, [dim]: c })),
          additive: !MULTI_VALUED.has(dim),
        });
      }
    }
  return { values, lines };
}

/**
 * What the report publishes, by entry: a number, or null when withheld; absent cells are published zeros. Fails
 * when one entry is published differently in two tables (that alone would be a leak).
 */
export function publishedReport(
  system: ReportSystem,
  tables: readonly LinkedTable[],
  result: ProtectedLinkedTables,
): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [name, value] of system.values) if (value === 0) out.set(name, 0);
  const put = (name: string, value: number | null): void => {
    if (out.has(name) && out.get(name) !== value && system.values.get(name) !== 0)
      throw new Error(`${name} is published as ${out.get(name)} and as ${value}`);
    out.set(name, value);
  };
  tables.forEach(({ scope }, t) => {
    const protectedTable = result.tables[t]!;
    for (const entry of [...protectedTable.cells, ...protectedTable.margins])
      put(entryName(scope, entry.key), entry.value);
    put(entryName(scope, {}), protectedTable.total.value);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Attackers over the whole report: they know every published value, which entries are withheld, every relation
// of every table and that a withheld count is an integer ≥ 1.

/** The peeling attack on the whole report. */
export const peelReport = (system: ReportSystem, pub: ReadonlyMap<string, number | null>): Set<string> =>
  peelLines(system.lines, pub);

/**
 * Interval propagation to a fixpoint over every line of every table: `margin = sum(cells)` for additive lines,
 * `cell ≤ margin ≤ sum(cells)` for distinct persons. Undefined when the constraints contradict each other.
 */
export function boundReport(
  system: ReportSystem,
  pub: ReadonlyMap<string, number | null>,
): Map<string, Interval> | undefined {
  const bounds = new Map<string, Interval>();
  for (const [name, value] of pub)
    bounds.set(name, value === null ? { lo: 1, hi: Infinity } : { lo: value, hi: value });
  return propagateLines(system.lines, bounds);
}

// ---------------------------------------------------------------------------------------------------------------

/** A synthetic person over `REPORT_CODES`; small groups are frequent, as in real reports. */
export const person: fc.Arbitrary<Person> = fc.record({
  sex: fc.constantFrom(...REPORT_CODES.sex!).map((c) => [c]),
  age: fc.constantFrom(...REPORT_CODES.age!).map((c) => [c]),
  citizen: fc.constantFrom(...REPORT_CODES.citizen!).map((c) => [c]),
  exploitation: fc.uniqueArray(fc.constantFrom(...REPORT_CODES.exploitation!), {
    minLength: 1,
    maxLength: 2,
  }),
});

/** A random report: up to 60 persons and a non-empty subset of the breakdowns. */
export const report = fc.record({
  persons: fc.array(person, { maxLength: 60 }),
  breakdowns: fc.subarray([...REPORT_BREAKDOWNS], { minLength: 1 }),
});
