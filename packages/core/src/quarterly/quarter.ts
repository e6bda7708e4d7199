/**
 * Quarters of the quarterly report: the SDMX period (`2026-Q1`), its dates, the year to date it closes, and which
 * quarter is due for its draft at a given time (the latest quarter closed at least a grace period ago). Pure: the
 * caller passes the time, so a scheduled run decides from its own clock and a test can advance it.
 */
import { MosyError } from '../errors.js';

export interface Quarter {
  readonly year: number;
  /** 1 to 4. */
  readonly quarter: number;
  /** The SDMX period, `2026-Q1`. */
  readonly period: string;
  /** First and last day, `YYYY-MM-DD`. */
  readonly from: string;
  readonly to: string;
  /** First day of the year to date (1 January). */
  readonly yearFrom: string;
}

const DAY_MS = 86_400_000;
const PERIOD = /^([0-9]{4})-Q([1-4])$/;

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The quarter `quarter` (1–4) of `year`. */
export function quarterOf(year: number, quarter: number): Quarter {
  const start = Date.UTC(year, (quarter - 1) * 3, 1);
  const end = Date.UTC(year, quarter * 3, 1) - DAY_MS;
  return {
    year,
    quarter,
    period: `${year}-Q${quarter}`,
    from: iso(start),
    to: iso(end),
    yearFrom: `${year}-01-01`,
  };
}

/** @throws MosyError `invalid-request` when `period` is not `YYYY-Qn`. */
export function parseQuarter(period: string): Quarter {
  const match = PERIOD.exec(period);
  if (match === null)
    throw new MosyError('invalid-request', `A quarter is written YYYY-Qn (e.g. 2026-Q1), not "${period}".`);
  return quarterOf(Number(match[1]), Number(match[2]));
}

/** The quarter before. */
export const previousQuarter = ({ year, quarter }: Quarter): Quarter =>
  quarter === 1 ? quarterOf(year - 1, 4) : quarterOf(year, quarter - 1);

/** The first instant after the quarter (epoch ms): when it closes. */
export const quarterClosesAt = (q: Quarter): number => Date.parse(`${q.to}T00:00:00Z`) + DAY_MS;

/**
 * The quarter whose draft is due at `nowMs`: the latest one closed at least `graceDays` days before. Late
 * records of a quarter keep arriving for weeks; the grace period waits for most of them.
 */
export function dueQuarter(nowMs: number, graceDays: number): Quarter {
  if (!Number.isFinite(nowMs)) throw new MosyError('invalid-request', `Not a time: ${nowMs}.`);
  if (!Number.isSafeInteger(graceDays) || graceDays < 0)
    throw new MosyError('invalid-request', `The grace period must be whole days ≥ 0, not ${graceDays}.`);
  const day = new Date(nowMs - graceDays * DAY_MS);
  const current = quarterOf(day.getUTCFullYear(), Math.floor(day.getUTCMonth() / 3) + 1);
  return previousQuarter(current);
}

/** The year to date as an ISO interval, `2026-01-01/2026-06-30`. */
export const yearToDate = (q: Quarter): string => `${q.yearFrom}/${q.to}`;
