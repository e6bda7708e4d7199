import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { dueQuarter, parseQuarter, previousQuarter, quarterClosesAt, yearToDate } from './quarter.js';

const at = (iso: string) => Date.parse(iso);

describe('quarters', () => {
  it('parses an SDMX quarter into its dates', () => {
    expect(parseQuarter('2024-Q1')).toEqual({
      year: 2024,
      quarter: 1,
      period: '2024-Q1',
      from: '2024-01-01',
      to: '2024-03-31',
      yearFrom: '2024-01-01',
    });
    expect(parseQuarter('2026-Q4').to).toBe('2026-12-31');
    expect(parseQuarter('2026-Q2').to).toBe('2026-06-30');
    expect(yearToDate(parseQuarter('2026-Q3'))).toBe('2026-01-01/2026-09-30');
    for (const bad of ['2026-Q5', '2026Q1', '26-Q1', '2026-q1', ''])
      expect(() => parseQuarter(bad)).toThrow(MosyError);
  });

  it('steps back across a year and says when a quarter closes', () => {
    expect(previousQuarter(parseQuarter('2026-Q1')).period).toBe('2025-Q4');
    expect(previousQuarter(parseQuarter('2026-Q3')).period).toBe('2026-Q2');
    expect(quarterClosesAt(parseQuarter('2025-Q4'))).toBe(at('2026-01-01T00:00:00Z'));
  });

  it('makes a quarter due once it has closed and the grace period has passed', () => {
    expect(dueQuarter(at('2026-04-01T00:00:00Z'), 0).period).toBe('2026-Q1');
    expect(dueQuarter(at('2026-03-31T23:59:59Z'), 0).period).toBe('2025-Q4');
    // 15 days of grace: 2026-Q1 closes on 1 April and is due from 16 April.
    expect(dueQuarter(at('2026-04-15T23:59:59Z'), 15).period).toBe('2025-Q4');
    expect(dueQuarter(at('2026-04-16T00:00:00Z'), 15).period).toBe('2026-Q1');
    expect(dueQuarter(at('2026-01-20T06:00:00Z'), 30).period).toBe('2025-Q3');
    expect(() => dueQuarter(0, -1)).toThrow(MosyError);
    expect(() => dueQuarter(0, 1.5)).toThrow(MosyError);
  });
});
