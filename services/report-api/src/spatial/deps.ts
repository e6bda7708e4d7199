/**
 * What the spatial routes read: the report context (store, registry, audit, disclosure), the geometries and
 * typologies, the deployment's population table and regional indicators when configured, and region names; plus
 * the request parameters they share and the published table every answer is computed from.
 */
import type { Request } from 'express';
import type { PopulationTable, StoreQuery } from '@mosy/core';
import type { RegionName } from '../regions.js';
import { invalidParam, scalarParam, type ReportContext } from '../reports/context.js';
import type { SpatialGeo } from './geo.js';
import type { RegionalIndicators } from './tables.js';

export interface SpatialContext {
  readonly report: ReportContext;
  readonly geo: SpatialGeo;
  readonly population?: PopulationTable;
  readonly indicators?: RegionalIndicators;
  readonly regionNames: ReadonlyMap<string, string>;
}

/** The options of `createReportApi` that the spatial routes take. */
export interface SpatialOptions {
  /** Population by region and year; without it the analysis uses counts and says so. */
  readonly population?: PopulationTable;
  /** Regional indicators (unemployment, poverty rate, …) for the context's rank correlations. */
  readonly indicators?: RegionalIndicators;
}

export const namesOf = (regions: readonly RegionName[] | undefined): Map<string, string> =>
  new Map((regions ?? []).map((r) => [r.id, r.name]));

/** A whole-number parameter within bounds, or its default. */
export function intParam(req: Request, name: string, min: number, max: number, fallback: number): number {
  const text = scalarParam(req, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw invalidParam(name, `must be a whole number from ${min} to ${max}`);
  return value;
}

/** The year whose population divides the counts: the year of `to`, else of `from`, else the table's latest. */
export function populationYear(query: StoreQuery, table: PopulationTable): number {
  const day = query.to ?? query.from;
  if (day !== undefined) return Number(day.slice(0, 4));
  let latest = 0;
  for (const years of table.byRegion.values()) for (const y of years.keys()) latest = Math.max(latest, y);
  return latest;
}

/** The NUTS country of a code (its first two letters). */
export const countryOf = (code: string): string => code.slice(0, 2);

/** Countries from a list parameter, checked as two capital letters. */
export function countriesParam(values: readonly string[]): string[] {
  for (const code of values)
    if (!/^[A-Z]{2}$/.test(code))
      throw invalidParam('countries', `"${code}" is not a two-letter country code`);
  return [...new Set(values)].sort();
}
