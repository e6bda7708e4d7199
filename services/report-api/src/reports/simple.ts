/**
 * Simple reports: any indicator by up to three chosen variables (`by=sex,ageGroup,exploitation`), with every
 * row, column and layer margin and the grand total, under the usual filters, period, providers and geography.
 * `GET /v1/reports/simple/:id`.
 */
import type { Request } from 'express';
import { parseReport, invalidParam, type ReportContext } from './context.js';
import { reportTable } from './table.js';
import { tableReport, type TableReport } from './body.js';

/** Most variables of a simple report. */
export const MAX_SIMPLE_BREAKDOWNS = 3;

/** Answers a simple report request. */
export async function simpleReport(ctx: ReportContext, req: Request): Promise<TableReport> {
  const { indicator, query, protection, recode } = await parseReport(ctx, req, {
    validate: (q) => {
      if (q.by.length > MAX_SIMPLE_BREAKDOWNS)
        throw invalidParam('by', `at most ${MAX_SIMPLE_BREAKDOWNS} variables`);
    },
  });
  const table = await reportTable(ctx.store, query, protection, ctx.disclosure, recode);
  return tableReport('simple', indicator, query, table);
}
