/**
 * The ClickHouse SQL of person references at coarser grains (`rollingGrainsOf` of `@mosy/core`): per grouping,
 * grain (month, quarter, year, all time), period label, codes and person with an identity, over ALL providers, the
 * person's current references there. Kept by a materialized view on `record_changes` beside the finest tables
 * (same fan-out, one arrayJoin of cells crossed with one of grains), rebuilt with them, and read by persons reads
 * whose selection is whole periods of a grain: a read then groups one row per person and period (already summed
 * across providers and months) instead of the finest rows, and never hashes: the person is kept as
 * `sipHash64(person_key)` and its key number (`personKeyNumber`, 32 bits of SHA-256) computed at insert. Two persons
 * are told apart by both, 96 bits of two independent hashes: a collision among 10^7 persons has a probability
 * near 10^-15.
 */
import {
  KEY_SPACE,
  ROLLING_GRAINS,
  ROLLING_GROUPINGS,
  type GrainPeriods,
  type GrainSelection,
  type RollingGrainsPlan,
  type RollingGrouping,
  type RollingRead,
  type StoreQuery,
} from '@mosy/core';
import { buildRollingReadSql, clickHouseDialect, sqlIdentifier, sqlLiteral } from '@mosy/sql';
import type { Row } from './connection.js';
import { COMPLETE_GROUPING, VALID, periodState } from './person-counters.js';
import { cellJoin } from './rolling-sql.js';

/**
 * A statement of a rolling read, and how its rows become the rows `rollingResultFromRows` reads (`part`, `k0`…,
 * `period_label`, `n`, `key_sum`).
 */
export interface ReadStatement {
  readonly sql: string;
  readonly rowsOf: (rows: readonly Row[]) => readonly Row[];
}

/** `rowsOf` of a statement whose rows are already those `rollingResultFromRows` reads. */
export const asAnswered = (rows: readonly Row[]): readonly Row[] => rows;

/** The stored number of a grain. */
const grainNumber = (grain: GrainSelection['grain']): number => ROLLING_GRAINS.indexOf(grain) + 1;

const label = (interval: 'month' | 'quarter' | 'year'): string =>
  clickHouseDialect.periodLabel(interval, 'period_start', 'date_precision');

/** Every (grain, label) of a row, in `ROLLING_GRAINS` order. */
const GRAIN_TUPLES = `[${ROLLING_GRAINS.map(
  (grain) => `(toUInt8(${grainNumber(grain)}), ${grain === 'all' ? "''" : label(grain)})`,
).join(', ')}]`;

/** The DDL of the grain references table. */
export function grainRefsDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${sqlIdentifier(table)} (grouping_index UInt16, grain UInt8, period String,
       k0 String, k1 String, person UInt64, person_key_number UInt32, refs Int64)
     ENGINE = SummingMergeTree(refs)
     ORDER BY (grouping_index, grain, period, k0, k1, person, person_key_number)`;
}

/**
 * The rows of the grain references table from `source` (`record_changes`, or `records_current FINAL` with
 * `signExpr`), in one SELECT level over the source's columns (see `rolling-sql.ts` for why): two arrayJoins, whose
 * product is every (cell, grain) of a row.
 */
export function grainRefRowsSql(
  source: string,
  signExpr = 'sign',
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): string {
  return `SELECT grouping_index,
  tupleElement(arrayJoin(${GRAIN_TUPLES}) AS g, 1) AS grain, tupleElement(g, 2) AS period, k0, k1,
  sipHash64(person_key) AS person, ${clickHouseDialect.personKeyNumber('person_key')} AS person_key_number,
  toInt64(sum(${signExpr})) AS refs
FROM ${source} ${cellJoin(groupings)}
WHERE withdrawn = 0 AND substring(person_key, 1, 2) != 'r:'
GROUP BY grouping_index, grain, period, k0, k1, person, person_key_number
HAVING refs != 0`;
}

const UNSPECIFIED = `substring(period, 6, 11) = ${sqlLiteral('unspecified')}`;

export function periodCondition(periods: GrainPeriods | undefined): string[] {
  if (periods === undefined) return [];
  const range = (from: string, to: string): string =>
    from > to ? '0' : `period >= ${sqlLiteral(from)} AND period <= ${sqlLiteral(to)}`;
  return [
    `((${UNSPECIFIED} AND ${range(periods.unspecifiedFrom, periods.unspecifiedTo)}) OR ` +
      `(NOT ${UNSPECIFIED} AND ${range(periods.from, periods.to)}))`,
  ];
}

type CodeFilters = RollingRead['cellFilters'];

function codeConditions(filters: CodeFilters): string[] {
  return filters.map(({ column, values, prefix }) =>
    prefix
      ? `(${values.map((value) => clickHouseDialect.startsWith(column, value)).join(' OR ')})`
      : `${column} IN (${values.map(sqlLiteral).join(', ')})`,
  );
}

/** The current references of a part's selection: one row per (codes, period, person). */
function referencesSql(
  table: string,
  grouping: RollingGrouping,
  selection: GrainSelection,
  filters: CodeFilters,
): string {
  const where = [
    `grouping_index = ${grouping.index}`,
    `grain = ${grainNumber(selection.grain)}`,
    ...periodCondition(selection.periods),
    ...codeConditions(filters),
  ].join(' AND ');
  return `SELECT k0, k1, period, person, person_key_number FROM ${table} WHERE ${where}
    GROUP BY k0, k1, period, person, person_key_number HAVING sum(refs) > 0`;
}

/** The counters versions of a selection's periods (`person-counters.ts`): (period, version) pairs. */
export type CounterVersions = readonly (readonly [period: string, version: number])[];

/**
 * Which counters versions a part is looked up in: those given, or each period's certified version as the statement
 * finds it (`certifiedFrom`), with the version's completion row (`COMPLETE_GROUPING`) to prove its rows all read.
 * `certifiedFrom` names the versions the process last found certified, so that the statement reads only the rows of
 * those and later versions of those periods (the key's index narrows to them; a period it leaves out reads no
 * completion row, and the read runs again); empty, every version of every period.
 */
export type CounterLookup = CounterVersions | { readonly certifiedFrom: CounterVersions };

/** The versions a `certifiedFrom` lookup starts from, undefined for versions given. */
const certifiedFrom = (lookup: CounterLookup): CounterVersions | undefined =>
  'certifiedFrom' in lookup ? lookup.certifiedFrom : undefined;

/** The parts of a routed read to look up in the person counters, with the versions to read. */
export interface CounterVersionsOfParts {
  readonly cells?: CounterLookup;
  readonly total?: CounterLookup;
}

interface GrainTables {
  readonly fingerprint: string;
  readonly cells: string;
  readonly refs: string;
  readonly grainRefs: string;
  readonly counters: string;
}

/**
 * Whether the counters hold a part's cells as rows: the cells' every code is a column of the read (no code filtered
 * beyond the defaults, where a person in two codes counts once), the total's grouping has no code.
 */
export function countersEligible(read: RollingRead, part: 'c' | 't'): boolean {
  return part === 'c' ? read.grouping.by.length === read.columns.length : read.total.by.length === 0;
}

/** A part of a read to look up in the person counters. */
interface LookedUp {
  readonly part: 'c' | 't';
  readonly selection: GrainSelection;
  readonly filters: CodeFilters;
  readonly versions: CounterLookup;
}

/**
 * The label of a row of `columns` for each part it belongs to, as `arrayJoin` over a filtered array: a part's
 * condition per label (two parts may share a grouping, grain or period, and then a row counts in both).
 */
const partsOf = (labels: readonly (readonly [label: string, condition: string])[]): string =>
  `arrayJoin(arrayFilter(x -> x != '', [${labels.map(([label, condition]) => `if(${condition}, '${label}', '')`).join(', ')}]))`;

/**
 * Rows of each period at its version in `from` or later, the periods of one version in one IN list: one
 * certification usually certifies every period of a selection at once, and a condition per period, written three
 * times per part, made a third of the server's CPU for the counters' rows of a read over fifteen quarters (18.16).
 */
function versionFloor(from: CounterVersions): string {
  const periods = new Map<number, string[]>();
  for (const [period, version] of from)
    periods.set(version, [...(periods.get(version) ?? []), sqlLiteral(period)]);
  const floors = [...periods].map(
    ([version, list]) => `(version >= ${version} AND period IN (${list.join(', ')}))`,
  );
  return `(${floors.join(' OR ')})`;
}

/**
 * The looked-up parts' rows (`part`, `u0`…, `up`, `un`, `uk`) in the counters of their versions, and the state of
 * their selections' periods now: one row per period, of part `x` + the part's letter, `up` the period and `un` its
 * certified version when its counters are valid (`VALID`), else 0. Rows of given versions may be used when these
 * are the versions given (`readCatalogue`). Looked up at their certified versions (`certifiedFrom`), the rows come with one row per
 * period of part `s` + the part's letter, `un` the version whose completion row the statement read: the rows may
 * then be used when these are the versions the state names. Two SELECTs whatever the parts (each SELECT costs
 * 18.16 a few milliseconds): one pass over the counters for every part and completion, one over the periods' state.
 */
function countersSql(
  tables: GrainTables,
  read: RollingRead,
  looked: readonly LookedUp[],
  keySums: boolean,
  withOwn: boolean,
): string[] {
  const periodsOf = ({ selection }: LookedUp): string =>
    [`grain = ${grainNumber(selection.grain)}`, ...periodCondition(selection.periods)].join(' AND ');
  const certified = looked.filter((l) => certifiedFrom(l.versions) !== undefined);
  const given = looked.flatMap(({ versions, selection }) =>
    'certifiedFrom' in versions
      ? []
      : versions.map(
          ([period, version]) =>
            `(${grainNumber(selection.grain)}, ${sqlLiteral(period)}, toInt64(${version}))`,
        ),
  );
  // The versions are read here, in a subquery that may read the periods' state before or after the counters
  // table's snapshot was taken: the completion rows, read with the rows from that snapshot, say which versions it
  // holds whole. ClickHouse computes the IN subquery's set once and uses it both to pick the key's ranges and to
  // filter the rows (18.16's prepared sets, as current releases): both see the same versions.
  const chosen = [
    ...(certified.length === 0
      ? []
      : [
          `(grain, period, version) IN (SELECT grain, period, toInt64(maxMerge(certified)) FROM rolling_periods ` +
            `WHERE fingerprint = ${sqlLiteral(tables.fingerprint)} AND (${certified.map(periodsOf).join(' OR ')}) ` +
            'GROUP BY grain, period)',
        ]),
    ...(given.length === 0 ? [] : [`(grain, period, version) IN (${given.join(', ')})`]),
  ];
  const complete = `grouping_index = ${COMPLETE_GROUPING}`;
  const labels = looked.flatMap((l): [string, string][] => {
    const grouping = l.part === 'c' ? read.grouping : read.total;
    const from = certifiedFrom(l.versions);
    const floor = from === undefined || from.length === 0 ? [] : [versionFloor(from)];
    const own = [`grouping_index = ${grouping.index}`, periodsOf(l), ...floor, ...codeConditions(l.filters)];
    return [
      [l.part, own.join(' AND ')],
      ...(from === undefined
        ? []
        : [[`s${l.part}`, [complete, periodsOf(l), ...floor].join(' AND ')] as [string, string]]),
    ];
  });
  const completion = `part IN ('sc', 'st')`;
  const period = read.interval === undefined ? `''` : 'period';
  // Persons keyed by their record come from the counters too when the finest rows are not read (`withOwn`).
  const [persons, keys] = withOwn
    ? ['any(persons) + any(own_persons)', 'any(key_sum) + any(own_key_sum)']
    : ['any(persons)', 'any(key_sum)'];
  // Two refreshes that took the same stamp both wrote the version: when it is valid they read the same references
  // for its periods (person-counters.ts), so their rows are equal and each cell counts once.
  const outputs = [
    'part',
    // The read's columns are codes of the cells' grouping when they are looked up (a total alone may come with a
    // provider breakdown of the finest rows, a column the counters do not have).
    ...read.columns.map((column, i) =>
      looked.some((l) => l.part === 'c') ? `if(part = 'c', ${column}, '') AS u${i}` : `'' AS u${i}`,
    ),
    `multiIf(${completion}, period, part = 'c', ${period}, '') AS up`,
    `if(${completion}, any(version), ${persons}) AS un`,
    ...(keySums ? [`if(${completion}, toInt64(0), ${keys}) AS uk`] : []),
  ];
  const inner =
    `SELECT ${partsOf(labels)} AS part, period, version, k0, k1, persons, own_persons, key_sum, own_key_sum ` +
    `FROM ${tables.counters} WHERE (${chosen.length === 0 ? '0' : chosen.join(' OR ')}) ` +
    `AND (${labels.map(([, condition]) => `(${condition})`).join(' OR ')})`;
  const rows = `SELECT ${outputs.join(', ')} FROM (${inner}) GROUP BY part, k0, k1, period`;
  const state = periodState(tables.fingerprint, `(${looked.map(periodsOf).join(' OR ')})`);
  const check =
    `SELECT ${partsOf(looked.map((l) => [`x${l.part}`, periodsOf(l)]))} AS part, ` +
    `${[...read.columns.map((_, i) => `'' AS u${i}`), 'period AS up'].join(', ')}, ` +
    `if(${VALID}, certified, toInt64(0)) AS un${keySums ? ', toInt64(0) AS uk' : ''} FROM (${state})`;
  // The rows stay ahead of the check in the UNION ALL: the counters' snapshot is taken before the state is read, the
  // order `readCatalogue` and the README reason in (a certification landing between them makes the read run again).
  return [rows, check];
}

/**
 * The rows (`part`, `u0`…, `up`, `un`, `uk`) of the persons with an identity of a part read from its grain. A
 * cell's codes and period are the stored ones (codes whole, the period the grain's or '' for one period), so each
 * reference row is one person of one cell unless the grouping has a code the cells leave out (a filter beyond the
 * defaults); the total counts each person once over its codes and periods.
 */
function grainPartSql(
  tables: GrainTables,
  query: StoreQuery,
  read: RollingRead,
  part: 'c' | 't',
  selection: GrainSelection,
): string {
  const cell = part === 'c';
  const grouping = cell ? read.grouping : read.total;
  const filters = cell ? read.cellFilters : read.totalFilters;
  const references = referencesSql(tables.grainRefs, grouping, selection, filters);
  const int = clickHouseDialect.columnType('int');
  const measures = [
    `CAST(count() AS ${int}) AS un`,
    ...(query.keySums === true ? [`CAST(sum(person_key_number) AS ${int}) AS uk`] : []),
  ];
  if (!cell) {
    // One period and, without codes, one row per person already; with codes, a person may be in several.
    const persons =
      grouping.by.length === 0
        ? references
        : `SELECT person, person_key_number FROM (${references}) GROUP BY person, person_key_number`;
    const empty = read.columns.map((_, i) => `'' AS u${i}`);
    return `SELECT 't' AS part, ${[...empty, `'' AS up`, ...measures].join(', ')} FROM (${persons})`;
  }
  // rollingGrainsOf routes no provider breakdown: every column is k0 or k1.
  const codes = read.columns.map((column, i) => `${column} AS u${i}`);
  const period = read.interval === undefined ? `''` : 'period';
  const groups = [...read.columns.map((_, i) => `u${i}`), ...(read.interval === undefined ? [] : ['up'])];
  const grouped = groups.length > 0 ? ` GROUP BY ${groups.join(', ')}` : '';
  if (grouping.by.length === read.columns.length) {
    return `SELECT 'c' AS part, ${[...codes, `${period} AS up`, ...measures].join(', ')} FROM (${references})${grouped}`;
  }
  // A code filtered beyond the defaults is not a column of the cells: a person in two of its codes counts once.
  const keys = [...groups, 'person', 'person_key_number'];
  const persons = `SELECT ${[...codes, `${period} AS up`, 'person', 'person_key_number'].join(', ')} FROM (${references}) GROUP BY ${keys.join(', ')}`;
  const columns = [...read.columns.map((_, i) => `u${i}`), read.interval === undefined ? `'' AS up` : 'up'];
  return `SELECT 'c' AS part, ${[...columns, ...measures].join(', ')} FROM (${persons})${grouped}`;
}

/**
 * A persons read with some part answered from the grain references (`plan` from `rollingGrainsOf`), in one
 * statement with the same rows as `buildRollingReadSql`: that statement answers the persons without identity
 * (cells table) and the parts the plan leaves to the finest references (its references source, the table with a
 * PREWHERE that leaves out the routed parts' groupings), and the routed parts' persons with an identity are added. Undefined when the
 * plan routes nothing, or one part of two that share their grouping.
 */
export function buildGrainReadSql(
  query: StoreQuery,
  read: RollingRead,
  plan: RollingGrainsPlan,
  tables: GrainTables,
  counters: CounterVersionsOfParts = {},
  head?: string,
): ReadStatement | undefined {
  if (query.unit !== 'persons') return undefined;
  const routed = (['c', 't'] as const).filter((part) => (part === 'c' ? plan.cells : plan.total));
  if (routed.length === 0) return undefined;
  const groupingOf = (part: 'c' | 't'): RollingGrouping => (part === 'c' ? read.grouping : read.total);
  if (routed.length === 1 && read.grouping.index === read.total.index) return undefined;
  const excluded = routed.map((part) => groupingOf(part).index);
  // Both parts in the counters: a lookup alone, persons keyed by their record included.
  const lookup = routed.length === 2 && counters.cells !== undefined && counters.total !== undefined;
  // Not a subquery: 18.16 does not push the read's WHERE (grouping_index = …, the key's first column) into one, and
  // would scan every grouping's references. The PREWHERE reads only grouping_index of the range the key selects.
  const refs = `${tables.refs} PREWHERE grouping_index NOT IN (${excluded.join(', ')})`;
  const finest = buildRollingReadSql(query, read, clickHouseDialect, { cells: tables.cells, refs });
  const keySums = query.keySums === true;
  const codes = read.columns.map((_, i) => `u${i}`);
  const finestRows =
    `SELECT part, ${[...read.columns.map((_, i) => `k${i} AS u${i}`), 'period_label AS up', 'n AS un'].join(', ')}` +
    `${keySums ? ', key_sum AS uk' : ''} FROM (${finest})`;
  const selectionOf = (part: 'c' | 't'): GrainSelection => (part === 'c' ? plan.cells : plan.total)!;
  const versionsOf = (part: 'c' | 't'): CounterLookup | undefined =>
    part === 'c' ? counters.cells : counters.total;
  const looked = routed.flatMap((part): LookedUp[] => {
    const versions = versionsOf(part);
    if (versions === undefined) return [];
    const filters = part === 'c' ? read.cellFilters : read.totalFilters;
    return [{ part, selection: selectionOf(part), filters, versions }];
  });
  const parts = [
    ...routed
      .filter((part) => versionsOf(part) === undefined)
      .map((part) => grainPartSql(tables, query, read, part, selectionOf(part))),
    ...(looked.length === 0 ? [] : countersSql(tables, read, looked, keySums, lookup)),
  ];
  const heads = head === undefined ? [] : [headRowSql(read, head, keySums)];
  if (lookup) {
    // The parts' rows as they come, grouped and ordered by `groupedRows` as the SELECT below would: 18.16 analyses a
    // UNION ALL again for a SELECT around it, which cost a third of this statement's CPU (5 of 17 ms for CKI 1.4).
    const width = read.columns.length;
    return {
      sql: [...heads, ...parts].join(' UNION ALL '),
      rowsOf: (rows) => groupedRows(width, keySums, rows),
    };
  }
  const groups = ['part', ...codes, 'up'];
  const outputs = [
    'part',
    ...codes.map((code, i) => `${code} AS k${i}`),
    'up AS period_label',
    'sum(un) AS n',
    ...(keySums ? [`((sum(uk) % ${KEY_SPACE}) + ${KEY_SPACE}) % ${KEY_SPACE} AS key_sum`] : []),
  ];
  return {
    sql:
      `SELECT ${outputs.join(', ')} FROM (${[...heads, finestRows, ...parts].join(' UNION ALL ')}) ` +
      `GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}`,
    rowsOf: asAnswered,
  };
}

/**
 * Strings in ClickHouse's order, by their UTF-8 bytes: the order of their code points, which is JavaScript's order of
 * UTF-16 code units for strings without one from U+D800 up (surrogates sort below U+E000–U+FFFF there, above in
 * UTF-8). Those few are compared as bytes; the rest without a Buffer each, which made most of a read's time in the
 * process (~20 ms for CKI 1.4's 600 cells under load).
 */
function byBytes(
  keys: readonly (readonly string[])[],
): (a: readonly string[], b: readonly string[]) => number {
  const plain = keys.every((key) => key.every((text) => !/[\uD800-\uFFFF]/.test(text)));
  const compare = plain
    ? (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
    : (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return (a, b) => {
    for (let i = 0; i < a.length; i++) {
      const order = compare(a[i]!, b[i]!);
      if (order !== 0) return order;
    }
    return 0;
  };
}

/**
 * The rows of parts (`part`, `u0`…, `up`, `un`, `uk`) as the grouping SELECT of `buildGrainReadSql` answers them:
 * one row per (part, codes, period) with `n` the sum of its `un` and `key_sum` the sum of its `uk` in [0, KEY_SPACE),
 * ordered by those columns' bytes, 64-bit values as strings. Sums in BigInt: key sums of large counters pass 2^53.
 */
export function groupedRows(width: number, keySums: boolean, rows: readonly Row[]): Row[] {
  const groups = new Map<string, { key: string[]; n: bigint; keySum: bigint }>();
  for (const row of rows) {
    const key = [
      String(row.part),
      ...Array.from({ length: width }, (_, i) => String(row[`u${i}`])),
      String(row.up),
    ];
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, n: 0n, keySum: 0n };
    group.n += BigInt(String(row.un));
    if (keySums) group.keySum += BigInt(String(row.uk));
    groups.set(id, group);
  }
  const space = BigInt(KEY_SPACE);
  const sorted = [...groups.values()];
  const order = byBytes(sorted.map(({ key }) => key));
  return sorted
    .sort((a, b) => order(a.key, b.key))
    .map(({ key, n, keySum }) => ({
      part: key[0],
      ...Object.fromEntries(key.slice(1, -1).map((code, i) => [`k${i}`, code])),
      period_label: key.at(-1),
      n: String(n),
      ...(keySums ? { key_sum: String(((keySum % space) + space) % space) } : {}),
    }));
}

/** A row of part 'h' whose `un` is `flags` (a scalar expression), in the shape of `buildGrainReadSql`'s parts. */
function headRowSql(read: RollingRead, flags: string, keySums: boolean): string {
  const codes = read.columns.map((_, i) => `'' AS u${i}`);
  return `SELECT 'h' AS part, ${[...codes, `'' AS up`, `toInt64(${flags}) AS un`, ...(keySums ? ['toInt64(0) AS uk'] : [])].join(', ')}`;
}
