/**
 * The occurrences of a cron schedule for the local timers, found in UTC with `cron-parser`, the parser (at the
 * version) BullMQ runs in the distributed runtime, so that a pattern fires at the same times in both. A pattern is
 * first held to MoSy's cron language (`checkCronPattern` in `@mosy/core`); the parser then refuses values out of
 * range and days that never come (`0 0 30 2 *`).
 */
// cron-parser 4 is CommonJS whose exports Node's ESM loader cannot name: take them from the default export.
import cronParser from 'cron-parser';
import { MosyError, checkCronPattern } from '@mosy/core';

/** A schedule's next occurrence strictly after a time (epoch ms); undefined when there is none. */
export type NextOccurrence = (afterMs: number) => number | undefined;

/**
 * Reads a cron pattern; `subject` starts the messages of its errors (`job "eu-export"`).
 * @throws MosyError `invalid-request` for a pattern outside the language, or one that never matches.
 */
export function cronOccurrences(pattern: string, subject: string): NextOccurrence {
  const checked = checkCronPattern(pattern, subject);
  const after = (afterMs: number) =>
    cronParser.parseExpression(checked, { tz: 'UTC', currentDate: new Date(afterMs) });
  // As BullMQ's repeat strategy does: a pattern with no occurrence left has no next one, rather than an error.
  const next: NextOccurrence = (afterMs) => {
    try {
      return after(afterMs).next().getTime();
    } catch {
      return undefined;
    }
  };
  try {
    after(0);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MosyError('invalid-request', `${subject}: cron pattern "${pattern}" is not valid: ${detail}`, {
      cause: error,
    });
  }
  if (next(Date.UTC(2000, 0, 1)) === undefined) {
    throw new MosyError('invalid-request', `${subject}: cron pattern "${pattern}" never matches`);
  }
  return next;
}
