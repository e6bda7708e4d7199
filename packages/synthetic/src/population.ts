/**
 * A SYNTHETIC population table and a SYNTHETIC regional indicator for the demo and the tests of rates per 100 000
 * and of the context analysis: invented numbers for the Portuguese NUTS 3 regions the demo's records fall in, summed
 * up to NUTS 2, 1 and the country, for 2023–2025. They are not Eurostat's figures and must never be read as such;
 * the source label says SYNTHETIC wherever a rate is shown. Rows have the columns a deployment's CSV has.
 */
import { createRng } from './prng.js';
import { PT_NUTS3 } from './world.js';

/** Shown beside every rate computed from this table. */
export const SYNTHETIC_POPULATION_SOURCE = 'SYNTHETIC demo population (invented, not Eurostat)';
/** The name of the demo's regional indicator. */
export const SYNTHETIC_INDICATOR = 'SYNTHETIC unemployment rate (%)';

const YEARS = [2023, 2024, 2025] as const;

// Type aliases rather than interfaces, so rows pass where CSV records (string-keyed) are expected.
export type PopulationCsvRow = {
  readonly geo: string;
  readonly year: string;
  readonly population: string;
};

export type IndicatorCsvRow = {
  readonly indicator: string;
  readonly geo: string;
  readonly year: string;
  readonly value: string;
};

/**
 * Invented NUTS 3 populations for 2023, between 150 000 and 600 000, drawn without regard to where the demo puts
 * its records, so rates differ between regions and the demo map has something to show.
 */
function basePopulations(): Map<string, number> {
  const rng = createRng(20_240_101);
  return new Map(Object.keys(PT_NUTS3).map((id) => [id, 150_000 + rng.int(0, 450_000)]));
}

/** The synthetic population table: every level, each year 0.4 % more than the year before (rounded). */
export function syntheticPopulationRows(): PopulationCsvRow[] {
  const rows: PopulationCsvRow[] = [];
  for (const [yearIndex, year] of YEARS.entries()) {
    const totals = new Map<string, number>();
    for (const [id, base] of basePopulations()) {
      const population = Math.round(base * 1.004 ** yearIndex);
      for (const code of [id, id.slice(0, 4), id.slice(0, 3), id.slice(0, 2)])
        totals.set(code, (totals.get(code) ?? 0) + population);
    }
    for (const [geo, population] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1)))
      rows.push({ geo, year: String(year), population: String(population) });
  }
  return rows;
}

/** The synthetic regional indicator, for NUTS 3 and NUTS 2 regions and every year, with one decimal. */
export function syntheticIndicatorRows(): IndicatorCsvRow[] {
  const rng = createRng(20_240_102);
  const ids = Object.keys(PT_NUTS3);
  const nuts2 = [...new Set(ids.map((id) => id.slice(0, 4)))];
  return YEARS.flatMap((year) =>
    [...ids, ...nuts2].map((geo) => ({
      indicator: SYNTHETIC_INDICATOR,
      geo,
      year: String(year),
      value: (4 + rng.int(0, 80) / 10).toFixed(1),
    })),
  );
}
