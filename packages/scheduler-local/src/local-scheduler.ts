/**
 * `LocalScheduler`: the Scheduler port with in-process timers, for the standalone deployment (one process, so
 * "once per occurrence across all instances" holds trivially). Each job has one timer armed for its next
 * occurrence; when it fires the run starts and the timer is re-armed for the occurrence after. Scheduled runs of a
 * job never overlap another run of it (also one of a replaced schedule, or a `runNow`): an occurrence that comes
 * while a run with its retries is still going is skipped and counted. Clock and
 * timers are injectable so tests can drive schedules months ahead in microseconds.
 */
import { MosyError } from '@mosy/core';
import type { JobRun, JobSchedule, Scheduler } from '@mosy/core';
import { cronOccurrences, type NextOccurrence } from './cron-occurrences.js';

export interface LocalSchedulerOptions {
  /** The clock, epoch milliseconds. @defaultValue Date.now */
  readonly now?: () => number;
  /** Arms a one-shot timer and returns its cancel function. @defaultValue setTimeout */
  readonly setTimer?: (callback: () => void, delayMs: number) => () => void;
  /** Attempts per run, the first included. @defaultValue 3 */
  readonly attempts?: number;
  /** Delay before the second attempt, doubled before each further one. @defaultValue 1000 */
  readonly retryDelayMs?: number;
  /** Told about each failed attempt; `final` when none is left and the run is recorded as failed. @defaultValue stderr */
  readonly onError?: (error: unknown, run: JobRun, final: boolean) => void;
}

/** What a job did last and will do next, for status pages and tests. */
export interface JobStatus {
  readonly name: string;
  /** The next occurrence the timer is armed for; undefined if the pattern has none left. */
  readonly nextRunAt: number | undefined;
  readonly running: boolean;
  readonly lastRun?: {
    readonly scheduledFor: number;
    readonly attempts: number;
    readonly succeeded: boolean;
    readonly finishedAt: number;
  };
  /** Occurrences skipped because the previous run was still going. */
  readonly skipped: number;
}

/** The Scheduler port plus a look at each job. */
export interface LocalScheduler extends Scheduler {
  status(name: string): JobStatus | undefined;
}

interface Job {
  readonly name: string;
  readonly next: NextOccurrence;
  readonly handler: (run: JobRun) => Promise<void>;
  nextRunAt: number | undefined;
  cancelTimer: (() => void) | undefined;
  lastRun: JobStatus['lastRun'];
  skipped: number;
}

/** setTimeout holds at most 2^31-1 ms (about 24.8 days); a quarterly job waits longer, in hops. */
const MAX_TIMER_MS = 2_147_483_647;

const defaultSetTimer = (callback: () => void, delayMs: number): (() => void) => {
  const timer = setTimeout(callback, delayMs);
  return () => clearTimeout(timer);
};

const defaultOnError = (error: unknown, run: JobRun, final: boolean): void => {
  const detail = error instanceof Error ? error.message : String(error);
  const outcome = final ? 'failed for good' : 'will be retried';
  console.error(`[scheduler] job ${run.name} attempt ${run.attempt} ${outcome}: ${detail}`);
};

function occurrences(name: string, schedule: JobSchedule, anchor: number): NextOccurrence {
  if ('cron' in schedule) return cronOccurrences(schedule.cron, `job "${name}"`);
  const every = schedule.everyMs;
  if (!Number.isSafeInteger(every) || every <= 0) {
    throw new MosyError('invalid-request', `job ${name}: everyMs must be a positive integer, not ${every}`);
  }
  // Occurrences are anchor + k·every, so they stay on one grid however late a timer fires.
  return (after) => anchor + (Math.floor((after - anchor) / every) + 1) * every;
}

/** Creates a scheduler with no jobs. */
export function createLocalScheduler(options: LocalSchedulerOptions = {}): LocalScheduler {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? defaultSetTimer;
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const onError = options.onError ?? defaultOnError;
  const jobs = new Map<string, Job>();
  /** The run in progress per job name; kept by name so that a replaced schedule's run still counts. */
  const running = new Map<string, Promise<unknown>>();
  /** Runs in progress (scheduled or runNow), for close to wait on. */
  const inFlight = new Set<Promise<unknown>>();
  /** Cancels of retry waits, so close ends them at once. */
  const waits = new Set<() => void>();
  let closed = false;

  const closedError = (): MosyError =>
    new MosyError('unavailable', 'the scheduler is closed', { retriable: false });

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let cancel = (): void => undefined;
      const done = (): void => {
        waits.delete(stop);
        resolve();
      };
      const stop = (): void => {
        cancel();
        done();
      };
      waits.add(stop);
      cancel = setTimer(done, ms);
    });
  }

  /** One run with its retries; rejects with the last error if every attempt failed. */
  async function execute(job: Job, scheduledFor: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const run: JobRun = { name: job.name, scheduledFor, attempt };
      try {
        await job.handler(run);
        job.lastRun = { scheduledFor, attempts: attempt, succeeded: true, finishedAt: now() };
        return;
      } catch (error) {
        const final = attempt >= attempts || closed;
        onError(error, run, final);
        if (final) {
          job.lastRun = { scheduledFor, attempts: attempt, succeeded: false, finishedAt: now() };
          throw error;
        }
        await sleep(retryDelayMs * 2 ** (attempt - 1));
        if (closed) {
          job.lastRun = { scheduledFor, attempts: attempt, succeeded: false, finishedAt: now() };
          throw error;
        }
      }
    }
  }

  function track<T>(name: string, promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    if (!running.has(name)) running.set(name, promise);
    const settle = (): void => {
      inFlight.delete(promise);
      if (running.get(name) === promise) running.delete(name);
    };
    void promise.then(settle, settle);
    return promise;
  }

  function arm(job: Job, afterMs: number): void {
    job.nextRunAt = job.next(afterMs);
    if (job.nextRunAt !== undefined) wait(job, job.nextRunAt);
  }

  function wait(job: Job, at: number): void {
    const delay = Math.max(0, at - now());
    job.cancelTimer =
      delay > MAX_TIMER_MS
        ? setTimer(() => wait(job, at), MAX_TIMER_MS)
        : setTimer(() => fire(job, at), delay);
  }

  function fire(job: Job, scheduledFor: number): void {
    job.cancelTimer = undefined;
    // A timer of a job since replaced or removed does nothing.
    if (closed || jobs.get(job.name) !== job) return;
    if (running.has(job.name)) job.skipped++;
    // The outcome is recorded in lastRun and reported through onError; nobody awaits a scheduled run.
    else
      void track(
        job.name,
        execute(job, scheduledFor).catch(() => undefined),
      );
    arm(job, Math.max(scheduledFor, now()));
  }

  return {
    schedule(name, schedule, handler) {
      return new Promise((resolve) => {
        if (closed) throw closedError();
        const next = occurrences(name, schedule, now());
        const previous = jobs.get(name);
        previous?.cancelTimer?.();
        const job: Job = {
          name,
          next,
          handler,
          nextRunAt: undefined,
          cancelTimer: undefined,
          lastRun: previous?.lastRun,
          skipped: 0,
        };
        jobs.set(name, job);
        arm(job, now());
        resolve();
      });
    },

    async runNow(name) {
      if (closed) throw closedError();
      const job = jobs.get(name);
      if (!job) throw new MosyError('not-found', `no job named "${name}" is scheduled`);
      await track(name, execute(job, now()));
    },

    nextCronRun(pattern, afterMs) {
      return cronOccurrences(pattern, 'nextCronRun')(afterMs);
    },

    unschedule(name) {
      const job = jobs.get(name);
      job?.cancelTimer?.();
      jobs.delete(name);
      return Promise.resolve();
    },

    status(name) {
      const job = jobs.get(name);
      if (!job) return undefined;
      return {
        name,
        nextRunAt: job.nextRunAt,
        running: running.has(name),
        skipped: job.skipped,
        ...(job.lastRun ? { lastRun: job.lastRun } : {}),
      };
    },

    async close() {
      closed = true;
      for (const job of jobs.values()) job.cancelTimer?.();
      for (const stop of [...waits]) stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
