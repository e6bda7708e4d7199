/**
 * The spatial analysis for the map, through the typed client: hot and cold spots (Gi*) and Moran clusters of the
 * map's query, the rates per 100 000 they are computed on (the "rates" measure), the context of regional rates
 * (rate ratios between kinds of region) and the corridors with their trend. The API computes everything from the
 * same published values as the geo report, so the page shows nothing the tables would not.
 */
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';
import { cellKey } from '../cells.js';
import { filters, queryCoordinates, type Count, type MapQuery, type RegionCounts } from './data.js';

export type HotspotAnswer = Schema<'SpatialHotspots'>;
export type ContextAnswer = Schema<'SpatialContext'>;
export type CorridorsAnswer = Schema<'SpatialCorridors'>;

/** The hot-spot level of a map level: countries, NUTS 2 or NUTS 3 (none for NUTS 1). */
export const hotspotLevel = (level: number): '2' | '3' | 'country' | undefined =>
  level === 0 ? 'country' : level === 2 ? '2' : level === 3 ? '3' : undefined;

/** The analysis of the map's query; undefined at a level it is not computed for. */
export async function loadHotspots(
  q: MapQuery,
  measure?: 'rate' | 'count',
): Promise<HotspotAnswer | undefined> {
  const level = hotspotLevel(q.level);
  if (level === undefined) return undefined;
  const { data, error, response } = await client.GET('/v1/spatial/hotspots/{id}', {
    params: {
      path: { id: q.indicator },
      query: { level, field: q.geoField, ...filters(q), ...(measure === undefined ? {} : { measure }) },
    },
  });
  if (data === undefined) throw failure(response, error);
  return data;
}

/** Rates per 100 000 by region, as a map measure (withheld regions stay withheld). */
export async function loadRates(q: MapQuery): Promise<RegionCounts> {
  const answer = await loadHotspots(q, 'rate');
  const byRegion = new Map<string, Count>();
  const base = { ...queryCoordinates(q), geoLevel: String(q.level), measure: 'rate' };
  for (const r of answer?.regions ?? []) {
    if (r.status === 'no-population') continue;
    byRegion.set(r.id, {
      value: r.status === 'withheld' ? null : (r.rate ?? 0),
      cell: cellKey(q.indicator, { ...base, [q.geoField]: r.id }),
    });
  }
  const threshold = answer?.disclosure.method === 'none' ? undefined : answer?.disclosure.threshold;
  // The total: the rate over every region with a published count and a population (withheld ones left out).
  let count = 0;
  let inhabitants = 0;
  for (const r of answer?.regions ?? [])
    if (r.value !== null && r.population !== undefined) {
      count += r.value;
      inhabitants += r.population;
    }
  return {
    byRegion,
    total: {
      value: inhabitants > 0 ? (count * 100_000) / inhabitants : null,
      cell: cellKey(q.indicator, base),
    },
    ...(threshold === undefined ? {} : { threshold }),
  };
}

export async function loadContext(q: MapQuery): Promise<ContextAnswer> {
  const { data, error, response } = await client.GET('/v1/spatial/context/{id}', {
    params: { path: { id: q.indicator }, query: { field: q.geoField, ...filters(q) } },
  });
  if (data === undefined) throw failure(response, error);
  return data;
}

export async function loadCorridors(
  q: MapQuery,
  origin: 'citizenship' | 'countryOfRecruitment',
): Promise<CorridorsAnswer> {
  const { data, error, response } = await client.GET('/v1/spatial/corridors/{id}', {
    params: {
      path: { id: q.indicator },
      query: {
        origin,
        level: q.level === 0 ? 'country' : (String(q.level) as '1'),
        limit: '10',
        ...filters(q),
      },
    },
  });
  if (data === undefined) throw failure(response, error);
  return data;
}
