/**
 * The cron part of the `Scheduler` contract: the occurrences an adapter finds for a pattern (`nextCronRun`, the
 * reading its own timers or BullMQ's job scheduler use) checked against dates worked out by hand, the same for every
 * adapter, so two runtimes that would fire a schedule at different times cannot both pass; and the patterns every
 * adapter refuses. All in UTC: the port has no time zone. Day fields follow `cron-parser` (BullMQ's parser): when
 * both are restricted a day matches if either does, `*∕13` counting as restricted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError, type Scheduler } from '@mosy/core';

/** Patterns outside MoSy's cron language, or that never match. */
const BAD_PATTERNS = [
  '',
  'every day',
  '* * * *',
  '0 0 * *',
  '* * * * * *',
  '60 * * * *',
  '61 * * * *',
  '* 24 * * *',
  '* * 0 * *',
  '* * * 13 *',
  '* * * * 8',
  '5-1 * * * *',
  '*/0 * * * *',
  'a * * * *',
  'MON * * * *',
  '0 0 * * MON',
  '0 0 ? * *',
  '0 0 L * *',
  '1-2-3 * * * *',
  '*/5/2 * * * *',
  ',5 * * * *',
  '0 0 31 2 *',
  '0 0 30 2 *',
];

const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

/** The cron tests, on the scheduler of the running test. */
export function describeCronOccurrences(current: () => Scheduler): void {
  describe('cron occurrences', () => {
    /** The next `count` occurrences strictly after `after`, as ISO strings. */
    const nextRuns = (pattern: string, after: string, count: number): string[] => {
      const runs: string[] = [];
      let t = Date.parse(after);
      while (runs.length < count) {
        const run = current().nextCronRun(pattern, t);
        if (run === undefined) break;
        runs.push(new Date(run).toISOString());
        t = run;
      }
      return runs;
    };
    const next = (pattern: string, after: string): string | undefined => nextRuns(pattern, after, 1)[0];

    it('every minute: whole minutes strictly after the given time', () => {
      expect(nextRuns('* * * * *', '2026-03-14T10:07:00Z', 3)).toEqual([
        '2026-03-14T10:08:00.000Z',
        '2026-03-14T10:09:00.000Z',
        '2026-03-14T10:10:00.000Z',
      ]);
      expect(next('* * * * *', '2026-03-14T10:07:59.999Z')).toBe('2026-03-14T10:08:00.000Z');
    });

    it('every day at 03:00, across the end of February', () => {
      expect(next('0 3 * * *', '2026-02-27T02:59:00Z')).toBe('2026-02-27T03:00:00.000Z');
      expect(nextRuns('0 3 * * *', '2026-02-27T03:00:00Z', 3)).toEqual([
        '2026-02-28T03:00:00.000Z',
        '2026-03-01T03:00:00.000Z',
        '2026-03-02T03:00:00.000Z',
      ]);
    });

    it('every quarter hour from 9 to 17 on weekdays, over a weekend', () => {
      // 2026-03-13 is a Friday: 17:45 is its last run, Monday 09:00 the next.
      expect(nextRuns('*/15 9-17 * * 1-5', '2026-03-13T17:20:00Z', 4)).toEqual([
        '2026-03-13T17:30:00.000Z',
        '2026-03-13T17:45:00.000Z',
        '2026-03-16T09:00:00.000Z',
        '2026-03-16T09:15:00.000Z',
      ]);
    });

    it('the first day of each quarter at 06:00 (the EU export), across years', () => {
      const quarterly = '0 6 1 1,4,7,10 *';
      expect(next(quarterly, '2026-01-01T06:00:00Z')).toBe('2026-04-01T06:00:00.000Z');
      expect(next(quarterly, '2026-01-01T05:59:00Z')).toBe('2026-01-01T06:00:00.000Z');
      expect(nextRuns(quarterly, '2026-11-15T00:00:00Z', 4)).toEqual([
        '2027-01-01T06:00:00.000Z',
        '2027-04-01T06:00:00.000Z',
        '2027-07-01T06:00:00.000Z',
        '2027-10-01T06:00:00.000Z',
      ]);
    });

    it('steps, lists and ranges', () => {
      expect(next('*/15 * * * *', '2026-03-14T10:07:00Z')).toBe('2026-03-14T10:15:00.000Z');
      expect(next('*/15 * * * *', '2026-03-14T10:45:00Z')).toBe('2026-03-14T11:00:00.000Z');
      expect(next('5/20 * * * *', '2026-03-14T10:26:00Z')).toBe('2026-03-14T10:45:00.000Z');
      expect(next('0,30 8-10/2 * * *', '2026-03-14T08:31:00Z')).toBe('2026-03-14T10:00:00.000Z');
      expect(next('30 2 * * 1-5', '2026-03-14T00:00:00Z')).toBe('2026-03-16T02:30:00.000Z');
      expect(next(' 0 6 1 1,4,7,10 * ', '2026-11-15T00:00:00Z')).toBe('2027-01-01T06:00:00.000Z');
    });

    it('waits for the next 29 February', () => {
      expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    });

    it('matches either day field when both are restricted, a step counting as restricted', () => {
      // 2026-02-01 is a Sunday; the next Friday is the 6th, before the 13th.
      expect(next('0 0 13 * 5', '2026-02-01T00:00:00Z')).toBe('2026-02-06T00:00:00.000Z');
      // Days 1, 14 and 27, or Fridays (Vixie cron would ask for both, since the field starts with `*`).
      expect(nextRuns('0 0 */13 * 5', '2026-02-01T00:00:00Z', 4)).toEqual([
        '2026-02-06T00:00:00.000Z',
        '2026-02-13T00:00:00.000Z',
        '2026-02-14T00:00:00.000Z',
        '2026-02-20T00:00:00.000Z',
      ]);
      expect(next('0 12 * * 7', '2026-03-14T00:00:00Z')).toBe(next('0 12 * * 0', '2026-03-14T00:00:00Z'));
    });

    it('refuses what it does not understand, or what never matches, with invalid-request', async () => {
      for (const pattern of BAD_PATTERNS) {
        const error = errorOf(() => current().nextCronRun(pattern, Date.UTC(2026, 0, 1)));
        expect(error, pattern).toBeInstanceOf(MosyError);
        expect((error as MosyError).code, pattern).toBe('invalid-request');
        await expect(
          current().schedule('bad-cron', { cron: pattern }, () => Promise.resolve()),
          pattern,
        ).rejects.toMatchObject({ code: 'invalid-request' });
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
            expect(current().nextCronRun(fields.join(' '), after)).toBe(expected);
          },
        ),
        { numRuns: 100 },
      );
    });
  });
}
