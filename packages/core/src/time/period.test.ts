import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoWeekMonday, periodOf } from './period.js';
import { parseReferenceDate } from './reference-date.js';

const label = (date: string, interval: Parameters<typeof periodOf>[2]): string =>
  periodOf(date, parseReferenceDate(date).precision, interval);

describe('periodOf', () => {
  it('labels a day in every interval', () => {
    expect(label('2026-03-14', 'day')).toBe('2026-03-14');
    expect(label('2026-03-14', 'week')).toBe('2026-03-09');
    expect(label('2026-03-14', 'month')).toBe('2026-03');
    expect(label('2026-03-14', 'quarter')).toBe('2026-Q1');
    expect(label('2026-03-14', 'year')).toBe('2026');
  });
  it('places quarters by month', () => {
    expect(
      ['01', '03', '04', '06', '07', '09', '10', '12'].map((m) => label(`2026-${m}`, 'quarter')),
    ).toEqual(['2026-Q1', '2026-Q1', '2026-Q2', '2026-Q2', '2026-Q3', '2026-Q3', '2026-Q4', '2026-Q4']);
  });
  it('puts less precise records in the unspecified bucket of their year', () => {
    for (const interval of ['day', 'week', 'month', 'quarter'] as const)
      expect(label('2017', interval)).toBe('2017-unspecified');
    expect(label('2017', 'year')).toBe('2017');
    expect(label('2017-03', 'week')).toBe('2017-unspecified');
    expect(label('2017-03', 'day')).toBe('2017-unspecified');
    expect(label('2017-03', 'month')).toBe('2017-03');
    expect(label('2017-03', 'quarter')).toBe('2017-Q1');
  });
});

describe('isoWeekMonday', () => {
  it('finds the Monday, across month and year ends', () => {
    expect(isoWeekMonday('2026-03-09')).toBe('2026-03-09');
    expect(isoWeekMonday('2026-03-15')).toBe('2026-03-09');
    expect(isoWeekMonday('2026-01-01')).toBe('2025-12-29');
    expect(isoWeekMonday('2024-03-01')).toBe('2024-02-26');
  });
  it('returns a Monday at most six days earlier (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-08T00:00:00Z'),
          max: new Date('2100-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const day = date.toISOString().slice(0, 10);
          const monday = isoWeekMonday(day);
          const diff = (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / 86_400_000;
          expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
          expect(diff).toBeGreaterThanOrEqual(0);
          expect(diff).toBeLessThanOrEqual(6);
        },
      ),
    );
  });
});
