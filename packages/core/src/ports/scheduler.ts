/**
 * The scheduler port: named jobs run on a schedule, once per occurrence across all instances. Adapters:
 * `@mosy/scheduler-local` (in-process timers; a single process) and `@mosy/scheduler-bullmq` (Redis, many
 * processes). The quarterly EU export is its first user.
 */
import { MosyError } from '../errors.js';

/**
 * When a job runs: a fixed interval, or a 5-field cron pattern in UTC (`0 6 1 1,4,7,10 *`) in the language of
 * `checkCronPattern`, whose occurrences both adapters find with `cron-parser` (the parser BullMQ runs).
 */
export type JobSchedule = { readonly everyMs: number } | { readonly cron: string };

/** One cron field: a list of `*`, `n` or `a-b`, each with an optional `/step`. */
const CRON_FIELD = /^(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?)*$/;

/**
 * Checks that a pattern is in MoSy's cron language and returns it trimmed: 5 fields (minute, hour, day of month,
 * month, day of week) of `CRON_FIELD` lists. Names (`MON`, `JAN`), `?`, `L`, `#` and a seconds field, which
 * `cron-parser` would take, are refused, so that a schedule means the same in every runtime; values out of range
 * and days that never come are left to the parser. `subject` starts the message (`job "eu-export"`).
 * @throws MosyError `invalid-request` with the reason.
 */
export function checkCronPattern(pattern: string, subject: string): string {
  const trimmed = pattern.trim();
  const fields = trimmed === '' ? [] : trimmed.split(/\s+/);
  if (fields.length !== 5) {
    throw new MosyError(
      'invalid-request',
      `${subject}: cron pattern "${pattern}" must have 5 fields, not ${fields.length}`,
    );
  }
  const bad = fields.find((field) => !CRON_FIELD.test(field));
  if (bad !== undefined) {
    throw new MosyError(
      'invalid-request',
      `${subject}: cron pattern "${pattern}" has a field "${bad}" that is not understood`,
    );
  }
  return trimmed;
}

export interface JobRun {
  readonly name: string;
  /** The occurrence this run is for (epoch ms): stable across retries, so handlers can be idempotent. */
  readonly scheduledFor: number;
  readonly attempt: number;
}

export interface Scheduler {
  /**
   * Registers the handler for a job name and its schedule (replacing an earlier schedule of that name). A run whose
   * handler rejects is retried with backoff up to a few attempts, then recorded as failed.
   */
  schedule(name: string, schedule: JobSchedule, handler: (run: JobRun) => Promise<void>): Promise<void>;
  /** Runs a registered job now, outside its schedule; resolves when the handler has finished. */
  runNow(name: string): Promise<void>;
  /**
   * When a cron pattern fires next, strictly after `afterMs` (epoch ms), as this scheduler runs it: undefined when
   * it never fires again. For status pages, and so that the contract holds every adapter to one reading of a
   * pattern. @throws MosyError `invalid-request` for a pattern `schedule` would refuse.
   */
  nextCronRun(pattern: string, afterMs: number): number | undefined;
  /** Removes a job's schedule. */
  unschedule(name: string): Promise<void>;
  /** Stops timers and waits for running handlers. */
  close(): Promise<void>;
}
