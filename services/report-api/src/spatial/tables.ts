/**
 * The deployment's tables beside the records: population by region and year (rates per 100 000) and regional
 * indicators such as unemployment or the poverty rate (the context analysis). Both are CSV files named by
 * settings (`MOSY_POPULATION_CSV`, `MOSY_REGIONAL_INDICATORS_CSV`), read once by the composition root at start,
 * which stops with the file and row at fault when one is unreadable.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { MosyError, populationFromRows, type PopulationRow, type PopulationTable } from '@mosy/core';

/** Values per indicator, region and year. */
export interface RegionalIndicators {
  readonly source: string;
  readonly byIndicator: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, number>>>;
}

/** Rows of a regional indicator CSV: `indicator`, `geo`, `year`, `value`. */
export function regionalIndicatorsFromRows(
  rows: readonly PopulationRow[],
  source: string,
): RegionalIndicators {
  const byIndicator = new Map<string, Map<string, Map<number, number>>>();
  rows.forEach((row, index) => {
    const where = `regional indicator row ${index + 1}`;
    const indicator = row.indicator?.trim();
    const geo = row.geo?.trim();
    const yearText = row.year?.trim();
    const valueText = row.value?.trim();
    if (!indicator || !geo || yearText === undefined || valueText === undefined)
      throw new MosyError('invalid-request', `${where}: needs the columns indicator, geo, year and value.`);
    if (valueText === '' || valueText === ':') return;
    if (!/^\d{4}$/.test(yearText))
      throw new MosyError('invalid-request', `${where}: year "${yearText}" is not a four-digit year.`);
    const value = Number(valueText);
    if (!Number.isFinite(value))
      throw new MosyError('invalid-request', `${where}: value "${valueText}" is not a number.`);
    const regions = byIndicator.get(indicator) ?? new Map<string, Map<number, number>>();
    const years = regions.get(geo) ?? new Map<number, number>();
    if (years.has(Number(yearText)))
      throw new MosyError('invalid-request', `${where}: ${indicator} ${geo} ${yearText} is given twice.`);
    years.set(Number(yearText), value);
    regions.set(geo, years);
    byIndicator.set(indicator, regions);
  });
  return { source, byIndicator };
}

function readRows(path: string, setting: string): Record<string, string>[] {
  try {
    return parse<Record<string, string>>(readFileSync(path, 'utf8'), {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    throw new MosyError('invalid-request', `${setting}: cannot read ${path} as CSV with a header row.`, {
      cause: error,
    });
  }
}

/** Reads a population CSV (`geo,year,population`, or Eurostat's SDMX-CSV of `demo_r_pjanaggr3`). */
export function loadPopulationCsv(path: string): PopulationTable {
  try {
    return populationFromRows(readRows(path, 'MOSY_POPULATION_CSV'), `population table ${path}`);
  } catch (error) {
    if (error instanceof MosyError) throw new MosyError(error.code, `MOSY_POPULATION_CSV: ${error.message}`);
    throw error;
  }
}

/** Reads a regional indicator CSV (`indicator,geo,year,value`). */
export function loadRegionalIndicatorsCsv(path: string): RegionalIndicators {
  try {
    return regionalIndicatorsFromRows(readRows(path, 'MOSY_REGIONAL_INDICATORS_CSV'), path);
  } catch (error) {
    if (error instanceof MosyError)
      throw new MosyError(error.code, `MOSY_REGIONAL_INDICATORS_CSV: ${error.message}`);
    throw error;
  }
}
