/**
 * Answering a store query from rolling counts. `rollingReadOf` decides whether a query is a catalogue read: an
 * indicator's default filters (plus, optionally, a filter on providers), a breakdown kept in `groupings.ts` (its
 * dimensions in any order, optionally with `providerId`), any NUTS level, by month, quarter, year or none, over a time
 * frame made of whole months (or none). Such a query is a roll-up of the finest rows: records and persons without
 * identity are sums; persons with an identity are distinct person keys over the reference rows selected. So every
 * catalogue read is exact, persons over several periods or providers included. Any other query is ad hoc and goes to
 * the current records. `rollingResultOf` is the pure roll-up over a `RollingState`; the stores run its SQL twin.
 */
import { KEY_SPACE, personKeyNumber } from '../disclosure/cell-key.js';
import type { Cell, Dimension, StoreQuery, StoreResult } from '../query/model.js';
import { UNKNOWN } from '../taxonomy/codes.js';
import { isCanonicalField, isListField } from '../taxonomy/fields.js';
import type { NutsLevel } from '../taxonomy/nuts.js';
import type { RollingCell } from './cells.js';
import { ROLLING_GROUPINGS, isGeoDimension, type RollingGrouping } from './groupings.js';
import type { RollingState } from './reference.js';

/** Where a query's breakdown code is read from: a grouping code column, or the row's provider. */
export type RollingColumn = 'k0' | 'k1' | 'provider';

/** The period labels of a read: months (`YYYY-MM`) and year-dated labels (`YYYY-unspecified`), both inclusive. */
export interface RollingMonths {
  readonly from: string;
  readonly to: string;
  /** Years whose year-dated records lie in the frame (the frame covers the whole year). */
  readonly unspecifiedFrom: string;
  readonly unspecifiedTo: string;
}

/** A filter on a grouping's code column: the codes listed, or (geography) codes starting with one of them. */
export interface RollingCodeFilter {
  readonly column: 'k0' | 'k1';
  readonly values: readonly string[];
  readonly prefix: boolean;
}

export interface RollingRead {
  /** The grouping answering the cells: the breakdown and the dimensions filtered beyond the defaults. */
  readonly grouping: RollingGrouping;
  /** The grouping of the dimensions filtered beyond the defaults alone (none: the total), answering the total. */
  readonly total: RollingGrouping;
  /** Filters on the code columns of `grouping` and of `total`: single-code dimensions filtered beyond the defaults. */
  readonly cellFilters: readonly RollingCodeFilter[];
  readonly totalFilters: readonly RollingCodeFilter[];
  /** Per breakdown dimension of the query, in its order, where the code comes from. */
  readonly columns: readonly RollingColumn[];
  /** For each of `columns`, the NUTS level to truncate a geography code to. */
  readonly geoLevels: readonly (NutsLevel | undefined)[];
  readonly interval?: 'month' | 'quarter' | 'year';
  /** Only these providers; undefined for all. */
  readonly providers?: readonly string[];
  /** Only these period labels; undefined for all time. */
  readonly months?: RollingMonths;
}

const isListDimension = (dimension: Dimension): boolean =>
  isCanonicalField(dimension) && isListField(dimension);

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && new Set(a).size === new Set([...a, ...b]).size;

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const isDate = (value: string): boolean =>
  DATE_PATTERN.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

const isLastDayOfMonth = (date: string): boolean => {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
};

/**
 * The labels of a time frame of whole months, or null when the frame cuts a month. A record lies in the frame when
 * its whole reference period does (`query/model.ts`): a month or a day of a month in the frame, or a year the frame
 * covers whole.
 */
function monthsOf(from: string | undefined, to: string | undefined): RollingMonths | null {
  if (from !== undefined && !(isDate(from) && from.endsWith('-01'))) return null;
  if (to !== undefined && !(isDate(to) && isLastDayOfMonth(to))) return null;
  const fromYear = from === undefined ? 0 : Number(from.slice(0, 4)) + (from.endsWith('-01-01') ? 0 : 1);
  const toYear = to === undefined ? 9999 : Number(to.slice(0, 4)) - (to.endsWith('-12-31') ? 0 : 1);
  const year = (y: number): string => `${String(y).padStart(4, '0')}-unspecified`;
  return {
    from: from === undefined ? '0000-00' : from.slice(0, 7),
    to: to === undefined ? '9999-99' : to.slice(0, 7),
    unspecifiedFrom: year(fromYear),
    unspecifiedTo: year(toYear),
  };
}

/**
 * The roll-up answering `query` from rolling counts, or undefined when it is not a catalogue read (then the current
 * records answer it).
 */
export function rollingReadOf(
  query: StoreQuery,
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): RollingRead | undefined {
  // Malformed queries go to the current-records path, which refuses them.
  if (new Set(query.by).size !== query.by.length) return undefined;
  if (query.unit !== 'persons' && query.unit !== 'records') return undefined;
  if (query.geoLevel !== undefined && ![0, 1, 2, 3].includes(query.geoLevel)) return undefined;
  const { providerId: providers, ...filters } = query.filters;
  if (providers !== undefined && (!Array.isArray(providers) || providers.length === 0)) return undefined;
  const by = query.by.filter((dimension) => dimension !== 'providerId');
  const filtered = (Object.entries(filters) as [Dimension, readonly string[] | undefined][]).filter(
    (entry): entry is [Dimension, readonly string[]] => entry[1] !== undefined,
  );
  // The groupings under defaults the query's filters include; the filters beyond them must be on single-code
  // dimensions (a record has one code, so rolling them up adds nothing twice) that the grouping breaks down.
  const found = groupings.flatMap((g) => {
    if (g.kind !== query.kind) return [];
    const defaults = new Map(Object.entries(g.filters) as [Dimension, readonly string[]][]);
    const extra = filtered.filter(([d, values]) => !(defaults.has(d) && sameSet(values, defaults.get(d)!)));
    if (filtered.length - extra.length !== defaults.size) return [];
    if (extra.some(([d, values]) => isListDimension(d) || !Array.isArray(values) || values.length === 0))
      return [];
    const extraDims = extra.map(([d]) => d);
    if (by.some((d) => extraDims.includes(d)) || !sameSet(g.by, [...by, ...extraDims])) return [];
    const total = groupings.find(
      (t) => t.kind === g.kind && t.filters === g.filters && sameSet(t.by, extraDims),
    );
    return total === undefined ? [] : [{ grouping: g, total, extra }];
  });
  const choice = found[0];
  if (choice === undefined) return undefined;
  const { grouping, total, extra } = choice;
  const codeFilters = (g: RollingGrouping): RollingCodeFilter[] =>
    extra.map(([d, values]) => ({
      column: g.by.indexOf(d) === 0 ? 'k0' : 'k1',
      values,
      prefix: isGeoDimension(d),
    }));
  const { interval } = query;
  if (interval !== undefined && interval !== 'month' && interval !== 'quarter' && interval !== 'year')
    return undefined;
  const framed = query.from !== undefined || query.to !== undefined;
  const months = framed ? monthsOf(query.from, query.to) : undefined;
  if (months === null) return undefined;
  const columns = query.by.map((dimension): RollingColumn =>
    dimension === 'providerId' ? 'provider' : grouping.by.indexOf(dimension) === 0 ? 'k0' : 'k1',
  );
  const geoLevels = query.by.map((dimension) => (isGeoDimension(dimension) ? query.geoLevel : undefined));
  return {
    grouping,
    total,
    cellFilters: codeFilters(grouping),
    totalFilters: codeFilters(total),
    columns,
    geoLevels,
    ...(interval === undefined ? {} : { interval }),
    ...(providers === undefined ? {} : { providers }),
    ...(months === undefined ? {} : { months }),
  };
}

/**
 * The query whose total is `query`'s, with nothing else to answer: the same filters and time frame without
 * breakdown or interval (a total counts over the whole filter, whatever the breakdown: `query/model.ts`). A
 * catalogue read when only its breakdown made `query` ad hoc (two list fields crossed), so a store may read that
 * total from rolling counts rather than counting the current records a second time.
 */
export function totalQueryOf(query: StoreQuery): StoreQuery {
  const { interval: _interval, ...rest } = query;
  return { ...rest, by: [] };
}

/** Whether a month label lies in a read's labels. */
export function inMonths(months: RollingMonths | undefined, label: string): boolean {
  if (months === undefined) return true;
  if (label.endsWith('-unspecified')) return label >= months.unspecifiedFrom && label <= months.unspecifiedTo;
  return label >= months.from && label <= months.to;
}

/** A geography code at a NUTS level; `UNK` is not a region and stays as it is. */
export const codeAtLevel = (code: string, level: NutsLevel | undefined): string =>
  level === undefined || code === UNKNOWN ? code : code.slice(0, 2 + level);

/** The period label of a month label for an interval (the current-records labels). */
export function periodOfMonth(interval: 'month' | 'quarter' | 'year', month: string): string {
  if (interval === 'year') return month.slice(0, 4);
  if (interval === 'month' || month.endsWith('-unspecified')) return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

const mod = (value: number): number => ((value % KEY_SPACE) + KEY_SPACE) % KEY_SPACE;

interface Sum {
  codes: string[];
  period: string | undefined;
  value: number;
  keySum: number;
  persons: Set<string>;
}

/**
 * The result of `query` (routed to `read` by `rollingReadOf`) from a state of rolling counts: the roll-up the
 * stores do in SQL. Cells come ordered by their codes in breakdown order, then period, as the current-records path
 * orders them.
 */
export function rollingResultOf(query: StoreQuery, read: RollingRead, state: RollingState): StoreResult {
  const persons = query.unit === 'persons';
  const passes = (cell: RollingCell, filters: readonly RollingCodeFilter[]): boolean =>
    filters.every(({ column, values, prefix }) =>
      values.some((value) => (prefix ? cell[column].startsWith(value) : cell[column] === value)),
    );
  const selected = (cell: RollingCell, grouping: RollingGrouping): boolean =>
    cell.grouping === grouping.index &&
    passes(cell, grouping === read.grouping ? read.cellFilters : read.totalFilters) &&
    (read.providers === undefined || read.providers.includes(cell.providerId)) &&
    inMonths(read.months, cell.month);
  const groupOf = (cell: RollingCell): { codes: string[]; period: string | undefined } => ({
    codes: read.columns.map((column, i) =>
      column === 'provider' ? cell.providerId : codeAtLevel(cell[column], read.geoLevels[i]),
    ),
    period: read.interval === undefined ? undefined : periodOfMonth(read.interval, cell.month),
  });
  const roll = (grouping: RollingGrouping, group: (cell: RollingCell) => ReturnType<typeof groupOf>) => {
    const sums = new Map<string, Sum>();
    const sumOf = (cell: RollingCell): Sum => {
      const { codes, period } = group(cell);
      const name = JSON.stringify([codes, period ?? '']);
      let sum = sums.get(name);
      if (sum === undefined)
        sums.set(name, (sum = { codes, period, value: 0, keySum: 0, persons: new Set() }));
      return sum;
    };
    for (const count of state.cells) {
      if (!selected(count.cell, grouping)) continue;
      const sum = sumOf(count.cell);
      sum.value += persons ? count.persons : count.records;
      sum.keySum += persons ? count.personKeySum : count.recordKeySum;
    }
    if (persons) {
      for (const ref of state.refs) {
        if (selected(ref.cell, grouping)) sumOf(ref.cell).persons.add(ref.personKey);
      }
      for (const sum of sums.values()) {
        sum.value += sum.persons.size;
        for (const person of sum.persons) sum.keySum += personKeyNumber(person);
      }
    }
    return [...sums.values()].filter((sum) => sum.value > 0);
  };
  const compare = (a: Sum, b: Sum): number => {
    for (let i = 0; i < a.codes.length; i++) {
      if (a.codes[i] !== b.codes[i]) return a.codes[i]! < b.codes[i]! ? -1 : 1;
    }
    return (a.period ?? '') < (b.period ?? '') ? -1 : (a.period ?? '') > (b.period ?? '') ? 1 : 0;
  };
  const cells: Cell[] = roll(read.grouping, groupOf)
    .sort(compare)
    .map((sum) => ({
      key: Object.fromEntries(query.by.map((dimension, i) => [dimension, sum.codes[i]!])),
      ...(sum.period === undefined ? {} : { period: sum.period }),
      value: sum.value,
      ...(query.keySums === true ? { keySum: mod(sum.keySum) } : {}),
    }));
  const [whole] = roll(read.total, () => ({ codes: [], period: undefined }));
  return {
    cells,
    total: whole?.value ?? 0,
    ...(query.keySums === true ? { totalKeySum: mod(whole?.keySum ?? 0) } : {}),
  };
}
