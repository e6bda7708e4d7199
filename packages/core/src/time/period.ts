/**
 * Period labels for time breakdowns (query/model.ts): the bucket a record falls in for an interval. Day
 * `2026-03-14`, week = the Monday of its ISO week `2026-03-09`, month `2026-03`, quarter `2026-Q1`, year `2026`.
 * A record dated less precisely than the interval (a `2017` record in a monthly report, a `2017-03` record in a
 * weekly one) goes to the explicit bucket `2017-unspecified` of its year: it is never spread over the sub-periods
 * or guessed, so quarters still add up to the year.
 */
import type { DatePrecision } from '../records.js';
import { UNSPECIFIED_PERIOD_SUFFIX, type Interval } from '../query/model.js';

const PRECISION_RANK: Readonly<Record<DatePrecision, number>> = { year: 0, month: 1, day: 2 };

/** The least precise reference date that can be placed in a bucket of each interval. */
const NEEDS: Readonly<Record<Interval, DatePrecision>> = {
  year: 'year',
  quarter: 'month',
  month: 'month',
  week: 'day',
  day: 'day',
};

/**
 * The label of the `interval` bucket that a reference date of `precision` falls in.
 * @param referenceDate `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (already validated), matching `precision`.
 */
export function periodOf(referenceDate: string, precision: DatePrecision, interval: Interval): string {
  const year = referenceDate.slice(0, 4);
  if (PRECISION_RANK[precision] < PRECISION_RANK[NEEDS[interval]]) return year + UNSPECIFIED_PERIOD_SUFFIX;
  switch (interval) {
    case 'year':
      return year;
    case 'quarter':
      return `${year}-Q${Math.ceil(Number(referenceDate.slice(5, 7)) / 3)}`;
    case 'month':
      return referenceDate.slice(0, 7);
    case 'week':
      return isoWeekMonday(referenceDate);
    case 'day':
      return referenceDate;
  }
}

/** The Monday (`YYYY-MM-DD`) of the ISO week of a day; it may lie in the previous year (2026-01-01 → 2025-12-29). */
export function isoWeekMonday(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  // getUTCDay counts from Sunday = 0; ISO weeks start on Monday.
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - sinceMonday);
  return date.toISOString().slice(0, 10);
}
