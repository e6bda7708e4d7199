import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMosyError } from '../errors.js';
import { parseReferenceDate, periodBounds, referenceDateProblem, withinPeriod } from './reference-date.js';

describe('parseReferenceDate', () => {
  it('reads a day, a month and a year with their periods', () => {
    expect(parseReferenceDate('2026-03-14')).toEqual({
      precision: 'day',
      periodStart: '2026-03-14',
      periodEnd: '2026-03-14',
    });
    expect(parseReferenceDate('2024-02')).toEqual({
      precision: 'month',
      periodStart: '2024-02-01',
      periodEnd: '2024-02-29',
    });
    expect(parseReferenceDate('2023-02')).toMatchObject({ periodEnd: '2023-02-28' });
    expect(parseReferenceDate('2017')).toEqual({
      precision: 'year',
      periodStart: '2017-01-01',
      periodEnd: '2017-12-31',
    });
  });

  it('knows leap years, including the century rules', () => {
    expect(referenceDateProblem('2000-02-29')).toBeUndefined();
    expect(referenceDateProblem('2024-02-29')).toBeUndefined();
    expect(referenceDateProblem('1900-02-29')).toBe('1900-02-29 is not a calendar date');
    expect(referenceDateProblem('2100-02-29')).toBe('2100-02-29 is not a calendar date');
  });

  it('explains each refusal', () => {
    expect(referenceDateProblem('2026-02-30')).toBe('2026-02-30 is not a calendar date');
    expect(referenceDateProblem('2026-04-31')).toBe('2026-04-31 is not a calendar date');
    expect(referenceDateProblem('2026-13')).toBe('2026-13: 13 is not a month (01–12)');
    expect(referenceDateProblem('2026-00-10')).toBe('2026-00-10: 00 is not a month (01–12)');
    expect(referenceDateProblem('1899-12-31')).toBe('1899-12-31: the year must lie between 1900 and 2100');
    expect(referenceDateProblem('2101')).toBe('2101: the year must lie between 1900 and 2100');
    expect(referenceDateProblem('14/03/2026')).toBe(
      '14/03/2026 is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY',
    );
    expect(referenceDateProblem('2026-3-14')).toMatch(/not a date of the form/);
    expect(referenceDateProblem('2026-03-14T10:00')).toMatch(/not a date of the form/);
    expect(referenceDateProblem(2026)).toBe('must be a string (YYYY-MM-DD, YYYY-MM or YYYY), got number');
    expect(referenceDateProblem(null)).toMatch(/got null$/);
  });

  it('throws a MosyError with the issue on referenceDate', () => {
    try {
      parseReferenceDate('2026-02-30');
      expect.unreachable();
    } catch (error) {
      expect(isMosyError(error) && error.code).toBe('invalid-field');
      expect(isMosyError(error) && error.issues).toEqual([
        {
          field: 'referenceDate',
          code: 'invalid-field',
          message: 'referenceDate: 2026-02-30 is not a calendar date',
        },
      ]);
    }
  });

  it('agrees with the platform calendar on every day (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const date = new Date(Date.UTC(y, m - 1, d));
          const real = date.getUTCMonth() === m - 1;
          expect(referenceDateProblem(s) === undefined).toBe(real);
        },
      ),
    );
  });
});

describe('periodBounds', () => {
  it('widens periods to their first and last day', () => {
    expect(periodBounds('2026')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(periodBounds('2026-Q1')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(periodBounds('2026-Q2')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodBounds('2026-Q3')).toEqual({ start: '2026-07-01', end: '2026-09-30' });
    expect(periodBounds('2026-Q4')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodBounds('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodBounds('2026-03-14')).toEqual({ start: '2026-03-14', end: '2026-03-14' });
  });
  it('refuses what is not a period', () => {
    for (const s of ['2026-Q5', '2026-Q0', '1899-Q4', '2026-02-30', 'last year', '', '2026-W10'])
      expect(periodBounds(s)).toBeUndefined();
  });
});

describe('withinPeriod', () => {
  const year2017 = parseReferenceDate('2017');
  const march2017 = parseReferenceDate('2017-03');
  it('keeps a record only when its whole period is inside', () => {
    expect(withinPeriod(year2017, '2017-01-01', '2017-12-31')).toBe(true);
    expect(withinPeriod(year2017, '2017-01-01', '2017-03-31')).toBe(false);
    expect(withinPeriod(march2017, '2017-01-01', '2017-03-31')).toBe(true);
    expect(withinPeriod(march2017, '2017-03-02', '2017-12-31')).toBe(false);
    expect(withinPeriod(march2017, '2017-03-01', '2017-03-31')).toBe(true);
  });
  it('treats an absent bound as open', () => {
    expect(withinPeriod(year2017)).toBe(true);
    expect(withinPeriod(year2017, '2017-01-01')).toBe(true);
    expect(withinPeriod(year2017, undefined, '2016-12-31')).toBe(false);
    expect(withinPeriod(year2017, '2017-01-02')).toBe(false);
  });
});
