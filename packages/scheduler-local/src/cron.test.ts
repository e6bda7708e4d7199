import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MosyError } from '@mosy/core';
import { nextCronTime, parseCron } from './cron.js';

const next = (pattern: string, after: string): string | undefined => {
  const t = nextCronTime(parseCron(pattern), Date.parse(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron patterns', () => {
  it('steps, lists and ranges', () => {
    expect(next('*/15 * * * *', '2026-03-14T10:07:00Z')).toBe('2026-03-14T10:15:00.000Z');
    expect(next('*/15 * * * *', '2026-03-14T10:45:00Z')).toBe('2026-03-14T11:00:00.000Z');
    expect(next('5/20 * * * *', '2026-03-14T10:26:00Z')).toBe('2026-03-14T10:45:00.000Z');
    expect(next('0,30 8-10/2 * * *', '2026-03-14T08:31:00Z')).toBe('2026-03-14T10:00:00.000Z');
    expect(next('30 2 * * 1-5', '2026-03-14T00:00:00Z')).toBe('2026-03-16T02:30:00.000Z');
  });

  it('is strictly after the given time, at a whole minute', () => {
    expect(next('* * * * *', '2026-03-14T10:07:00Z')).toBe('2026-03-14T10:08:00.000Z');
    expect(next('* * * * *', '2026-03-14T10:07:59.999Z')).toBe('2026-03-14T10:08:00.000Z');
  });

  it('finds the quarterly EU export and crosses years', () => {
    const quarterly = '0 6 1 1,4,7,10 *';
    expect(next(quarterly, '2026-01-01T06:00:00Z')).toBe('2026-04-01T06:00:00.000Z');
    expect(next(quarterly, '2026-01-01T05:59:00Z')).toBe('2026-01-01T06:00:00.000Z');
    expect(next(quarterly, '2026-11-15T00:00:00Z')).toBe('2027-01-01T06:00:00.000Z');
  });

  it('waits for the next 29 February', () => {
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('matches either day field when both are restricted, both when one starts with *', () => {
    // 2026-02-01 is a Sunday; the next Friday is the 6th, before the 13th.
    expect(next('0 0 13 * 5', '2026-02-01T00:00:00Z')).toBe('2026-02-06T00:00:00.000Z');
    expect(next('0 0 */13 * 5', '2026-02-01T00:00:00Z')).toBe('2026-02-27T00:00:00.000Z');
    expect(next('0 12 * * 7', '2026-03-14T00:00:00Z')).toBe(next('0 12 * * 0', '2026-03-14T00:00:00Z'));
  });

  it('rejects what it does not understand, with invalid-request', () => {
    const bad = [
      '',
      '* * * *',
      '* * * * * *',
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '* * * 13 *',
      '* * * * 8',
      '5-1 * * * *',
      '*/0 * * * *',
      'a * * * *',
      'MON * * * *',
      '1-2-3 * * * *',
      '*/5/2 * * * *',
      ',5 * * * *',
      '0 0 31 2 *',
      '0 0 30 2 *',
    ];
    for (const pattern of bad) {
      const error: unknown = (() => {
        try {
          parseCron(pattern);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, pattern).toBeInstanceOf(MosyError);
      expect((error as MosyError).code).toBe('invalid-request');
    }
  });

  it('agrees with a brute-force minute-by-minute search (property)', { timeout: 60_000 }, () => {
    const set = (min: number, max: number) =>
      fc
        .uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 })
        .map((values) => values.join(','));
    const pattern = fc.tuple(
      set(0, 59),
      set(0, 23),
      fc.oneof(fc.constant('*'), set(1, 28)),
      fc.constant('*'),
      fc.oneof(fc.constant('*'), set(0, 6)),
    );
    const inList = (list: string, value: number): boolean =>
      list === '*' || list.split(',').map(Number).includes(value);
    fc.assert(
      fc.property(
        pattern,
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (fields, after) => {
          const [minute, hour, dom, month, dow] = fields;
          const matches = (t: number): boolean => {
            const d = new Date(t);
            const domOk = inList(dom, d.getUTCDate());
            const dowOk = inList(dow, d.getUTCDay());
            const dayOk = dom !== '*' && dow !== '*' ? domOk || dowOk : domOk && dowOk;
            return (
              inList(minute, d.getUTCMinutes()) &&
              inList(hour, d.getUTCHours()) &&
              inList(month, d.getUTCMonth() + 1) &&
              dayOk
            );
          };
          let expected = Math.floor(after / 60_000) * 60_000 + 60_000;
          while (!matches(expected)) expected += 60_000;
          expect(nextCronTime(parseCron(fields.join(' ')), after)).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
