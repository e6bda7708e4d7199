/**
 * The scheduler port: named jobs run on a schedule, once per occurrence across all instances. Adapters:
 * `@mosy/scheduler-local` (in-process timers; a single process) and `@mosy/scheduler-bullmq` (Redis, many
 * processes). The quarterly EU export is its first user.
 */

/** When a job runs: a fixed interval, or a 5-field cron pattern in UTC (`0 6 1 1,4,7,10 *`). */
export type JobSchedule = { readonly everyMs: number } | { readonly cron: string };

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
  /** Removes a job's schedule. */
  unschedule(name: string): Promise<void>;
  /** Stops timers and waits for running handlers. */
  close(): Promise<void>;
}
