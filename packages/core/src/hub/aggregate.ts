/**
 * The hub's aggregation across countries: the published observations of each national node's latest revision of
 * a quarter, combined into EU totals, country comparisons and citizenship → country of exploitation flows. A total
 * that would include a value withheld by a node is withheld itself (value null, flag `c`): a lower bound would let
 * anyone who knows the other countries' published values bound the withheld one, and a withheld cell must stay
 * withheld. Every total says which countries it includes and which of them withheld their value. Pure.
 */
import { MosyError } from '../errors.js';
import type { ReportCell } from '../quarterly/revision-diff.js';

/** The report a national node sent: its latest revision of one quarter. */
export interface NationalReport {
  /** ISO alpha-2 (Eurostat's `EL` for Greece accepted as given). */
  readonly country: string;
  readonly period: string;
  readonly revision: number;
  readonly observations: readonly ReportCell[];
}

/** One EU total: the sum of the countries' published values for one observation key. */
export interface EuTotal {
  readonly key: Readonly<Record<string, string>>;
  /** Null when a country withheld its value. */
  readonly value: number | null;
  readonly flag?: 'c';
  /** The countries with this observation, sorted. */
  readonly countries: readonly string[];
  /** Those of them that withheld it, sorted. */
  readonly withheldBy: readonly string[];
}

/** One observation key with each country's published value side by side. */
export interface CountryComparison {
  readonly key: Readonly<Record<string, string>>;
  /** Country → published value (null when withheld). */
  readonly values: Readonly<Record<string, number | null>>;
}

/** Victims of one citizenship found exploited in one country. */
export interface CitizenshipFlow {
  readonly indicator: string;
  readonly period: string;
  /** The `citizen` code as the node published it (a country or a citizenship group). */
  readonly citizenship: string;
  /** The reporting country, where the victims were identified as exploited. */
  readonly exploitation: string;
  readonly value: number | null;
  readonly flag?: 'c';
}

/** The canonical name of a key, whatever the order of its members. */
export const keyName = (key: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** @throws MosyError `internal` when two reports come from the same country for the same quarter. */
function checkDistinct(reports: readonly NationalReport[]): void {
  const seen = new Set<string>();
  for (const report of reports) {
    const id = `${report.country}/${report.period}`;
    if (seen.has(id))
      throw new MosyError('internal', `Two reports of ${report.country} for ${report.period}.`);
    seen.add(id);
  }
}

/** Observations grouped by key, each with the country that published it, in key order. */
function byKey(reports: readonly NationalReport[]) {
  checkDistinct(reports);
  const groups = new Map<string, { key: Record<string, string>; entries: [string, number | null][] }>();
  for (const report of reports)
    for (const cell of report.observations) {
      const name = keyName(cell.key);
      let group = groups.get(name);
      if (group === undefined) groups.set(name, (group = { key: { ...cell.key }, entries: [] }));
      group.entries.push([report.country, cell.value]);
    }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, group]) => ({ key: group.key, entries: group.entries.sort(([a], [b]) => (a < b ? -1 : 1)) }));
}

/** The EU totals of every observation key any country published. */
export function euTotals(reports: readonly NationalReport[]): EuTotal[] {
  return byKey(reports).map(({ key, entries }) => {
    const withheldBy = entries.filter(([, v]) => v === null).map(([c]) => c);
    const countries = entries.map(([c]) => c);
    if (withheldBy.length > 0) return { key, value: null, flag: 'c' as const, countries, withheldBy };
    return { key, value: entries.reduce((sum, [, v]) => sum + v!, 0), countries, withheldBy };
  });
}

/** Each country's value of every observation key, side by side. */
export const countryComparisons = (reports: readonly NationalReport[]): CountryComparison[] =>
  byKey(reports).map(({ key, entries }) => ({ key, values: Object.fromEntries(entries) }));

/**
 * The flows from citizenship to country of exploitation: every observation broken down by `citizen` alone (no
 * other column but the indicator and period), from each country, the reporting country being where the victims
 * were exploited. Totals over citizenship (`citizen` absent) are not flows.
 */
export function citizenshipFlows(reports: readonly NationalReport[]): CitizenshipFlow[] {
  checkDistinct(reports);
  const flows: CitizenshipFlow[] = [];
  for (const report of reports)
    for (const { key, value } of report.observations) {
      const { indicator, period, citizen, ...rest } = key;
      if (citizen === undefined || indicator === undefined || period === undefined) continue;
      if (Object.keys(rest).length > 0) continue;
      flows.push({
        indicator,
        period,
        citizenship: citizen,
        exploitation: report.country,
        value,
        ...(value === null ? { flag: 'c' as const } : {}),
      });
    }
  const order = (f: CitizenshipFlow) => [f.indicator, f.period, f.citizenship, f.exploitation].join('\u0000');
  return flows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Why a received revision is refused, or what to do with it. */
export type RevisionDecision = 'store' | 'same' | 'older';

/**
 * What the hub does with revision `incoming` of a country's quarter when it holds `held` (undefined: none): store
 * a newer one (it replaces the earlier figures), ignore the same one (a re-send), refuse an older one.
 */
export function decideRevision(held: number | undefined, incoming: number): RevisionDecision {
  if (held === undefined || incoming > held) return 'store';
  return incoming === held ? 'same' : 'older';
}
