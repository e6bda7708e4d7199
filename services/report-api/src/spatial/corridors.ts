/**
 * `GET /v1/spatial/corridors/:id`: origin → region of exploitation pairs for the map's flow view, largest first,
 * each with its counts per period and a direction (`trendDirection`). Counted as one published table of origin ×
 * destination × period (the geo report's flows with an interval), so analysts get the protected values of that
 * table: a pair's total is its published margin, its series the published cells, and a withheld period gives no
 * direction rather than one guessed around it. Records dated less precisely than the interval (`-unspecified`
 * buckets) count in the pair's total but in no period.
 */
import type { Request } from 'express';
import { UNSPECIFIED_PERIOD_SUFFIX, trendDirection } from '@mosy/core';
import { parseReport, scalarParam } from '../reports/context.js';
import { PERIOD, reportTable } from '../reports/table.js';
import { intParam, type SpatialContext } from './deps.js';

const DESTINATION = 'regionOfExploitation';

export async function corridors(ctx: SpatialContext, req: Request) {
  const origin = (scalarParam(req, 'origin') ?? 'citizenship') as 'citizenship' | 'countryOfRecruitment';
  const level = scalarParam(req, 'level') ?? 'country';
  const interval = scalarParam(req, 'interval') ?? 'year';
  const limit = intParam(req, 'limit', 1, 200, 20);
  const { indicator, query, protection } = await parseReport(ctx.report, req, {
    own: ['origin', 'level', 'limit'],
    overrides: { by: `${origin},${DESTINATION}`, geoLevel: level === 'country' ? '0' : level, interval },
  });
  const table = await reportTable(ctx.report.store, query, protection, ctx.report.disclosure);
  const periods = [
    ...new Set(
      table.cells.map((c) => c.key[PERIOD] ?? '').filter((p) => !p.endsWith(UNSPECIFIED_PERIOD_SUFFIX)),
    ),
  ].sort();
  const pairKey = (key: Readonly<Record<string, string>>) => `${key[origin]}\u0000${key[DESTINATION]}`;
  const series = new Map<string, Map<string, { value: number | null; flag?: 'c' }>>();
  for (const cell of table.cells) {
    const byPeriod = series.get(pairKey(cell.key)) ?? new Map<string, { value: number | null; flag?: 'c' }>();
    byPeriod.set(cell.key[PERIOD] ?? '', {
      value: cell.value,
      ...(cell.flag === undefined ? {} : { flag: cell.flag }),
    });
    series.set(pairKey(cell.key), byPeriod);
  }
  const pairs = table.margins.filter(
    (m) => Object.keys(m.key).length === 2 && m.key[origin] !== undefined && m.key[DESTINATION] !== undefined,
  );
  const ranked = pairs
    .map((m) => {
      const byPeriod = series.get(pairKey(m.key));
      const points = periods.map((period) => ({ period, ...(byPeriod?.get(period) ?? { value: 0 }) }));
      const values = points.map((p) => p.value);
      const direction = values.some((v) => v === null)
        ? ('withheld' as const)
        : trendDirection(values.map((v) => v ?? 0));
      return {
        origin: m.key[origin] ?? '',
        destination: m.key[DESTINATION] ?? '',
        value: m.value,
        ...(m.flag === undefined ? {} : { flag: m.flag }),
        series: points,
        direction,
      };
    })
    .filter((c) => c.value !== 0)
    .sort(
      (a, b) =>
        (b.value ?? -1) - (a.value ?? -1) ||
        (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.destination < b.destination ? -1 : 1),
    );
  const notes: string[] = [];
  if (ranked.length > limit) notes.push(`The ${limit} largest of ${ranked.length} corridors.`);
  if (ranked.some((c) => c.direction === 'withheld'))
    notes.push('A corridor with a withheld period (flag c) has no direction.');
  return {
    indicator: indicator.id,
    origin,
    level,
    periods,
    disclosure: table.disclosure,
    corridors: ranked.slice(0, limit),
    notes,
  };
}
