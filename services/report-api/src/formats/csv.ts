/**
 * CSV renderings of reports (RFC 4180, header row, `\r\n` line ends): one row per cell, margin and total, the
 * dimensions a margin sums over written `TOTAL`, then `value` (empty when withheld) and `flag` (`c` when withheld).
 * Every field goes through `csvField` (`@mosy/core`), which neutralises a text that a spreadsheet would read as a
 * formula (OWASP's CSV-injection advice), though the codes written come from the taxonomy and the registry.
 */
import { EUROSTAT_TOTAL, csvField } from '@mosy/core';
import type { TableReport } from '../reports/body.js';
import type { TotalReport } from '../reports/total.js';
import type { ValuesReport } from '../reports/values.js';
import type { PublishedTable } from '../reports/table.js';

/** Rows to CSV text. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The rows of a published table: cells, then margins, then the total. */
function tableRows(table: PublishedTable, prefix: readonly string[] = []): (string | number | null)[][] {
  const row = (key: Readonly<Record<string, string>>, value: number | null, flag?: string) => [
    ...prefix,
    ...table.dims.map((dim) => key[dim] ?? EUROSTAT_TOTAL),
    value,
    flag ?? '',
  ];
  return [
    ...table.cells.map((e) => row(e.key, e.value, e.flag)),
    ...table.margins.map((e) => row(e.key, e.value, e.flag)),
    row({}, table.total.value, table.total.flag),
  ];
}

/** A table report as CSV: `<dims…>,value,flag`. */
export const tableReportCsv = (report: TableReport): string =>
  toCsv([...report.dims, 'value', 'flag'], tableRows(report));

/** A total report as CSV: `measure,providerId,<dims…>,value,flag` with measure `persons` or `records`. */
export function totalReportCsv(report: TotalReport): string {
  const dims = report.records.dims;
  const rows = [
    ...(report.persons === undefined ? [] : tableRows(report.persons, ['persons'])),
    ...tableRows(report.records, ['records']),
  ];
  return toCsv(['measure', ...dims, 'value', 'flag'], rows);
}

/** Indicator values as CSV: `<dims…>,[period,]value,flag`, the total last with `TOTAL` codes. */
export function valuesCsv(report: ValuesReport, dims: readonly string[]): string {
  const hasPeriod = report.cells.some((c) => c.period !== undefined);
  const columns = [...dims, ...(hasPeriod ? ['period'] : [])];
  const rows = report.cells.map((cell) => [
    ...columns.map((c) => (cell[c] === undefined ? '' : String(cell[c]))),
    cell.value ?? null,
    cell.flag === undefined ? '' : String(cell.flag),
  ]);
  rows.push([...columns.map(() => EUROSTAT_TOTAL), report.total, report.totalFlag ?? '']);
  return toCsv([...columns, 'value', 'flag'], rows);
}
