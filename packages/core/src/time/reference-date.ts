/**
 * Reference dates and calendar periods (contract §3, §4). A record's `referenceDate` names a day (`2026-03-14`), a
 * month (`2026-03`) or a year (`2026`) when the provider knows no more; it is stored with its precision and the
 * first and last day of the period it names, so that a time filter can keep a record only when its whole period
 * lies inside the filter and never guess a day the provider did not give. Query bounds use the same grammar plus
 * quarters (`2026-Q1`). All dates are proleptic Gregorian calendar dates without time zone, compared as strings.
 */
import { MosyError } from '../errors.js';
import type { DatePrecision } from '../records.js';

/** A parsed reference date: its precision and the inclusive first and last day (`YYYY-MM-DD`) of its period. */
export interface ReferenceDate {
  readonly precision: DatePrecision;
  readonly periodStart: string;
  readonly periodEnd: string;
}

/** Earliest and latest year MoSy accepts in a reference date. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The number of days in a month (1–12) of a year. */
export const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

const isoDay = (year: number, month: number, day: number): string =>
  `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/**
 * The last day a submitted date may name when a submission arrives at `nowMs`: today in UTC plus one day, so that a
 * provider a few time zones east of UTC, already in tomorrow, is not refused. Anything later lies in the future.
 */
export function latestAcceptedDay(nowMs: number): string {
  return new Date(nowMs + 86_400_000).toISOString().slice(0, 10);
}

/** Why `s` is not a valid reference date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`, years 1900–2100), or undefined. */
export function referenceDateProblem(s: unknown): string | undefined {
  if (typeof s !== 'string') return `must be a string (YYYY-MM-DD, YYYY-MM or YYYY), got ${typeOf(s)}`;
  const shown = s.length > 20 ? `${s.slice(0, 20)}…` : s;
  const match = DAY.exec(s) ?? MONTH.exec(s) ?? YEAR.exec(s);
  if (match === null) return `${shown} is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY`;
  const [, y, m, d] = match;
  const year = Number(y);
  if (year < MIN_YEAR || year > MAX_YEAR)
    return `${shown}: the year must lie between ${MIN_YEAR} and ${MAX_YEAR}`;
  if (m === undefined) return undefined;
  const month = Number(m);
  if (month < 1 || month > 12) return `${shown}: ${m} is not a month (01–12)`;
  if (d === undefined) return undefined;
  const day = Number(d);
  if (day < 1 || day > daysInMonth(year, month)) return `${shown} is not a calendar date`;
  return undefined;
}

/**
 * Parses a reference date into its precision and period.
 * @throws MosyError `invalid-field` (field `referenceDate`) with the reason, e.g. "2026-02-30 is not a calendar date".
 */
export function parseReferenceDate(s: string): ReferenceDate {
  const problem = referenceDateProblem(s);
  if (problem !== undefined) {
    const message = `referenceDate: ${problem}`;
    throw new MosyError('invalid-field', message, {
      issues: [{ field: 'referenceDate', code: 'invalid-field', message }],
    });
  }
  const year = Number(s.slice(0, 4));
  if (s.length === 4) return { precision: 'year', periodStart: `${s}-01-01`, periodEnd: `${s}-12-31` };
  const month = Number(s.slice(5, 7));
  if (s.length === 7)
    return {
      precision: 'month',
      periodStart: `${s}-01`,
      periodEnd: isoDay(year, month, daysInMonth(year, month)),
    };
  return { precision: 'day', periodStart: s, periodEnd: s };
}

/**
 * The first and last day of a period named by a query bound: `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn` or `YYYY`
 * (years 1900–2100). Undefined when `s` names no such period.
 */
export function periodBounds(s: string): { readonly start: string; readonly end: string } | undefined {
  const quarter = QUARTER.exec(s);
  if (quarter !== null) {
    const year = Number(quarter[1]);
    if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
    const lastMonth = Number(quarter[2]) * 3;
    return {
      start: isoDay(year, lastMonth - 2, 1),
      end: isoDay(year, lastMonth, daysInMonth(year, lastMonth)),
    };
  }
  if (referenceDateProblem(s) !== undefined) return undefined;
  const { periodStart, periodEnd } = parseReferenceDate(s);
  return { start: periodStart, end: periodEnd };
}

/**
 * True when the record's whole reference period lies inside [`from`, `to`] (inclusive `YYYY-MM-DD`; an absent bound
 * is open). A `2017` record is inside 2017-01-01..2017-12-31 but not inside 2017-01-01..2017-03-31.
 */
export const withinPeriod = (
  record: { readonly periodStart: string; readonly periodEnd: string },
  from?: string,
  to?: string,
): boolean =>
  (from === undefined || record.periodStart >= from) && (to === undefined || record.periodEnd <= to);
