import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { toRepeatOptions } from './schedule.js';

const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('schedule validation', () => {
  it('maps an interval to every, starting one interval on, and a cron pattern to a UTC pattern', () => {
    expect(toRepeatOptions('a', { everyMs: 200 }, 1_000_000)).toEqual({ every: 200, startDate: 1_000_200 });
    expect(toRepeatOptions('a', { cron: ' 0 6 1 1,4,7,10 * ' })).toEqual({
      pattern: '0 6 1 1,4,7,10 *',
      tz: 'UTC',
    });
    expect(toRepeatOptions('a', { cron: '*/15 8-10/2 * * 1-5' })).toEqual({
      pattern: '*/15 8-10/2 * * 1-5',
      tz: 'UTC',
    });
  });

  it('rejects what is not a positive whole interval or a satisfiable 5-field pattern, with invalid-request', () => {
    const bad = [
      { everyMs: 0 },
      { everyMs: -5 },
      { everyMs: 1.5 },
      { everyMs: Number.NaN },
      { cron: '' },
      { cron: 'every day' },
      { cron: '0 0 * *' },
      { cron: '* * * * * *' },
      { cron: '61 * * * *' },
      { cron: '* 24 * * *' },
      { cron: '* * 0 * *' },
      { cron: '* * * 13 *' },
      { cron: '5-1 * * * *' },
      { cron: '*/0 * * * *' },
      { cron: 'MON * * * *' },
      { cron: '0 0 ? * *' },
      { cron: '0 0 L * *' },
      { cron: ',5 * * * *' },
      { cron: '0 0 30 2 *' },
    ];
    for (const schedule of bad) {
      const error = errorOf(() => toRepeatOptions('job', schedule));
      expect(error, JSON.stringify(schedule)).toBeInstanceOf(MosyError);
      expect((error as MosyError).code).toBe('invalid-request');
      expect((error as MosyError).message).toContain('job "job"');
    }
  });
});
