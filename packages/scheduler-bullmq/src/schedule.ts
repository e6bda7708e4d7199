/**
 * Checks a `JobSchedule` before it reaches Redis and turns it into BullMQ's repeat options. Cron patterns are held
 * to the language `@mosy/scheduler-local` accepts (5 fields of numbers, `*`, `,`, `-` and `/`; no names, `?`, `L`
 * or `#`), so a schedule written for the standalone deployment means the same here, and are then parsed with
 * `cron-parser`, the parser BullMQ itself runs, so that an accepted pattern is one BullMQ can schedule. A pattern
 * that never matches (`0 0 30 2 *`) is rejected too.
 */
import { parseExpression } from 'cron-parser';
import { MosyError } from '@mosy/core';
import type { JobSchedule } from '@mosy/core';

/**
 * BullMQ's repeat options for one schedule: a fixed interval whose first occurrence is one interval after `now`
 * (BullMQ would otherwise run it at once), or a cron pattern evaluated in UTC.
 */
export type RepeatOptions =
  { readonly every: number; readonly startDate: number } | { readonly pattern: string; readonly tz: 'UTC' };

const FIELD = /^(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?)*$/;

const invalid = (name: string, why: string): MosyError =>
  new MosyError('invalid-request', `job "${name}": ${why}`);

/** Validates a 5-field UTC cron pattern; throws `MosyError('invalid-request')` with the reason if it is not one. */
export function validateCron(name: string, pattern: string): void {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') {
    throw invalid(
      name,
      `cron pattern "${pattern}" must have 5 fields, not ${fields[0] === '' ? 0 : fields.length}`,
    );
  }
  const bad = fields.find((field) => !FIELD.test(field));
  if (bad !== undefined)
    throw invalid(name, `cron pattern "${pattern}" has a field "${bad}" that is not understood`);
  try {
    parseExpression(pattern, { tz: 'UTC', currentDate: new Date(Date.UTC(2000, 0, 1)) }).next();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MosyError(
      'invalid-request',
      `job "${name}": cron pattern "${pattern}" is not valid: ${detail}`,
      {
        cause: error,
      },
    );
  }
}

/** Validates a schedule (given the time it is made) and returns BullMQ's repeat options for it; throws `MosyError('invalid-request')` if invalid. */
export function toRepeatOptions(name: string, schedule: JobSchedule, now = Date.now()): RepeatOptions {
  if ('cron' in schedule) {
    validateCron(name, schedule.cron);
    return { pattern: schedule.cron.trim(), tz: 'UTC' };
  }
  const every = schedule.everyMs;
  if (!Number.isSafeInteger(every) || every <= 0) {
    throw invalid(name, `everyMs must be a positive integer, not ${every}`);
  }
  return { every, startDate: now + every };
}
