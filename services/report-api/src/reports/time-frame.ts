/**
 * Time-frame reports: an indicator from `from` to `to` in day, week, month, quarter or year buckets
 * (`interval`), by up to three variables, with the margins of a table whose last dimension is the period; records
 * dated less precisely than the bucket fall in the explicit `YYYY-unspecified` bucket. `compare=previous` adds the
 * same report for the period of the same length just before (whole months when the frame is whole months, so a
 * quarter compares with the quarter before). `GET /v1/reports/time-frame/:id`.
 */
import type { Request } from 'express';
import type { StoreQuery } from '@mosy/core';
import { invalidParam, parseReport, scalarParam, type ReportContext } from './context.js';
import { reportTable, type PublishedTable } from './table.js';
import { SDMX_CSV_REQUEST } from '../formats/sdmx-csv.js';
import { tableReport, type TableReport } from './body.js';

/** Most variables beside the period. */
export const MAX_TIME_FRAME_BREAKDOWNS = 3;

export interface TimeFrameReport extends TableReport {
  /** With `compare=previous`: the same table for the previous period. */
  readonly previous?: PublishedTable & { readonly from: string; readonly to: string };
}

/** Answers a time-frame report request. */
export async function timeFrameReport(ctx: ReportContext, req: Request): Promise<TimeFrameReport> {
  // `previous` is the only comparison the route's schema allows.
  const compare = scalarParam(req, 'compare');
  const { indicator, query, protection, recode } = await parseReport(ctx, req, {
    own: ['compare'],
    formats: { 'sdmx-csv': SDMX_CSV_REQUEST },
    validate: (q) => {
      if (q.interval === undefined) throw invalidParam('interval', 'give day, week, month, quarter or year');
      if (q.by.length > MAX_TIME_FRAME_BREAKDOWNS)
        throw invalidParam('by', `at most ${MAX_TIME_FRAME_BREAKDOWNS} variables beside the period`);
      if (compare !== undefined && (q.from === undefined || q.to === undefined))
        throw invalidParam('compare', 'needs from and to');
    },
  });
  const current = await reportTable(ctx.store, query, protection, ctx.disclosure, recode);
  const body = tableReport('time-frame', indicator, query, current);
  if (compare === undefined || query.from === undefined || query.to === undefined) return body;
  const [from, to] = previousPeriod(query.from, query.to);
  const previousQuery: StoreQuery = { ...query, from, to };
  const previous = await reportTable(ctx.store, previousQuery, protection, ctx.disclosure, recode);
  return { ...body, previous: { from, to, ...previous } };
}

const day = (text: string): Date => new Date(`${text}T00:00:00Z`);
const iso = (date: Date): string => date.toISOString().slice(0, 10);
const lastOfMonth = (year: number, month: number): Date => new Date(Date.UTC(year, month + 1, 0));

/**
 * The period of the same length just before `from`..`to` (inclusive days): whole months shift by their number of
 * months, anything else by its number of days.
 */
export function previousPeriod(from: string, to: string): [string, string] {
  const start = day(from);
  const end = day(to);
  const wholeMonths =
    start.getUTCDate() === 1 &&
    end.getUTCDate() === lastOfMonth(end.getUTCFullYear(), end.getUTCMonth()).getUTCDate();
  if (wholeMonths) {
    const months =
      (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth() + 1;
    const previousStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - months, 1));
    const previousEnd = lastOfMonth(start.getUTCFullYear(), start.getUTCMonth() - 1);
    return [iso(previousStart), iso(previousEnd)];
  }
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000) + 1;
  return [iso(new Date(start.getTime() - days * 86_400_000)), iso(new Date(start.getTime() - 86_400_000))];
}
