/**
 * SDMX-CSV (1.0, as Eurostat disseminates it; domain-research §2.4) of a table report: the header
 * `DATAFLOW,LAST UPDATE,freq,<dims…>,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS`, one observation per row.
 * Codes are Eurostat's where they exist: sex `F`/`M`/`UNK` (X and UNK together) with total `T`, age `Y_LT18`/
 * `Y_GE18`/`UNK` (from the age bands or the roll-up), forms of exploitation in Eurostat's four groups
 * (`EXP_SEX`, `EXP_LAB`, `EXP_ORG`, `EXP_OTH`, `UNK`), geography with `EL` for Greece, and — when the deployment
 * names its reporting country — citizenship in the groups `NAT`, `EU27_2020_FOR`, `NEU27_2020_FOR`, `STLS`, `UNK`
 * (without one, citizenship keeps its ISO codes); other dimensions keep MoSy's codes; a margin over a dimension is
 * `TOTAL`. The regrouping is counted by the store (`sdmxRecode`), never by adding cells, so persons stay distinct;
 * like any multi-valued field, a person with citizenships in two groups counts in both (the total counts them
 * once). A withheld value has an empty OBS_VALUE and CONF_STATUS `C` (Eurostat's confidential flag since 2025;
 * MoSy's JSON and CSV write `c`).
 *
 * TIME_PERIOD is always an SDMX period. Without an interval the frame must be one year, quarter or month, and
 * every row is that period. With `interval=year` the rows are the years (freq `A`). With a finer interval the
 * frame must be exactly one calendar year: the rows of the buckets carry their SDMX period — `2024-Q1`,
 * `2024-03`, `2024-03-14`, or the ISO week `2024-W11` of the store's Monday (a week across New Year keeps its
 * ISO label, which may name the neighbouring year, and holds only the frame's days) — and the table's margin
 * over the periods is the annual observation (freq `A`, `2024`), for every combination of the other dimensions.
 * Records dated less precisely than the bucket (contract §4: the `2024-unspecified` bucket) have no SDMX period and
 * get no row, so the annual value minus the sum of the sub-annual values is what was dated only to a coarser
 * precision (exactly so for unprotected records; persons are distinct per period, so one seen in several periods
 * counts in each and the difference is smaller). The annual value and that bucket sit in one protected table, so
 * leaving the bucket out only removes information: nothing withheld can be derived that the full table would not
 * already protect.
 */
import {
  AGE_CLASSES,
  AGE_GROUPS,
  COUNTRIES,
  EUROSTAT_SEX_TOTAL,
  EUROSTAT_TOTAL,
  EXPLOITATION,
  MosyError,
  SEX,
  STATELESS,
  UNKNOWN,
  UNSPECIFIED_PERIOD_SUFFIX,
  citizenshipGroup,
  eurostatAge,
  eurostatCitizenship,
  eurostatExploitation,
  eurostatGeo,
  type Interval,
  type StoreQuery,
} from '@mosy/core';
import type { TableReport } from '../reports/body.js';
import type { FormatRequest } from '../reports/context.js';
import { PERIOD, type Recode } from '../reports/table.js';
import { toCsv } from './csv.js';

/** `source codes` grouped by their image under `fn`. */
function groupBy(codes: readonly string[], fn: (code: string) => string): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const code of codes) (groups[fn(code)] ??= []).push(code);
  return groups;
}

/** The regrouping of MoSy codes into Eurostat codes that every SDMX-CSV answer is counted with. */
export const SDMX_RECODE: Recode = {
  sex: groupBy(Object.keys(SEX), (code) => (code === 'F' || code === 'M' ? code : 'UNK')),
  ageGroup: groupBy(Object.keys(AGE_GROUPS), eurostatAge),
  ageClass: groupBy(Object.keys(AGE_CLASSES), eurostatAge),
  exploitation: groupBy(Object.keys(EXPLOITATION), eurostatExploitation),
};

/**
 * The regrouping of an SDMX-CSV answer: `SDMX_RECODE`, plus citizenship in Eurostat's groups relative to the
 * reporting country (ISO alpha-2) when the deployment has one.
 */
export function sdmxRecode(reportingCountry: string | undefined): Recode {
  if (reportingCountry === undefined) return SDMX_RECODE;
  const citizenships = [...Object.keys(COUNTRIES), STATELESS, UNKNOWN];
  return {
    ...SDMX_RECODE,
    citizenship: groupBy(citizenships, (code) =>
      eurostatCitizenship(citizenshipGroup(code, reportingCountry)),
    ),
  };
}

/**
 * What SDMX-CSV asks of a report request: a frame with an SDMX period (`sdmxWholeFrame`), counted in Eurostat's
 * groups (`sdmxRecode`). Reports that offer SDMX-CSV pass it to `parseReport` as `formats['sdmx-csv']`.
 */
export const SDMX_CSV_REQUEST: FormatRequest = {
  check: (query) => {
    sdmxWholeFrame(query);
  },
  recode: sdmxRecode,
};

/** SDMX column names of MoSy dimensions (Eurostat's where it has one); others are lower-cased. */
const COLUMNS: Readonly<Record<string, string>> = {
  sex: 'sex',
  ageGroup: 'age',
  ageClass: 'age',
  citizenship: 'citizen',
  exploitation: 'exploit',
};

const GEO_DIMS: readonly string[] = ['regionOfIdentification', 'regionOfExploitation'];
const FREQ: Readonly<Record<Interval, string>> = { year: 'A', quarter: 'Q', month: 'M', week: 'W', day: 'D' };

/** `22/05/26 11:00:00`, Eurostat's LAST UPDATE format (UTC). */
export function lastUpdateOf(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getUTCDate())}/${two(at.getUTCMonth() + 1)}/${two(at.getUTCFullYear() % 100)} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
}

/** One SDMX observation period: its frequency and TIME_PERIOD. */
export interface SdmxPeriod {
  readonly freq: string;
  readonly period: string;
}

/**
 * The single period of a frame without interval: a whole year, quarter or month.
 * @throws MosyError `invalid-query` otherwise.
 */
export function sdmxFramePeriod(from: string | undefined, to: string | undefined): SdmxPeriod {
  const fail = () =>
    new MosyError(
      'invalid-query',
      'SDMX-CSV needs a period: give an interval, or from/to spanning one year, quarter or month.',
    );
  if (from === undefined || to === undefined) throw fail();
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (fy !== ty || fd !== 1 || td !== lastDay) throw fail();
  if (fm === 1 && tm === 12) return { freq: 'A', period: String(fy) };
  if (fm === tm) return { freq: 'M', period: `${fy}-${String(fm).padStart(2, '0')}` };
  if (fm % 3 === 1 && tm === fm + 2) return { freq: 'Q', period: `${fy}-Q${(fm + 2) / 3}` };
  throw fail();
}

/**
 * The period of the entries without a time bucket — the whole frame without an interval, the annual
 * observation with an interval finer than a year — or undefined with `interval=year`, whose margin over the
 * years is no SDMX observation. Checked when the request is parsed, so a refused request is never audited.
 * @throws MosyError `invalid-query` when the frame has no such period.
 */
export function sdmxWholeFrame(query: Pick<StoreQuery, 'interval' | 'from' | 'to'>): SdmxPeriod | undefined {
  const { interval, from, to } = query;
  if (interval === undefined) return sdmxFramePeriod(from, to);
  if (interval === 'year') return undefined;
  const year = (from ?? '').slice(0, 4);
  if (from !== `${year}-01-01` || to !== `${year}-12-31`)
    throw new MosyError(
      'invalid-query',
      `SDMX-CSV by ${interval} needs from/to spanning exactly one calendar year (e.g. from=2024&to=2024): ` +
        `the annual observation must come from the same protected table as the ${interval}s, so ask one year ` +
        'at a time, or use interval=year for several years.',
    );
  return { freq: 'A', period: year };
}

const DAY_MS = 86_400_000;

/**
 * The SDMX TIME_PERIOD of a store bucket label: quarters, months and days as they are, a week (its Monday's date)
 * as its ISO week `YYYY-Www`, whose year is that of the week's Thursday.
 */
export function sdmxPeriod(label: string, interval: Interval): string {
  if (interval !== 'week') return label;
  const thursday = new Date(Date.parse(`${label}T00:00:00Z`) + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The dataflow id of an indicator: `MOSY:THB_VICTIMS(1.0)`. */
export const dataflowOf = (indicator: string): string =>
  `MOSY:THB_${indicator.toUpperCase().replace(/-/g, '_')}(1.0)`;

/**
 * Renders a table report (counted with `sdmxRecode`) as SDMX-CSV. A national figure (no region filter, or the
 * margin over regions) has the reporting country as its `geo` when the deployment names one, else `TOTAL`.
 */
export function sdmxCsv(report: TableReport, at: Date = new Date(), reportingCountry?: string): string {
  const geoDim = report.dims.find((d) => GEO_DIMS.includes(d));
  const dims = report.dims.filter((d) => d !== PERIOD && d !== geoDim);
  const interval = report.interval as Interval | undefined;
  const wholeFrame = sdmxWholeFrame({ interval, from: report.from, to: report.to });
  const timeOf = (bucket: string | undefined): SdmxPeriod | undefined => {
    if (bucket === undefined) return wholeFrame;
    if (interval === undefined || bucket.endsWith(UNSPECIFIED_PERIOD_SUFFIX)) return undefined;
    return { freq: FREQ[interval], period: sdmxPeriod(bucket, interval) };
  };
  const header = [
    'DATAFLOW',
    'LAST UPDATE',
    'freq',
    ...dims.map((d) => COLUMNS[d] ?? d.toLowerCase()),
    'geo',
    'TIME_PERIOD',
    'OBS_VALUE',
    'OBS_FLAG',
    'CONF_STATUS',
  ];
  const filterGeo = Object.entries(report.filters).find(([d]) => GEO_DIMS.includes(d))?.[1];
  const nationalGeo = reportingCountry === undefined ? EUROSTAT_TOTAL : eurostatGeo(reportingCountry);
  const defaultGeo = filterGeo?.length === 1 ? eurostatGeo(filterGeo[0]!) : nationalGeo;
  const dataflow = dataflowOf(report.indicator);
  const lastUpdate = lastUpdateOf(at);
  const rows: (string | number | null)[][] = [];
  for (const entry of [...report.cells, ...report.margins, { key: {}, ...report.total }]) {
    const key = entry.key;
    const time = timeOf(key[PERIOD]);
    if (time === undefined) continue;
    const geo =
      geoDim === undefined ? defaultGeo : key[geoDim] === undefined ? nationalGeo : eurostatGeo(key[geoDim]);
    rows.push([
      dataflow,
      lastUpdate,
      time.freq,
      ...dims.map((d) => key[d] ?? (d === 'sex' ? EUROSTAT_SEX_TOTAL : EUROSTAT_TOTAL)),
      geo,
      time.period,
      entry.value,
      '',
      entry.value === null ? 'C' : '',
    ]);
  }
  return toCsv(header, rows);
}
