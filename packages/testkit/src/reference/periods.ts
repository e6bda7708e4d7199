/**
 * Reference-date periods for the reference computation, written from the contract text (§4) and nothing else: the
 * first and last day a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date names, and the bucket of a date for an interval — the
 * day, the Monday of its ISO week, the month, `YYYY-Qn`, the year — or `YYYY-unspecified` when the date is less
 * precise than the interval needs. Plain string and UTC-date arithmetic, deliberately not shared with MoSy's code.
 */
import type { Interval } from '@mosy/core';

export type Precision = 'day' | 'month' | 'year';

const pad = (n: number): string => String(n).padStart(2, '0');

/** The precision of a reference date, from its length. */
export function precisionOf(referenceDate: string): Precision {
  if (/^\d{4}$/.test(referenceDate)) return 'year';
  if (/^\d{4}-\d{2}$/.test(referenceDate)) return 'month';
  if (/^\d{4}-\d{2}-\d{2}$/.test(referenceDate)) return 'day';
  throw new Error(`not a reference date: ${referenceDate}`);
}

/** First and last day (inclusive, `YYYY-MM-DD`) of the period a reference date names. */
export function periodBoundsOf(referenceDate: string): { start: string; end: string } {
  const year = referenceDate.slice(0, 4);
  switch (precisionOf(referenceDate)) {
    case 'year':
      return { start: `${year}-01-01`, end: `${year}-12-31` };
    case 'month': {
      const month = Number(referenceDate.slice(5, 7));
      // Day 0 of the next month is the last day of this one.
      const last = new Date(Date.UTC(Number(year), month, 0)).getUTCDate();
      return { start: `${referenceDate}-01`, end: `${referenceDate}-${pad(last)}` };
    }
    case 'day':
      return { start: referenceDate, end: referenceDate };
  }
}

/** The precision an interval's buckets need. */
const NEEDS: Readonly<Record<Interval, Precision>> = {
  day: 'day',
  week: 'day',
  month: 'month',
  quarter: 'month',
  year: 'year',
};
const RANK: Readonly<Record<Precision, number>> = { day: 0, month: 1, year: 2 };

/** The bucket of a reference date for an interval, or `YYYY-unspecified` when the date is too coarse for it. */
export function bucketOf(referenceDate: string, interval: Interval): string {
  const year = referenceDate.slice(0, 4);
  if (RANK[precisionOf(referenceDate)] > RANK[NEEDS[interval]]) return `${year}-unspecified`;
  switch (interval) {
    case 'day':
      return referenceDate;
    case 'week': {
      const date = new Date(`${referenceDate}T00:00:00Z`);
      const sinceMonday = (date.getUTCDay() + 6) % 7;
      date.setUTCDate(date.getUTCDate() - sinceMonday);
      return date.toISOString().slice(0, 10);
    }
    case 'month':
      return referenceDate.slice(0, 7);
    case 'quarter':
      return `${year}-Q${Math.floor((Number(referenceDate.slice(5, 7)) - 1) / 3) + 1}`;
    case 'year':
      return year;
  }
}
