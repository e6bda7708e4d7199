/**
 * The spatial analysis's tables for the embedded runtime: the deployment's population and regional indicator CSVs
 * when configured; otherwise, with the demo on, the clearly labelled SYNTHETIC tables of `@mosy/synthetic`, so the
 * demo's map shows rates; otherwise none (counts only, and the answers say so).
 */
import {
  loadPopulationCsv,
  loadRegionalIndicatorsCsv,
  regionalIndicatorsFromRows,
  type SpatialOptions,
  type SpatialSettings,
} from '@mosy/report-api';
import { populationFromRows } from '@mosy/core';
import {
  SYNTHETIC_POPULATION_SOURCE,
  syntheticIndicatorRows,
  syntheticPopulationRows,
} from '@mosy/synthetic';

/** @throws MosyError when a configured file cannot be read. */
export function spatialTables(settings: SpatialSettings, demo: boolean): SpatialOptions {
  const population =
    settings.populationCsv !== undefined
      ? loadPopulationCsv(settings.populationCsv)
      : demo
        ? populationFromRows(syntheticPopulationRows(), SYNTHETIC_POPULATION_SOURCE)
        : undefined;
  const indicators =
    settings.regionalIndicatorsCsv !== undefined
      ? loadRegionalIndicatorsCsv(settings.regionalIndicatorsCsv)
      : demo
        ? regionalIndicatorsFromRows(syntheticIndicatorRows(), 'SYNTHETIC demo indicators (invented)')
        : undefined;
  return {
    ...(population === undefined ? {} : { population }),
    ...(indicators === undefined ? {} : { indicators }),
  };
}
