/**
 * The artefacts of a quarterly report: SDMX-CSV (1.0, as Eurostat disseminates it), CSV and JSON. SDMX-CSV has
 * the header `DATAFLOW,LAST UPDATE,freq,unit,<columns…>,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS`, the
 * columns being every breakdown column of the report in order of first use (`sex`, `age`, `citizen`, `exploit`,
 * …), one row per distinct observation: DATAFLOW `MOSY:THB_<INDICATOR>(1.0)`; freq `Q` for a quarter and `A` for
 * the year to date (TIME_PERIOD the year after the fourth quarter, else the time range `2026-01-01/P6M`); unit
 * `PER` (persons) or `NR` (cases); a column the observation does not break down by is `TOTAL` (`T` for sex);
 * `geo` is the region of a regional breakdown, else the reporting country (Eurostat's code: `EL` for Greece).
 * A withheld value has an empty OBS_VALUE and CONF_STATUS `C`. Records dated only to the year have no SDMX
 * period, so their bucket is in the CSV and JSON only (its margin, the year, is in all three).
 */
import { EUROSTAT_SEX_TOTAL, EUROSTAT_TOTAL, eurostatGeo } from '../taxonomy/eurostat.js';
import { metadataSheetCsv, metadataSheetJson } from './metadata-sheet.js';
import { toCsv } from './csv.js';
import type { QuarterlyReport } from './report.js';
import { QUARTERLY_PERIOD, isYearOnlyBucket } from './report.js';

/** Columns holding geography codes, written in Eurostat's form. */
const GEO_COLUMNS = new Set(['geo', 'exploit_geo', 'recruit_geo']);

/** The dataflow of an indicator: `MOSY:THB_VICTIMS(1.0)`. */
export const sdmxDataflow = (indicator: string): string =>
  `MOSY:THB_${indicator.toUpperCase().replace(/-/g, '_')}(1.0)`;

/** `22/05/26 11:00:00`, Eurostat's LAST UPDATE format (UTC). */
export function sdmxLastUpdate(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getUTCDate())}/${two(at.getUTCMonth() + 1)}/${two(at.getUTCFullYear() % 100)} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
}

/** The breakdown columns of a report, in order of first use (`geo` excluded: it is always present). */
export function reportColumns(report: QuarterlyReport): string[] {
  const columns: string[] = [];
  for (const table of report.tables)
    for (const dim of table.dims)
      if (dim !== QUARTERLY_PERIOD && dim !== 'geo' && !columns.includes(dim)) columns.push(dim);
  return columns;
}

const totalOf = (column: string): string => (column === 'sex' ? EUROSTAT_SEX_TOTAL : EUROSTAT_TOTAL);
const codeOf = (column: string, code: string): string => (GEO_COLUMNS.has(column) ? eurostatGeo(code) : code);

/** The SDMX-CSV of the report. */
export function quarterlySdmxCsv(report: QuarterlyReport): string {
  const columns = reportColumns(report);
  const units = new Map(
    report.metadata.definitions.map((d) => [d.indicator, d.unit === 'persons' ? 'PER' : 'NR']),
  );
  const lastUpdate = sdmxLastUpdate(new Date(report.builtAt));
  const nationalGeo = eurostatGeo(report.reportingCountry);
  const rows = report.observations
    .filter((o) => !isYearOnlyBucket(o.key[QUARTERLY_PERIOD]!))
    .map(({ key, value }) => {
      const period = key[QUARTERLY_PERIOD]!;
      return [
        sdmxDataflow(key.indicator!),
        lastUpdate,
        /-Q[1-4]$/.test(period) ? 'Q' : 'A',
        units.get(key.indicator!)!,
        ...columns.map((c) => (key[c] === undefined ? totalOf(c) : codeOf(c, key[c]))),
        key.geo === undefined ? nationalGeo : eurostatGeo(key.geo),
        period,
        value,
        '',
        value === null ? 'C' : '',
      ];
    });
  const header = ['DATAFLOW', 'LAST UPDATE', 'freq', 'unit', ...columns, 'geo', 'TIME_PERIOD'];
  return toCsv([...header, 'OBS_VALUE', 'OBS_FLAG', 'CONF_STATUS'], rows);
}

/** The CSV of the report: `indicator,<columns…>,geo,period,value,flag`, `TOTAL` where a column is summed over. */
export function quarterlyCsv(report: QuarterlyReport): string {
  const columns = [...reportColumns(report), 'geo'];
  const rows = report.observations.map(({ key, value, flag }) => [
    key.indicator!,
    ...columns.map((c) => key[c] ?? EUROSTAT_TOTAL),
    key[QUARTERLY_PERIOD]!,
    value,
    flag ?? '',
  ]);
  return toCsv(['indicator', ...columns, 'period', 'value', 'flag'], rows);
}

/** The JSON of the report: its identification, observations and tables (the metadata sheet is its own artefact). */
export const quarterlyJson = (report: QuarterlyReport): string =>
  `${JSON.stringify(
    {
      reportingCountry: report.reportingCountry,
      period: report.period,
      yearToDate: report.yearToDate,
      revision: report.revision,
      builtAt: report.builtAt,
      observations: report.observations,
      tables: report.tables,
    },
    null,
    2,
  )}\n`;

/** The artefact formats of a report version. */
export const QUARTERLY_FORMATS = ['sdmx-csv', 'csv', 'json', 'metadata-csv', 'metadata-json'] as const;
export type QuarterlyFormat = (typeof QUARTERLY_FORMATS)[number];

/** Every artefact of a report, by format, with its media type. */
export function quarterlyArtefacts(
  report: QuarterlyReport,
): Record<QuarterlyFormat, { readonly mediaType: string; readonly content: string }> {
  const csv = 'text/csv; charset=utf-8';
  const json = 'application/json';
  return {
    'sdmx-csv': { mediaType: csv, content: quarterlySdmxCsv(report) },
    csv: { mediaType: csv, content: quarterlyCsv(report) },
    json: { mediaType: json, content: quarterlyJson(report) },
    'metadata-csv': { mediaType: csv, content: metadataSheetCsv(report.metadata) },
    'metadata-json': { mediaType: json, content: metadataSheetJson(report.metadata) },
  };
}
