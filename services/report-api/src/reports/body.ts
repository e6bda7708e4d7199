/**
 * The JSON body of a table report, shared by every report family: what was asked (indicator, unit, filters,
 * period) beside the published table, so a saved answer says what it counts.
 */
import type { IndicatorDefinition, StoreQuery } from '@mosy/core';
import type { PublishedTable } from './table.js';

/** A table report as JSON. */
export interface TableReport extends PublishedTable {
  readonly report: string;
  readonly indicator: string;
  readonly unit: 'persons' | 'records' | 'cases';
  readonly filters: StoreQuery['filters'];
  readonly from?: string;
  readonly to?: string;
  readonly interval?: string;
  readonly geoLevel?: number;
}

/** The unit as reports name it: `cases` for case indicators. */
export const unitOf = (indicator: IndicatorDefinition, query: StoreQuery): TableReport['unit'] =>
  indicator.unit === 'cases' ? 'cases' : query.unit;

/** The report body for a published table. */
export function tableReport(
  report: string,
  indicator: IndicatorDefinition,
  query: StoreQuery,
  table: PublishedTable,
): TableReport {
  return {
    report,
    indicator: indicator.id,
    unit: unitOf(indicator, query),
    filters: query.filters,
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
    ...(query.interval === undefined ? {} : { interval: query.interval }),
    ...(query.geoLevel === undefined ? {} : { geoLevel: query.geoLevel }),
    ...table,
  };
}
