/**
 * Total reports: one provider, a list, a provider type or all (`providers=police-a,type:NGO`), side by side and
 * combined. Each provider is a column; the combined column is its margin, counted once per person across
 * providers (distinct pseudonyms), so it is not the sum of the columns; the records table beside it counts every
 * report, so records − persons shows how much double reporting there is. Optional `by` adds up to two variables.
 * `GET /v1/reports/total/:id`.
 */
import type { Request } from 'express';
import type { StoreQuery } from '@mosy/core';
import { invalidParam, parseReport, type ReportContext } from './context.js';
import { reportTable, type PublishedTable } from './table.js';

/** Most variables beside the provider in a total report. */
export const MAX_TOTAL_BREAKDOWNS = 2;

export interface TotalReport {
  readonly report: 'total';
  readonly indicator: string;
  readonly unit: 'persons' | 'cases';
  readonly filters: StoreQuery['filters'];
  readonly from?: string;
  readonly to?: string;
  /** The providers compared (those with no current record matching the filters have no column). */
  readonly providers: readonly string[];
  /** Distinct persons: per provider (cells) and combined (margins over providerId, and the total); absent for cases. */
  readonly persons?: PublishedTable;
  /** Records: per provider and combined. */
  readonly records: PublishedTable;
}

/** Answers a total report request. */
export async function totalReport(ctx: ReportContext, req: Request): Promise<TotalReport> {
  const { indicator, query, protection } = await parseReport(ctx, req, {
    validate: (q) => {
      if (q.by.includes('providerId'))
        throw invalidParam('by', 'providerId is the report itself; leave it out');
      if (q.by.length > MAX_TOTAL_BREAKDOWNS)
        throw invalidParam('by', `at most ${MAX_TOTAL_BREAKDOWNS} variables beside the provider`);
      if (q.interval !== undefined) throw invalidParam('interval', 'use the time-frame report for periods');
    },
  });
  const base: StoreQuery = { ...query, by: ['providerId', ...query.by] };
  const records = await reportTable(ctx.store, { ...base, unit: 'records' }, protection, ctx.disclosure);
  const persons =
    indicator.unit === 'cases'
      ? undefined
      : await reportTable(ctx.store, { ...base, unit: 'persons' }, protection, ctx.disclosure);
  // Published cells are the store's non-empty ones, withheld or not: every provider with a matching record.
  const providers = [
    ...new Set([...(persons?.cells ?? []), ...records.cells].map((c) => c.key.providerId ?? '')),
  ].sort();
  return {
    report: 'total',
    indicator: indicator.id,
    unit: indicator.unit === 'cases' ? 'cases' : 'persons',
    filters: query.filters,
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
    providers,
    ...(persons === undefined ? {} : { persons }),
    records,
  };
}
