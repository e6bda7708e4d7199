/**
 * Person counters: per (grouping, period of a grain, k0, k1) over all providers, the distinct persons whose current
 * records lie in it, and the sum of their key numbers, for the periods the catalogue reads by (month, quarter, year,
 * all time): the distinct counts of the reference rows (`RollingState.refs`, persons with an identity) plus the
 * persons without identity (`r:`, one record each) summed from the finest cells. They are kept ready so that such a
 * read is a lookup of counters, neither counting distinct person keys nor summing finest cells. A store keeps them
 * exact in apply's transaction: for persons with an identity by deriving each batch's change from their current
 * records (the person's cells before and after, as distinct sets); for the others by folding the finest cells'
 * signed change into their periods, which is exact because such a person is one record, in one month and provider.
 * `personCountersReadOf` decides whether a catalogue read (`rollingReadOf`) is one that counters answer: all providers (no filter on them, no breakdown by them), geography codes kept whole, filters beyond the
 * defaults on one code each (so no output cell merges two counters), and periods that are whole periods of one grain;
 * any other persons read keeps counting distinct references.
 */
import { KEY_SPACE, personKeyNumber } from '../disclosure/cell-key.js';
import type { Cell, StoreQuery, StoreResult } from '../query/model.js';
import { periodOfMonth, type RollingRead } from './read.js';
import type { RollingState } from './reference.js';

/** The period grains counters are kept for; `all` is all time (period label ''). */
export const COUNTER_GRAINS = ['month', 'quarter', 'year', 'all'] as const;
export type CounterGrain = (typeof COUNTER_GRAINS)[number];

/** The period label of a finest cell's month label in a grain (`periodOfMonth`; '' for all time). */
export const counterPeriodOf = (grain: CounterGrain, month: string): string =>
  grain === 'all' ? '' : periodOfMonth(grain, month);

/**
 * The counters of one grain a part of a read adds up: those of `periods` (labels of records dated within the
 * period: from..to, both inclusive, undefined for open; labels of year-dated records, `YYYY-unspecified`, in
 * unspecifiedFrom..unspecifiedTo), or every period of the grain when undefined.
 */
export interface CounterSelection {
  readonly grain: CounterGrain;
  readonly periods?: {
    readonly from?: string;
    readonly to?: string;
    readonly unspecifiedFrom: string;
    readonly unspecifiedTo: string;
  };
}

/** A catalogue read of persons that counters answer: the cells' and the total's selections. */
export interface PersonCountersRead {
  readonly cells: CounterSelection;
  readonly total: CounterSelection;
}

const addMonths = (month: string, count: number): string => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + count;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
};

const mod = (value: number): number => ((value % KEY_SPACE) + KEY_SPACE) % KEY_SPACE;

/** Months in a period of a grain (month, quarter or year). */
const LENGTH = { month: 1, quarter: 3, year: 12 } as const;

/** Whether a month (`YYYY-MM`) starts a period of the grain. */
const startsPeriod = (grain: keyof typeof LENGTH, month: string): boolean =>
  (Number(month.slice(5, 7)) - 1) % LENGTH[grain] === 0;

/**
 * The selection of a frame's periods in a grain, or undefined when the frame cuts a period of it. `from` and `to`
 * are the first and last months of a frame of whole months (undefined for an open end).
 */
function framed(
  grain: keyof typeof LENGTH,
  from: string | undefined,
  to: string | undefined,
  read: RollingRead,
): CounterSelection | undefined {
  if (from !== undefined && !startsPeriod(grain, from)) return undefined;
  if (to !== undefined && !startsPeriod(grain, addMonths(to, 1))) return undefined;
  const months = read.months!;
  return {
    grain,
    periods: {
      ...(from === undefined ? {} : { from: periodOfMonth(grain, from) }),
      ...(to === undefined ? {} : { to: periodOfMonth(grain, to) }),
      unspecifiedFrom: months.unspecifiedFrom,
      unspecifiedTo: months.unspecifiedTo,
    },
  };
}

/** The selection of a frame that is exactly one period of a grain (the finest such), or undefined. */
function onePeriod(from: string, to: string, read: RollingRead): CounterSelection | undefined {
  for (const grain of ['month', 'quarter', 'year'] as const) {
    if (periodOfMonth(grain, from) !== periodOfMonth(grain, to)) continue;
    return framed(grain, from, to, read);
  }
  return undefined;
}

/**
 * How counters answer a catalogue read of persons (`read`, from `rollingReadOf(query)`), or undefined when they do
 * not (then distinct references do).
 */
export function personCountersReadOf(query: StoreQuery, read: RollingRead): PersonCountersRead | undefined {
  if (query.unit !== 'persons' || read.providers !== undefined) return undefined;
  if (read.columns.includes('provider')) return undefined;
  // A coarser NUTS level would merge cells of several codes, whose persons may overlap.
  if (read.geoLevels.some((level) => level !== undefined)) return undefined;
  // Likewise several codes of a dimension filtered but not broken down.
  const merges = (filters: RollingRead['cellFilters']) =>
    filters.some((filter) => filter.prefix || filter.values.length !== 1);
  if (merges(read.cellFilters) || merges(read.totalFilters)) return undefined;
  if (read.months === undefined) return { cells: { grain: read.interval ?? 'all' }, total: { grain: 'all' } };
  const from = query.from?.slice(0, 7);
  const to = query.to?.slice(0, 7);
  // The total counts each person once over the whole frame: one period of a grain.
  const total = from === undefined || to === undefined ? undefined : onePeriod(from, to, read);
  if (total === undefined) return undefined;
  const cells = read.interval === undefined ? total : framed(read.interval, from, to, read);
  return cells === undefined ? undefined : { cells, total };
}

/** One counter: distinct persons and their key sum (modulo 2^32). */
export interface PersonCounter {
  readonly grouping: number;
  readonly grain: CounterGrain;
  readonly period: string;
  readonly k0: string;
  readonly k1: string;
  readonly persons: number;
  readonly personKeySum: number;
}

/**
 * The non-zero counters of a state of rolling counts: per grain period, the distinct persons of its references plus
 * the persons without identity of its finest cells.
 */
export function personCountersOf(state: RollingState): PersonCounter[] {
  const counters = new Map<
    string,
    {
      counter: Omit<PersonCounter, 'persons' | 'personKeySum'>;
      persons: Set<string>;
      own: number;
      ownKeySum: number;
    }
  >();
  const counterOf = (cell: RollingState['refs'][number]['cell'], grain: CounterGrain) => {
    const counter = {
      grouping: cell.grouping,
      grain,
      period: counterPeriodOf(grain, cell.month),
      k0: cell.k0,
      k1: cell.k1,
    };
    const id = JSON.stringify(counter);
    let found = counters.get(id);
    if (found === undefined)
      counters.set(id, (found = { counter, persons: new Set(), own: 0, ownKeySum: 0 }));
    return found;
  };
  for (const ref of state.refs)
    for (const grain of COUNTER_GRAINS) counterOf(ref.cell, grain).persons.add(ref.personKey);
  for (const count of state.cells) {
    if (count.persons === 0) continue;
    for (const grain of COUNTER_GRAINS) {
      const found = counterOf(count.cell, grain);
      found.own += count.persons;
      found.ownKeySum = mod(found.ownKeySum + count.personKeySum);
    }
  }
  return [...counters.values()]
    .map(({ counter, persons, own, ownKeySum }) => ({
      ...counter,
      persons: persons.size + own,
      personKeySum: [...persons].reduce((sum, person) => mod(sum + personKeyNumber(person)), ownKeySum),
    }))
    .filter((counter) => counter.persons !== 0);
}

/** Whether a counter's period lies in a selection of its grain. */
export function inSelection(
  selection: CounterSelection,
  counter: Pick<PersonCounter, 'grain' | 'period'>,
): boolean {
  if (counter.grain !== selection.grain) return false;
  const { periods } = selection;
  if (periods === undefined) return true;
  if (counter.period.endsWith('-unspecified'))
    return counter.period >= periods.unspecifiedFrom && counter.period <= periods.unspecifiedTo;
  return (
    (periods.from === undefined || counter.period >= periods.from) &&
    (periods.to === undefined || counter.period <= periods.to)
  );
}

/**
 * The result of a read counters answer (`counted`, from `personCountersReadOf`) over a state of rolling counts: the
 * counters selected, added up per output cell. The stores do this in SQL; tests compare it with `rollingResultOf`
 * over the same state.
 */
export function personCountersResultOf(
  query: StoreQuery,
  read: RollingRead,
  counted: PersonCountersRead,
  state: RollingState,
): StoreResult {
  const sums = new Map<
    string,
    { key: Cell['key']; period: string | undefined; value: number; keySum: number }
  >();
  const sumOf = (key: Cell['key'], period: string | undefined) => {
    const id = JSON.stringify([query.by.map((dimension) => key[dimension]), period ?? '']);
    let sum = sums.get(id);
    if (sum === undefined) sums.set(id, (sum = { key, period, value: 0, keySum: 0 }));
    return sum;
  };
  let total = 0;
  let totalKeySum = 0;
  const passes = (counter: PersonCounter, filters: RollingRead['cellFilters']): boolean =>
    filters.every(({ column, values }) => values.includes(counter[column]));
  for (const counter of personCountersOf(state)) {
    if (
      counter.grouping === read.grouping.index &&
      inSelection(counted.cells, counter) &&
      passes(counter, read.cellFilters)
    ) {
      const key = Object.fromEntries(
        query.by.map((dimension, i) => [dimension, counter[read.columns[i] as 'k0' | 'k1']]),
      );
      const sum = sumOf(key, read.interval === undefined ? undefined : counter.period);
      sum.value += counter.persons;
      sum.keySum += counter.personKeySum;
    }
    if (
      counter.grouping === read.total.index &&
      inSelection(counted.total, counter) &&
      passes(counter, read.totalFilters)
    ) {
      total += counter.persons;
      totalKeySum += counter.personKeySum;
    }
  }
  const codes = (sum: { key: Cell['key'] }) => query.by.map((dimension) => sum.key[dimension]!);
  const cells: Cell[] = [...sums.values()]
    .filter((sum) => sum.value > 0)
    .sort((a, b) => {
      const [x, y] = [codes(a), codes(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return (a.period ?? '') < (b.period ?? '') ? -1 : (a.period ?? '') > (b.period ?? '') ? 1 : 0;
    })
    .map((sum) => ({
      key: sum.key,
      ...(sum.period === undefined ? {} : { period: sum.period }),
      value: sum.value,
      ...(query.keySums === true ? { keySum: mod(sum.keySum) } : {}),
    }));
  return { cells, total, ...(query.keySums === true ? { totalKeySum: mod(totalKeySum) } : {}) };
}
