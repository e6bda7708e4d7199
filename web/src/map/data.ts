/**
 * What the map shows, loaded through the typed client: the counts per region from the geo report, the flows
 * origin → region of exploitation from the simple report with those two breakdowns, a region's breakdown by one
 * more variable, and the choices (periods with data, sources, code labels). Every count keeps its published value
 * (null when withheld) and gets its cell key.
 */
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';
import { cellKey } from '../cells.js';
import { protectionQuery } from '../protection.js';
import { regionTotal } from './region-total.js';
import type { FlowCell } from './flow-layout.js';

export type GeoField = 'regionOfIdentification' | 'regionOfExploitation';
export type FlowOrigin = 'citizenship' | 'countryOfRecruitment';
export type Granularity = 'year' | 'quarter';
type TableReport = Schema<'TableReport'>;

/** One map: an indicator at a NUTS level, by one geography, for a source and a period. */
export interface MapQuery {
  readonly indicator: string;
  readonly level: number;
  readonly geoField: GeoField;
  /** A provider id or `type:<TYPE>`; all sources when undefined. */
  readonly providers?: string;
  /** A period (`2024`, `2024-Q3`); the whole time when undefined. */
  readonly period?: string;
  /** A coordinator's exact values (`protection=none`); not a coordinate of the counts. */
  readonly exact?: boolean;
}

export interface Count {
  readonly value: number | null;
  /** `data-cell`. */
  readonly cell: string;
}

export interface RegionCounts {
  readonly byRegion: ReadonlyMap<string, Count>;
  readonly total: Count;
  /** The disclosure threshold under which counts are withheld; undefined when nothing is (unprotected). */
  readonly threshold?: number;
}

/** The coordinates every count of the query shares (web/src/cells.ts). */
export const queryCoordinates = (q: MapQuery): Record<string, string | undefined> => ({
  providers: q.providers,
  period: q.period,
});

/** The query's filters and protection, as every request of the map sends them. */
export const filters = (q: MapQuery) => ({
  ...(q.providers === undefined ? {} : { providers: q.providers }),
  ...(q.period === undefined ? {} : { from: q.period, to: q.period }),
  ...protectionQuery(q.exact ?? false),
});

const thresholdOf = (report: TableReport): number | undefined =>
  report.disclosure.method === 'none' ? undefined : report.disclosure.threshold;

export async function loadCounts(q: MapQuery): Promise<RegionCounts> {
  const { data, error, response } = await client.GET('/v1/reports/geo/{id}', {
    params: {
      path: { id: q.indicator },
      query: { level: String(q.level) as '0', geoField: q.geoField, ...filters(q) },
    },
  });
  if (data === undefined) throw failure(response, error);
  const report = data as TableReport;
  const base = { ...queryCoordinates(q), geoLevel: String(q.level) };
  const byRegion = new Map<string, Count>();
  for (const c of report.cells) {
    const code = c.key[q.geoField];
    if (code !== undefined)
      byRegion.set(code, { value: c.value, cell: cellKey(q.indicator, { ...base, [q.geoField]: code }) });
  }
  const threshold = thresholdOf(report);
  return {
    byRegion,
    total: { value: report.total.value, cell: cellKey(q.indicator, queryCoordinates(q)) },
    ...(threshold === undefined ? {} : { threshold }),
  };
}

export interface Flow extends FlowCell {
  readonly cell: string;
}

export async function loadFlows(
  q: MapQuery,
  origin: FlowOrigin,
): Promise<{ flows: Flow[]; threshold?: number }> {
  const { data, error, response } = await client.GET('/v1/reports/simple/{id}', {
    params: {
      path: { id: q.indicator },
      query: { by: `${origin},regionOfExploitation`, geoLevel: String(q.level) as '0', ...filters(q) },
    },
  });
  if (data === undefined) throw failure(response, error);
  const report = data as TableReport;
  const base = { ...queryCoordinates(q), geoLevel: String(q.level) };
  const flows = report.cells.flatMap((c): Flow[] => {
    const from = c.key[origin];
    const to = c.key.regionOfExploitation;
    if (from === undefined || to === undefined) return [];
    const cell = cellKey(q.indicator, { ...base, [origin]: from, regionOfExploitation: to });
    return [{ origin: from, destination: to, value: c.value, cell }];
  });
  const threshold = thresholdOf(report);
  return { flows, ...(threshold === undefined ? {} : { threshold }) };
}

export interface BreakdownRow extends Count {
  readonly code: string;
}

/**
 * One region's counts by `by`, with the region's total, from the geo report filtered to the region. `regionCount` is
 * the region's count on the map, if the map shows counts: the total when the report has no margin for the region.
 */
export async function loadBreakdown(
  q: MapQuery,
  region: string,
  by: string,
  regionCount?: number | null,
): Promise<{ rows: BreakdownRow[]; total: Count }> {
  const { data, error, response } = await client.GET('/v1/reports/geo/{id}', {
    params: {
      path: { id: q.indicator },
      query: { level: String(q.level) as '0', geoField: q.geoField, by, geo: region, ...filters(q) },
    },
  });
  if (data === undefined) throw failure(response, error);
  const report = data as TableReport;
  const base = { ...queryCoordinates(q), geoLevel: String(q.level), [q.geoField]: region };
  const rows = report.cells
    .filter((c) => c.key[q.geoField] === region && c.key[by] !== undefined)
    .map((c) => ({
      code: c.key[by]!,
      value: c.value,
      cell: cellKey(q.indicator, { ...base, [by]: c.key[by] }),
    }));
  return {
    rows,
    total: {
      value: regionTotal(report.margins, q.geoField, region, regionCount),
      cell: cellKey(q.indicator, base),
    },
  };
}

/** The periods with data at a granularity (oldest first), for the time slider. */
export async function loadPeriods(
  indicator: string,
  granularity: Granularity,
  providers?: string,
): Promise<string[]> {
  const { data, error, response } = await client.GET('/v1/indicators/{id}/values', {
    params: {
      path: { id: indicator },
      query: { interval: granularity, ...(providers === undefined ? {} : { providers }) },
    },
  });
  if (data === undefined) throw failure(response, error);
  const pattern = granularity === 'year' ? /^\d{4}$/ : /^\d{4}-Q[1-4]$/;
  return [
    ...new Set((data as Schema<'Values'>).cells.map((c) => c.period ?? '').filter((p) => pattern.test(p))),
  ].sort();
}

export interface Choices {
  readonly indicators: readonly Schema<'Indicator'>[];
  readonly providers: readonly string[];
  /** Code labels per code list (`sex`, `country`, `providerType`, …). */
  readonly labels: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export async function loadChoices(): Promise<Choices> {
  const [indicators, taxonomy] = await Promise.all([
    client.GET('/v1/indicators'),
    client.GET('/v1/taxonomy'),
  ]);
  if (indicators.data === undefined) throw failure(indicators.response, indicators.error);
  if (taxonomy.data === undefined) throw failure(taxonomy.response, taxonomy.error);
  const first = indicators.data.indicators[0]?.id ?? 'victims';
  const total = await client.GET('/v1/reports/total/{id}', { params: { path: { id: first } } });
  if (total.data === undefined) throw failure(total.response, total.error);
  return {
    indicators: indicators.data.indicators,
    providers: (total.data as Schema<'TotalReport'>).providers,
    labels: taxonomy.data.codeLists,
  };
}
