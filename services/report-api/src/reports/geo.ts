/**
 * Geo-statistical reports: an indicator by region (`level` 0–3, or `country`, the same as 0: NUTS level-0 codes are
 * the countries, and codes outside NUTS are ISO countries already) of identification or of exploitation
 * (`geoField`), for a chosen source (`providers`: a provider, a list, `type:<TYPE>`, or all), optionally by up to
 * two more variables; `flows=citizenship` gives the flows citizenship → region of exploitation instead.
 * `GET /v1/reports/geo/:id`.
 */
import type { Request } from 'express';
import { invalidParam, parseReport, scalarParam, type ReportContext } from './context.js';
import { reportTable } from './table.js';
import { SDMX_CSV_REQUEST } from '../formats/sdmx-csv.js';
import { tableReport, type TableReport } from './body.js';

const GEO_FIELDS = ['regionOfIdentification', 'regionOfExploitation'] as const;

/** Most variables beside the region. */
export const MAX_GEO_BREAKDOWNS = 2;

/** Answers a geo report request. */
export async function geoReport(ctx: ReportContext, req: Request): Promise<TableReport> {
  // `level`, `flows` and `geoField` take only the values the route's schema lists.
  const levelText = scalarParam(req, 'level') ?? '0';
  const geoLevel = levelText === 'country' ? '0' : levelText;
  const flows = scalarParam(req, 'flows');
  const field =
    flows === undefined ? (scalarParam(req, 'geoField') ?? 'regionOfIdentification') : 'regionOfExploitation';
  const extra = typeof req.query.by === 'string' ? req.query.by : undefined;
  const by = flows === undefined ? [field, ...(extra === undefined ? [] : [extra])] : ['citizenship', field];
  if (flows !== undefined && extra !== undefined) throw invalidParam('by', 'flows take no further variables');
  const { indicator, query, protection, recode } = await parseReport(ctx, req, {
    own: ['level', 'flows'],
    overrides: { by: by.join(','), geoLevel, ...(flows === undefined ? {} : { geoField: field }) },
    formats: { 'sdmx-csv': SDMX_CSV_REQUEST },
    validate: (q) => {
      if (q.by.length > MAX_GEO_BREAKDOWNS + 1)
        throw invalidParam('by', `at most ${MAX_GEO_BREAKDOWNS} variables beside the region`);
      if (q.by.filter((d) => (GEO_FIELDS as readonly string[]).includes(d)).length > 1)
        throw invalidParam('by', 'one geography at a time');
    },
  });
  const table = await reportTable(ctx.store, query, protection, ctx.disclosure, recode);
  return tableReport(flows === undefined ? 'geo' : 'flows', indicator, query, table);
}
