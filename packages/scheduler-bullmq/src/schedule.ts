/**
 * Checks a `JobSchedule` before it reaches Redis and turns it into BullMQ's repeat options. Cron patterns are held
 * to MoSy's cron language (`checkCronPattern` in `@mosy/core`: 5 fields of numbers, `*`, `,`, `-` and `/`; no
 * names, `?`, `L` or `#`), as in `@mosy/scheduler-local`, and are then read by BullMQ's own repeat strategy (on
 * `cron-parser`), so that an accepted pattern is one BullMQ can schedule. A pattern that never matches
 * (`0 0 30 2 *`) is rejected too.
 */
import { defaultRepeatStrategy } from 'bullmq';
import { MosyError, checkCronPattern } from '@mosy/core';
import type { JobSchedule } from '@mosy/core';

/**
 * BullMQ's repeat options for one schedule: a fixed interval whose first occurrence is one interval after `now`
 * (BullMQ would otherwise run it at once), or a cron pattern evaluated in UTC.
 */
export type RepeatOptions = { readonly every: number; readonly startDate: number } | CronRepeatOptions;

/** BullMQ's repeat options for a cron pattern, read in UTC. */
export interface CronRepeatOptions {
  readonly pattern: string;
  readonly tz: 'UTC';
}

const invalid = (name: string, why: string, cause?: unknown): MosyError =>
  new MosyError('invalid-request', `job "${name}": ${why}`, { cause });

/**
 * Validates a 5-field UTC cron pattern (`checkCronPattern`, then BullMQ's own reading of it, which refuses values
 * out of range and days that never come) and returns BullMQ's repeat options for it.
 * @throws MosyError `invalid-request` with the reason if it is not one.
 */
export function validateCron(name: string, pattern: string): CronRepeatOptions {
  const repeat: CronRepeatOptions = { pattern: checkCronPattern(pattern, `job "${name}"`), tz: 'UTC' };
  let first: number | undefined;
  try {
    first = defaultRepeatStrategy(Date.UTC(2000, 0, 1), repeat);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw invalid(name, `cron pattern "${pattern}" is not valid: ${detail}`, error);
  }
  if (first === undefined) throw invalid(name, `cron pattern "${pattern}" never matches`);
  return repeat;
}

/** Validates a schedule (given the time it is made) and returns BullMQ's repeat options for it; throws `MosyError('invalid-request')` if invalid. */
export function toRepeatOptions(name: string, schedule: JobSchedule, now = Date.now()): RepeatOptions {
  if ('cron' in schedule) {
    return validateCron(name, schedule.cron);
  }
  const every = schedule.everyMs;
  if (!Number.isSafeInteger(every) || every <= 0) {
    throw invalid(name, `everyMs must be a positive integer, not ${every}`);
  }
  return { every, startDate: now + every };
}
