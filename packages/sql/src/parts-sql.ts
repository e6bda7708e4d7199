/**
 * One statement for the parts of a table (the cells and every margin of a report): the query broken down by each
 * of several subsets of its breakdowns, from ONE scan of the table, where a separate query per part would scan it
 * once per part (and twice with its total). Exact only without list breakdowns (a margin that leaves a list out
 * counts records, not list elements), so `buildPartsSql` gives no statement for a query with one. DuckDB groups by
 * grouping sets; ClickHouse 18.16, which has none, repeats each row once per part (`arrayJoin`) and groups by part,
 * so every part, the grand total too, counts each person once with one aggregation level.
 */
import { type Dimension, type StoreQuery, type StoreResult } from '@mosy/core';
import type { Dialect } from './dialect.js';
import {
  PERSON_LINKS_TABLE,
  indicatorPlan,
  keyedPersons,
  oneLevelMeasures,
  resultOfSingle,
} from './indicator-sql.js';

/** The period of a query with an interval, as a part's dimension. */
export const PERIOD_PART = 'period';

/** A part: some of the query's breakdowns, and `period` for its interval. */
export type Part = readonly string[];

export interface PartsSql {
  /** Rows of every part: `part_id` (index in `parts`), `k0…kN`, `period_label`, `n`, `key_sum`. */
  readonly sql: string;
  /** The parts asked for, then the empty part (the total of each) unless asked for. */
  readonly parts: readonly Part[];
  /** How many parts were asked for (the first ones of `parts`). */
  readonly asked: number;
  /** The index of the empty part. */
  readonly totalIndex: number;
}

/** The store query of one part of `query`. */
export function partQuery(query: StoreQuery, part: Part): StoreQuery {
  const { interval, ...rest } = query;
  return {
    ...rest,
    by: query.by.filter((dimension) => part.includes(dimension)),
    ...(interval !== undefined && part.includes(PERIOD_PART) ? { interval } : {}),
  };
}

/**
 * The one statement answering `query` by each of `parts`; undefined when the query has a list breakdown or no
 * breakdown at all (then each part is a query of its own).
 */
export function buildPartsSql(
  query: StoreQuery,
  parts: readonly Part[],
  dialect: Dialect,
  table: string,
  links: string | null = PERSON_LINKS_TABLE,
): PartsSql | undefined {
  const plan = indicatorPlan(query, dialect, table, links);
  if (plan.hasLists || plan.groups.length === 0) return undefined;
  const { flat, numbered } = plan;
  const all: Part[] = [...parts];
  // The empty part gives every part's total; added when not asked for.
  let totalIndex = all.findIndex((part) => part.length === 0);
  if (totalIndex < 0) totalIndex = all.push([]) - 1;
  const column = (dimension: string): string =>
    dimension === PERIOD_PART ? 'period_label' : `k${query.by.indexOf(dimension as Dimension)}`;
  const present = all.map((part) => new Set(part.map(column)));
  const names = present.map((set) => [...set].sort().join(','));
  if (new Set(names).size !== names.length) throw new Error('the parts of a table must differ');
  // A breakdown in no part is left out of the grouping: neither DuckDB's grouping() nor 18.16's has([], …) takes it.
  const groups = plan.groups.filter((group) => present.some((set) => set.has(group)));
  for (const part of all) {
    for (const dimension of part) {
      if (
        dimension === PERIOD_PART ? query.interval === undefined : !query.by.includes(dimension as Dimension)
      )
        throw new Error(`part dimension ${dimension} is not in the query`);
    }
  }
  const order = ` ORDER BY ${['part_id', ...groups].join(', ')}`;
  if (dialect.totals === 'grouping-sets') {
    // grouping(a, b, …) sets the bit of each column left out, the first column's the highest.
    const mask = (index: number): number =>
      groups.reduce(
        (bits, group, at) => (present[index]!.has(group) ? bits : bits | (1 << (groups.length - 1 - at))),
        0,
      );
    const partId = `CASE grouping(${groups.join(', ')}) ${all.map((_, i) => `WHEN ${mask(i)} THEN ${i}`).join(' ')} END AS part_id`;
    const sets = (extra: readonly string[]): string =>
      `GROUPING SETS (${all.map((_, i) => `(${[...groups.filter((g) => present[i]!.has(g)), ...extra].join(', ')})`).join(', ')})`;
    if (query.unit === 'persons' && query.keySums === true) {
      const persons = `SELECT ${[...groups, 'person', 'person_kn', partId].join(', ')} FROM (${keyedPersons(dialect, flat, numbered)}) GROUP BY ${sets(['person', 'person_kn'])}`;
      const keySum = dialect.keySum('person_kn');
      return {
        sql:
          `SELECT ${['part_id', ...groups, 'count(*) AS n', `${keySum} AS key_sum`].join(', ')} FROM (${persons})` +
          ` GROUP BY ${['part_id', ...groups].join(', ')}${order}`,
        parts: all,
        asked: parts.length,
        totalIndex,
      };
    }
    const n = query.unit === 'persons' ? dialect.distinctCount('person') : 'count(*)';
    const measures = [
      `${n} AS n`,
      ...(query.keySums === true ? [`${dialect.keySum('record_key')} AS key_sum`] : []),
    ];
    return {
      sql: `SELECT ${[partId, ...groups, ...measures].join(', ')} FROM (${flat}) GROUP BY ${sets([])}${order}`,
      parts: all,
      asked: parts.length,
      totalIndex,
    };
  }
  const person = numbered ? ['person', 'person_kn'] : ['person'];
  const counted = query.unit === 'persons' ? person : query.keySums === true ? ['record_key'] : [];
  const ids = (group: string): string =>
    `[${all.flatMap((_, i) => (present[i]!.has(group) ? [i] : [])).join(', ')}]`;
  // `g_` names inside, so no alias names a column its own expression reads.
  const repeated =
    `SELECT ${[`arrayJoin([${all.map((_, i) => i).join(', ')}]) AS part_id`, ...groups.map((g) => `if(has(${ids(g)}, part_id), ${g}, '') AS g_${g}`), ...counted].join(', ')}` +
    ` FROM (${flat})`;
  return {
    sql:
      `SELECT ${['part_id', ...groups.map((g) => `g_${g} AS ${g}`), ...oneLevelMeasures(dialect, query, numbered)].join(', ')}` +
      ` FROM (${repeated}) GROUP BY ${['part_id', ...groups.map((g) => `g_${g}`)].join(', ')} ORDER BY ${['part_id', ...groups.map((g) => `g_${g}`)].join(', ')}`,
    parts: all,
    asked: parts.length,
    totalIndex,
  };
}

/** The answer of each asked part (in order) from the rows of `buildPartsSql`'s statement. */
export function partsFromRows(
  query: StoreQuery,
  plan: PartsSql,
  rows: readonly Readonly<Record<string, unknown>>[],
): StoreResult[] {
  const byPart = plan.parts.map(() => [] as Record<string, unknown>[]);
  for (const row of rows) byPart[Number(row.part_id)]?.push(row);
  const totalRow = byPart[plan.totalIndex]![0];
  const total = { n: totalRow?.n ?? 0, key_sum: totalRow?.key_sum ?? 0 };
  return plan.parts.slice(0, plan.asked).map((part, index) => {
    const asked = partQuery(query, part);
    // The part's rows renamed to the part query's own k0…kM.
    const renamed = byPart[index]!.map((row) => {
      const out: Record<string, unknown> = { n: row.n, key_sum: row.key_sum, period_label: row.period_label };
      asked.by.forEach((dimension, at) => {
        out[`k${at}`] = row[`k${query.by.indexOf(dimension)}`];
      });
      return out;
    });
    return resultOfSingle(asked, 'totals', renamed, total);
  });
}
