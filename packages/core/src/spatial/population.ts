/**
 * Population by region and year, the denominator of rates per 100 000 inhabitants. A deployment gives it as a
 * table (Eurostat's `demo_r_pjanaggr3`, population on 1 January by NUTS 3 region, or any table with the same
 * columns); this module turns its rows into a lookup and picks the population of a region for a year. It reads no
 * file: callers parse the CSV and pass its rows.
 */
import { MosyError } from '../errors.js';

/** Population per region code, per year. */
export interface PopulationTable {
  /** Where the numbers come from, shown beside every rate (e.g. "Eurostat demo_r_pjanaggr3", "SYNTHETIC"). */
  readonly source: string;
  readonly byRegion: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

/** Rows of a population CSV: `geo`, `year` (or Eurostat's `TIME_PERIOD`), `population` (or `OBS_VALUE`). */
export type PopulationRow = Readonly<Record<string, string | undefined>>;

const pick = (row: PopulationRow, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = row[name];
    if (value !== undefined) return value.trim();
  }
  return undefined;
};

/**
 * A population table from CSV rows. Eurostat's SDMX-CSV download of `demo_r_pjanaggr3` holds one row per sex and
 * age group: only the totals (`sex` T, `age` TOTAL) are kept when those columns are present. Rows with an empty
 * value (Eurostat's `:`) are skipped.
 * @throws MosyError `invalid-request` naming the first bad row (1-based, after the header).
 */
export function populationFromRows(rows: readonly PopulationRow[], source: string): PopulationTable {
  const byRegion = new Map<string, Map<number, number>>();
  rows.forEach((row, index) => {
    if (row.sex !== undefined && row.sex.trim() !== 'T') return;
    if (row.age !== undefined && row.age.trim() !== 'TOTAL') return;
    const where = `population row ${index + 1}`;
    const geo = pick(row, 'geo', 'GEO');
    const yearText = pick(row, 'year', 'TIME_PERIOD');
    const valueText = pick(row, 'population', 'OBS_VALUE');
    if (geo === undefined || yearText === undefined || valueText === undefined)
      throw new MosyError(
        'invalid-request',
        `${where}: needs the columns geo, year (or TIME_PERIOD) and population (or OBS_VALUE).`,
      );
    if (valueText === '' || valueText === ':') return;
    if (!/^[A-Z]{2}[0-9A-Z]{0,3}$/.test(geo))
      throw new MosyError('invalid-request', `${where}: "${geo}" is not a NUTS or country code.`);
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText))
      throw new MosyError('invalid-request', `${where}: year "${yearText}" is not a four-digit year.`);
    const population = Number(valueText);
    if (!Number.isSafeInteger(population) || population <= 0)
      throw new MosyError(
        'invalid-request',
        `${where}: population "${valueText}" of ${geo} is not a whole number above 0.`,
      );
    const years = byRegion.get(geo) ?? new Map<number, number>();
    if (years.has(year)) throw new MosyError('invalid-request', `${where}: ${geo} ${year} is given twice.`);
    years.set(year, population);
    byRegion.set(geo, years);
  });
  if (byRegion.size === 0) throw new MosyError('invalid-request', 'The population table holds no row.');
  return { source, byRegion };
}

/**
 * The population of a region for a year: that year's, else the nearest year the table has (the earlier one on a
 * tie), with the year used; undefined when the table has no row for the region.
 */
export function populationOf(
  table: PopulationTable,
  region: string,
  year: number,
): { readonly population: number; readonly year: number } | undefined {
  const years = table.byRegion.get(region);
  if (years === undefined) return undefined;
  let best: number | undefined;
  for (const y of years.keys()) {
    if (best === undefined) best = y;
    const d = Math.abs(y - year);
    const bestD = Math.abs(best - year);
    if (d < bestD || (d === bestD && y < best)) best = y;
  }
  return best === undefined ? undefined : { population: years.get(best) ?? 0, year: best };
}

/** Inhabitants a rate is expressed per. */
export const RATE_BASE = 100_000;

/** A count per 100 000 inhabitants. @throws MosyError when the population is not above 0. */
export function ratePer100k(count: number, population: number): number {
  if (!(population > 0))
    throw new MosyError('invalid-request', `A rate needs a population above 0, got ${population}.`);
  return (count * RATE_BASE) / population;
}
