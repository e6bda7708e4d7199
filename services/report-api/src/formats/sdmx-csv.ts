/**
 * SDMX-CSV (1.0, as Eurostat disseminates it; domain-research §2.4) of a table report: the header
 * `DATAFLOW,LAST UPDATE,freq,<dims…>,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS`, one observation per row.
 * Codes are Eurostat's where they exist: sex `F`/`M`/`UNK` (X and UNK together) with total `T`, age `Y_LT18`/
 * `Y_GE18`/`UNK` (from the age bands or the roll-up), forms of exploitation in Eurostat's four groups
 * (`EXP_SEX`, `EXP_LAB`, `EXP_ORG`, `EXP_OTH`, `UNK`), geography with `EL` for Greece; other dimensions keep
 * MoSy's codes; a margin over a dimension is `TOTAL`. The regrouping is counted by the store (`SDMX_RECODE`),
 * never by adding cells, so persons stay distinct. A withheld value has an empty OBS_VALUE and CONF_STATUS `C`
 * (Eurostat's confidential flag since 2025; MoSy's JSON and CSV write `c`). TIME_PERIOD is the period bucket
 * (`2024`, `2024-Q1`, `2024-03`, a week's Monday or a day), or `YYYY-unspecified` for records dated less
 * precisely than the bucket (kept, so the periods add up to the year); without an interval the frame must be one
 * year, quarter or month. Margins over periods are left out: the annual figure is its own series.
 */
import {
  AGE_CLASSES,
  AGE_GROUPS,
  EUROSTAT_SEX_TOTAL,
  EUROSTAT_TOTAL,
  EXPLOITATION,
  MosyError,
  SEX,
  eurostatAge,
  eurostatExploitation,
  eurostatGeo,
  type Interval,
} from '@mosy/core';
import type { TableReport } from '../reports/body.js';
import { PERIOD, type Recode } from '../reports/table.js';
import { toCsv } from './csv.js';

/** `source codes` grouped by their image under `fn`. */
function groupBy(codes: readonly string[], fn: (code: string) => string): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const code of codes) (groups[fn(code)] ??= []).push(code);
  return groups;
}

/** The regrouping of MoSy codes into Eurostat codes that an SDMX-CSV answer is counted with. */
export const SDMX_RECODE: Recode = {
  sex: groupBy(Object.keys(SEX), (code) => (code === 'F' || code === 'M' ? code : 'UNK')),
  ageGroup: groupBy(Object.keys(AGE_GROUPS), eurostatAge),
  ageClass: groupBy(Object.keys(AGE_CLASSES), eurostatAge),
  exploitation: groupBy(Object.keys(EXPLOITATION), eurostatExploitation),
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

/**
 * The single period of a frame without interval: a whole year, quarter or month.
 * @throws MosyError `invalid-query` otherwise.
 */
export function sdmxFramePeriod(
  from: string | undefined,
  to: string | undefined,
): { freq: string; period: string } {
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

/** The dataflow id of an indicator: `MOSY:THB_VICTIMS(1.0)`. */
export const dataflowOf = (indicator: string): string =>
  `MOSY:THB_${indicator.toUpperCase().replace(/-/g, '_')}(1.0)`;

/** Renders a table report (counted with `SDMX_RECODE`) as SDMX-CSV. */
export function sdmxCsv(report: TableReport, at: Date = new Date()): string {
  const geoDim = report.dims.find((d) => GEO_DIMS.includes(d));
  const dims = report.dims.filter((d) => d !== PERIOD && d !== geoDim);
  const frame =
    report.interval === undefined
      ? sdmxFramePeriod(report.from, report.to)
      : { freq: FREQ[report.interval as Interval], period: undefined };
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
  const defaultGeo = filterGeo?.length === 1 ? eurostatGeo(filterGeo[0]!) : EUROSTAT_TOTAL;
  const dataflow = dataflowOf(report.indicator);
  const lastUpdate = lastUpdateOf(at);
  const rows: (string | number | null)[][] = [];
  for (const entry of [...report.cells, ...report.margins, { key: {}, ...report.total }]) {
    const key = entry.key;
    const period = report.interval === undefined ? frame.period : key[PERIOD];
    if (period === undefined) continue;
    const geo =
      geoDim === undefined
        ? defaultGeo
        : key[geoDim] === undefined
          ? EUROSTAT_TOTAL
          : eurostatGeo(key[geoDim]);
    rows.push([
      dataflow,
      lastUpdate,
      frame.freq,
      ...dims.map((d) => key[d] ?? (d === 'sex' ? EUROSTAT_SEX_TOTAL : EUROSTAT_TOTAL)),
      geo,
      period,
      entry.value,
      '',
      entry.value === null ? 'C' : '',
    ]);
  }
  return toCsv(header, rows);
}
