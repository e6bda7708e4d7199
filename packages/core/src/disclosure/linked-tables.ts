/**
 * Secondary suppression across the tables of one fixed publication (contract §6), such as the quarterly Common Key
 * Indicators report: its tables share entries (the national total of victims is the total of the sex table, of the
 * age table and of the sex × age table; the sex = F margin is in the sex table and in sex × citizenship), so a value
 * withheld in one table must not be published, or be recoverable, from another. An entry is identified across
 * tables by what it counts: its table's scope (indicator, unit, period…) together with its own codes, so the same
 * set of records has the same identity wherever it appears. Every table is protected by `protectTable`'s hypercube
 * method, taking as primary its own small counts and every entry withheld in any other table, until no table
 * withholds anything new (a fixed point). Then an entry is withheld in all the tables that hold it or in none, and
 * inside each table every withheld entry is a corner of a move that keeps the table's published values and
 * relations. One table's move may not be one another table can follow (it lowers a shared margin that the other
 * holds as a sum of withheld ones), so the publication is then audited as one system (`linked-audit.ts`): where
 * the tables together pin a withheld entry, the nearest published entry is withheld too and the tables are
 * protected again, until the audit pins nothing. Tested (`linked-tables.test.ts`) with the peeling and interval
 * attackers run on the whole report as one system of relations: no withheld entry is recovered or pinned. Unlike
 * `protectTable` on one table, this does not promise that a small count cannot be proven below the threshold
 * through another table: an entry withheld because of another table is moved by 1 in its own, not by as much as
 * the other table's move needs.
 */
import { MosyError } from '../errors.js';
import { buildGrid, coordsOf, indexOf, totalOf } from './grid.js';
import type { Grid } from './grid.js';
import { auditSystem, nearestPublished, pinnedEntries } from './linked-audit.js';
import type { AuditSystem } from './linked-audit.js';
import { DEFAULT_THRESHOLD, WITHHELD, assertCount, assertThreshold, isSensitive } from './primary.js';
import type { ProtectedValue } from './primary.js';
import { suppressAround } from './protect-table.js';
import type { FrequencyTable, ProtectTableOptions, ProtectedEntry, ProtectedTable } from './table.js';

/** One table of a publication, with the filters that all its entries share. */
export interface LinkedTable {
  /** Names the table in the result and in error messages, e.g. `victims-by-sex`. */
  readonly id: string;
  /**
   * Filters every entry of the table counts within, e.g. `{ indicator: 'victims', period: '2026-Q1' }`. Together
   * with an entry's key it is the entry's identity, so two tables with the same scope share their common entries.
   * Name the set of records, not a label: in the first quarter the year to date is the quarter, so its tables
   * take the quarter's scope. Relations between scopes (a year to date as the sum of its quarters) are not
   * modelled: publish them in one table with the period as a dimension when a report holds both.
   */
  readonly scope: Readonly<Record<string, string>>;
  /** The table with all its margins, as `protectTable` takes it; no dimensions for a single count. */
  readonly table: FrequencyTable;
}

/** A protected table of the publication. */
export interface ProtectedLinkedTable extends ProtectedTable {
  readonly id: string;
}

export interface ProtectedLinkedTables {
  /** The tables in the input's order, each with its entries in the input's order. */
  readonly tables: readonly ProtectedLinkedTable[];
  /** Distinct entries withheld (an entry shared by several tables counts once). */
  readonly withheld: number;
  /**
   * Passes over the tables until every table withholds every entry any table withholds (1 when none is shared),
   * with the passes after each audit that found a pinned entry.
   */
  readonly rounds: number;
}

/**
 * The identity of an entry across tables: the canonical form of its scope and its key (the filter it counts
 * within), names sorted. Two entries with the same identity count the same records, so they must have the same
 * value and be published alike.
 * @throws MosyError `internal` when the key names a dimension the scope fixes already.
 */
export function cellIdentity(
  scope: Readonly<Record<string, string>>,
  key: Readonly<Record<string, string>>,
): string {
  for (const name of Object.keys(key))
    if (name in scope)
      throw new MosyError('internal', `The dimension ${name} is both in a table's scope and in its entries.`);
  const pairs = Object.entries({ ...scope, ...key }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(pairs);
}

/** A table of the publication as the fixed point works on it: its grid and each grid entry's identity. */
interface Linked {
  readonly source: LinkedTable;
  /** Undefined for a table without dimensions: its total alone. */
  readonly grid: Grid | undefined;
  readonly identities: readonly string[];
  readonly values: ArrayLike<number>;
}

/**
 * Protects the tables of one publication together: each withholds its counts with 0 < n < threshold and every
 * entry any other table withholds, with a hypercube of secondary suppressions around each, repeated until no
 * table withholds anything new. Then an entry is withheld in every table that has it or in none, and within each
 * table every withheld entry is a corner of a move that keeps all its published values and relations.
 * Deterministic: the same tables in the same order, with entries in any order, get the same suppressions.
 * @throws MosyError `internal` when a table is malformed, or when two tables give different values to one entry.
 */
export function protectLinkedTables(
  tables: readonly LinkedTable[],
  options: ProtectTableOptions = {},
): ProtectedLinkedTables {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  assertThreshold(threshold);
  const ids = new Set<string>();
  for (const { id } of tables) {
    if (ids.has(id)) throw new MosyError('internal', `The table ${id} is given twice.`);
    ids.add(id);
  }
  const linked = tables.map(link);
  assertAgree(linked);

  const publication = publicationOf(linked);
  const byIdentity = (a: number, b: number): number =>
    a === b ? 0 : publication.identities[a]! < publication.identities[b]! ? -1 : 1;

  // Withheld anywhere means withheld everywhere; the set only grows, so the loops end.
  const withheld = new Set<string>();
  const marks: Uint8Array[] = linked.map((table) => new Uint8Array(table.identities.length));
  let rounds = 0;
  for (;;) {
    for (let changed = true; changed;) {
      rounds++;
      linked.forEach((table, t) => {
        const primary: number[] = [];
        for (let index = 0; index < table.values.length; index++) {
          const value = table.values[index]!;
          if (isSensitive(value, threshold) || (value > 0 && withheld.has(table.identities[index]!)))
            primary.push(index);
        }
        const mark =
          table.grid === undefined ? markAll(primary, 1) : suppressAround(table.grid, primary, threshold);
        mark.forEach((m, index) => {
          if (m === 1) withheld.add(table.identities[index]!);
        });
        marks[t] = mark;
      });
      // Another pass only if some table publishes an entry that a table after it withheld.
      changed = linked.some((table, t) =>
        table.identities.some(
          (identity, index) => marks[t]![index] === 0 && table.values[index]! > 0 && withheld.has(identity),
        ),
      );
    }
    // Each table's moves are sound in it alone; the audit finds what the tables pin together, and the nearest
    // published entry of each such pin is withheld everywhere before the tables are protected again.
    const flags = Uint8Array.from(publication.identities, (identity) => (withheld.has(identity) ? 1 : 0));
    const pinned = pinnedEntries(publication.system, flags);
    if (pinned.length === 0) break;
    for (const entry of pinned)
      withheld.add(publication.identities[nearestPublished(publication.system, flags, entry, byIdentity)]!);
  }

  return {
    tables: linked.map((table, t) => publishTable(table, marks[t]!)),
    withheld: withheld.size,
    rounds,
  };
}

function link(source: LinkedTable): Linked {
  const { table, scope } = source;
  if (table.dims.length === 0) {
    if (table.cells.length > 0 || table.margins.length > 0)
      throw new MosyError('internal', `The table ${source.id} has no dimensions, so it is its total alone.`);
    assertCount(table.total, `The total of ${source.id}`);
    return { source, grid: undefined, identities: [cellIdentity(scope, {})], values: [table.total] };
  }
  const grid = buildGrid(table);
  const identities = Array.from({ length: grid.values.length }, (_, index) =>
    cellIdentity(scope, keyOf(grid, index)),
  );
  return { source, grid, identities, values: grid.values };
}

/** The key of a grid entry: its codes for the dimensions where it is not TOTAL. */
function keyOf(grid: Grid, index: number): Record<string, string> {
  const key: Record<string, string> = {};
  coordsOf(grid, index).forEach((c, d) => {
    if (c !== totalOf(grid, d)) key[grid.dims[d]!] = grid.codes[d]![c]!;
  });
  return key;
}

/**
 * The whole publication as one system for the audit: every distinct entry once (by identity, in the order the
 * tables first hold it), and every line of every table once.
 */
function publicationOf(linked: readonly Linked[]): { identities: string[]; system: AuditSystem } {
  const ids = new Map<string, number>();
  const values: number[] = [];
  const idOf = (table: Linked, index: number): number => {
    const identity = table.identities[index]!;
    let id = ids.get(identity);
    if (id === undefined) {
      id = values.push(table.values[index]!) - 1;
      ids.set(identity, id);
    }
    return id;
  };
  const relations = new Map<string, { margin: number; cells: number[] }>();
  for (const table of linked) {
    const { grid } = table;
    if (grid === undefined) {
      idOf(table, 0);
      continue;
    }
    for (let index = 0; index < grid.values.length; index++) {
      const margin = idOf(table, index);
      coordsOf(grid, index).forEach((c, d) => {
        if (c !== totalOf(grid, d)) return;
        const base = index - c * grid.strides[d]!;
        const cells = Array.from({ length: c }, (_, i) => idOf(table, base + i * grid.strides[d]!));
        relations.set(`${margin}:${cells.join()}`, { margin, cells });
      });
    }
  }
  return { identities: [...ids.keys()], system: auditSystem(values, [...relations.values()]) };
}

/** Entries absent from a table are zeros there, so they too must agree with the tables that give them. */
function assertAgree(linked: readonly Linked[]): void {
  const seen = new Map<string, { readonly value: number; readonly table: string }>();
  for (const table of linked)
    table.identities.forEach((identity, index) => {
      const value = table.values[index]!;
      const before = seen.get(identity);
      if (before === undefined) seen.set(identity, { value, table: table.source.id });
      else if (before.value !== value)
        throw new MosyError(
          'internal',
          `The entry ${identity} is ${before.value} in ${before.table} but ${value} in ${table.source.id}.`,
        );
    });
}

function markAll(indices: readonly number[], size: number): Uint8Array {
  const marks = new Uint8Array(size);
  for (const index of indices) marks[index] = 1;
  return marks;
}

function publishTable(table: Linked, marks: Uint8Array): ProtectedLinkedTable {
  const publish = (index: number): ProtectedValue =>
    marks[index] === 1 ? WITHHELD : { value: table.values[index]! };
  const { grid, source } = table;
  const entries = (list: FrequencyTable['cells']): ProtectedEntry[] =>
    grid === undefined ? [] : list.map((entry) => ({ key: entry.key, ...publish(indexOf(grid, entry.key)) }));
  return {
    id: source.id,
    dims: source.table.dims,
    cells: entries(source.table.cells),
    margins: entries(source.table.margins),
    total: publish(table.values.length - 1),
    withheld: marks.reduce((n, mark) => n + mark, 0),
  };
}
