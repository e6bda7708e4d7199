/**
 * Content negotiation of report answers by the `format` parameter: `json` (the default), `csv`, and `sdmx-csv`
 * for table reports. Which formats a route offers is its schema's to say (`api/reports.ts`), so an unknown or
 * unoffered format is refused with `invalid-query` before any work.
 */
import type { Request, Response } from 'express';
import type { TableReport } from '../reports/body.js';
import type { TotalReport } from '../reports/total.js';
import type { ValuesReport } from '../reports/values.js';
import { tableReportCsv, totalReportCsv, valuesCsv } from './csv.js';
import { sdmxCsv } from './sdmx-csv.js';

export type Format = 'json' | 'csv' | 'sdmx-csv';

/** The requested format, one the route's schema allows (`json` when absent). */
const formatOf = (req: Request): Format => (req.query.format ?? 'json') as Format;

function sendCsv(res: Response, text: string, name: string, type = 'text/csv; charset=utf-8'): void {
  res.status(200).type(type).set('Content-Disposition', `attachment; filename="${name}.csv"`).send(text);
}

/** Sends a table report (simple, time-frame, geo) in the requested format; SDMX-CSV's national `geo` is the reporting country. */
export function sendTableReport(
  req: Request,
  res: Response,
  report: TableReport,
  reportingCountry?: string,
): void {
  const format = formatOf(req);
  if (format === 'json') res.json(report);
  else if (format === 'csv') sendCsv(res, tableReportCsv(report), `${report.report}-${report.indicator}`);
  else sendCsv(res, sdmxCsv(report, new Date(), reportingCountry), `${report.report}-${report.indicator}`);
}

/** Sends a total report in the requested format (no SDMX-CSV: providers are not an SDMX dimension). */
export function sendTotalReport(req: Request, res: Response, report: TotalReport): void {
  if (formatOf(req) === 'json') res.json(report);
  else sendCsv(res, totalReportCsv(report), `total-${report.indicator}`);
}

/** Sends indicator values in the requested format. */
export function sendValues(req: Request, res: Response, report: ValuesReport): void {
  if (formatOf(req) === 'json') {
    res.json(report);
    return;
  }
  const by = typeof req.query.by === 'string' ? req.query.by.split(',').map((d) => d.trim()) : [];
  sendCsv(
    res,
    valuesCsv(
      report,
      by.filter((d) => d !== ''),
    ),
    `values-${report.indicator}`,
  );
}
