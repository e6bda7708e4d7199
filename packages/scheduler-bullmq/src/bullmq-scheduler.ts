/**
 * `BullMqScheduler`: the Scheduler port on BullMQ 5 and Redis, for deployments with several processes. Each
 * scheduler owns one Queue, one Worker and one QueueEvents on a shared queue; a schedule is a BullMQ job scheduler
 * (`upsertJobScheduler`, id = job name) kept in Redis, which adds one job per occurrence, so however many processes
 * share the queue, each occurrence is run once, by whichever worker takes it. Handlers stay in process memory, keyed
 * by job name: every process on a queue registers the same jobs (a job taken by a process without its handler fails
 * that attempt and is retried, possibly elsewhere). `schedule` and `unschedule` change the schedule for every process
 * on the queue; `close` stops only this process and leaves the schedules in Redis for the others.
 *
 * Delivery is at least once: a process that dies mid-run leaves a stalled job that BullMQ runs again, with the same
 * `scheduledFor`, so handlers should be idempotent per occurrence. An interval job's first occurrence is one interval
 * after it is first scheduled; re-scheduling it with the same interval (as every process does at start) keeps its
 * grid. BullMQ adds an occurrence's job when a worker takes the previous one, so occurrences missed while no
 * worker was free are skipped, not run in a burst (as `@mosy/scheduler-local` skips them too).
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker, defaultRepeatStrategy } from 'bullmq';
import type { ConnectionOptions, Job, JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { MosyError, toMosyError } from '@mosy/core';
import type { JobRun, Scheduler } from '@mosy/core';
import { toRepeatOptions, validateCron } from './schedule.js';

/** A pino-compatible logger: `(fields, message)`. Only job names, ids and error messages are logged. */
export interface BullMqSchedulerLogger {
  error(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
}

export interface BullMqSchedulerOptions {
  /**
   * Redis: a URL (`redis://host:6379/0`), for which the scheduler opens and closes its own connections, or an
   * ioredis client owned by the caller (not closed by the scheduler), created with `maxRetriesPerRequest: null`
   * as BullMQ's workers require.
   */
  readonly connection: { readonly url: string } | Redis;
  /** Prefix of every Redis key. @defaultValue 'mosy' */
  readonly prefix?: string;
  /** The BullMQ queue; the processes that share it share the schedules. @defaultValue 'mosy-scheduler' */
  readonly queueName?: string;
  /** Attempts per run, the first included. @defaultValue 3 */
  readonly attempts?: number;
  /** Delay before the second attempt, doubled before each further one (BullMQ's exponential backoff). @defaultValue 1000 */
  readonly backoffMs?: number;
  /** Runs this process takes at once, across all jobs of the queue. @defaultValue 1 */
  readonly concurrency?: number;
  /**
   * Runs taken at once across all the processes on the queue (BullMQ's global concurrency, kept in Redis): 1 makes
   * the queue's runs never overlap anywhere, so a handler that checks then writes is not raced by its next
   * occurrence in another process. @defaultValue no limit
   */
  readonly globalConcurrency?: number;
  /**
   * How long a run's lock lasts without renewal, and how often stalled runs are looked for: a process that dies
   * mid-run has its run taken again within about twice this. @defaultValue 30000 (BullMQ's)
   */
  readonly lockDurationMs?: number;
  /** Told about failed attempts and connection errors. @defaultValue none (silent) */
  readonly logger?: BullMqSchedulerLogger;
}

/** The data of a `runNow` job; jobs of a job scheduler carry none. */
interface RunNowData {
  readonly scheduledFor: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The occurrence a job is for. A job scheduler's job has the id `repeat:<name>:<occurrence ms>` (BullMQ's own
 * scheme, also used to make each occurrence unique across processes), which no retry changes; a `runNow` job
 * carries the time it was asked for in its data.
 */
function scheduledForOf(job: Job): number {
  const data = job.data as Partial<RunNowData> | undefined;
  if (typeof data?.scheduledFor === 'number') return data.scheduledFor;
  const id = job.id ?? '';
  const millis = Number(id.slice(id.lastIndexOf(':') + 1));
  return job.repeatJobKey !== undefined && Number.isSafeInteger(millis) ? millis : job.timestamp;
}

/** Creates a scheduler on the given queue; it starts taking the queue's jobs at once. */
export function createBullMqScheduler(options: BullMqSchedulerOptions): Scheduler {
  const prefix = options.prefix ?? 'mosy';
  const queueName = options.queueName ?? 'mosy-scheduler';
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 1000;
  const concurrency = options.concurrency ?? 1;
  const logger = options.logger;
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new MosyError('invalid-request', `attempts must be a positive integer, not ${attempts}`);
  }
  if (!Number.isFinite(backoffMs) || backoffMs < 0) {
    throw new MosyError('invalid-request', `backoffMs must be a non-negative number, not ${backoffMs}`);
  }

  // From a URL: commands of the queue fail after a few retries while Redis is away (so callers get an error), the
  // worker's and the events' wait for it (BullMQ requires it of blocking connections).
  const owned: Redis[] = [];
  let commands: ConnectionOptions;
  let blocking: ConnectionOptions;
  if ('url' in options.connection) {
    const url = options.connection.url;
    commands = new Redis(url, { maxRetriesPerRequest: 3 });
    blocking = new Redis(url, { maxRetriesPerRequest: null });
    owned.push(commands, blocking);
  } else {
    commands = blocking = options.connection;
  }

  const jobOptions: JobsOptions = {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    // Finished jobs are kept a while for inspection and for `waitUntilFinished` to read their outcome.
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
  };

  const handlers = new Map<string, (run: JobRun) => Promise<void>>();
  /** `runNow` calls of this process waiting for their job, by job id; settled by whichever worker runs it. */
  const waiters = new Map<string, Waiter>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const queue = new Queue<RunNowData | Record<string, never>>(queueName, { connection: commands, prefix });
  const queueEvents = new QueueEvents(queueName, { connection: blocking, prefix });
  const worker = new Worker(queueName, (job: Job) => processJob(job), {
    connection: blocking,
    prefix,
    concurrency,
    ...(options.lockDurationMs === undefined
      ? {}
      : { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
  });
  const globalLimit =
    options.globalConcurrency === undefined
      ? Promise.resolve()
      : queue.setGlobalConcurrency(options.globalConcurrency).then(() => undefined);
  globalLimit.catch(() => undefined);

  const report = (source: string) => (error: Error) =>
    logger?.error({ err: error.message, source, queue: queueName }, 'scheduler connection error');
  queue.on('error', report('queue'));
  queueEvents.on('error', report('queue-events'));
  worker.on('error', report('worker'));

  const closedError = (): MosyError =>
    new MosyError('unavailable', 'the scheduler is closed', { retriable: false });

  async function processJob(job: Job): Promise<void> {
    const name = job.name;
    const run: JobRun = { name, scheduledFor: scheduledForOf(job), attempt: job.attemptsMade + 1 };
    const handler = handlers.get(name);
    if (!handler) {
      // An occurrence of a schedule removed since it was queued is dropped; otherwise another process may know it.
      if (job.repeatJobKey !== undefined && !(await queue.getJobScheduler(job.repeatJobKey))) {
        logger?.debug({ job: name, id: job.id }, 'dropped an occurrence of a removed schedule');
        return;
      }
      throw new MosyError('not-found', `no handler for job "${name}" in this process`);
    }
    try {
      await handler(run);
    } catch (error) {
      const final = run.attempt >= (job.opts.attempts ?? 1);
      logger?.warn(
        { job: name, id: job.id, attempt: run.attempt, scheduledFor: run.scheduledFor, err: String(error) },
        final ? 'scheduled job failed for good' : 'scheduled job failed, will be retried',
      );
      if (final && job.id !== undefined) waiters.get(job.id)?.reject(error);
      throw error;
    }
    if (job.id !== undefined) waiters.get(job.id)?.resolve();
  }

  return {
    async schedule(name, schedule, handler) {
      if (closed) throw closedError();
      const repeat = toRepeatOptions(name, schedule);
      try {
        await globalLimit;
        await queue.upsertJobScheduler(name, repeat, { name, data: {}, opts: jobOptions });
      } catch (error) {
        throw toMosyError(error, 'unavailable');
      }
      handlers.set(name, handler);
    },

    async runNow(name) {
      if (closed) throw closedError();
      if (!handlers.has(name)) throw new MosyError('not-found', `no job named "${name}" is scheduled`);
      const id = `now-${randomUUID()}`;
      // Waited for twice: by this process's worker, registered before the job exists so that a run here settles it
      // with the handler's own error, and through QueueEvents for a run taken by another process, which reports
      // only the last error's message.
      const local = new Promise<void>((resolve, reject) => waiters.set(id, { resolve, reject }));
      local.catch(() => undefined);
      try {
        let job: Job;
        try {
          await queueEvents.waitUntilReady();
          job = await queue.add(name, { scheduledFor: Date.now() }, { ...jobOptions, jobId: id });
        } catch (error) {
          throw toMosyError(error, 'unavailable');
        }
        const remote = job.waitUntilFinished(queueEvents).then(
          () => undefined,
          (error: unknown) => {
            throw error instanceof Error ? error : new Error(String(error));
          },
        );
        await Promise.race([local, remote]);
      } finally {
        waiters.delete(id);
      }
    },

    nextCronRun(pattern, afterMs) {
      // BullMQ's own reading of the repeat options `schedule` stores (its job scheduler calls the same function).
      return defaultRepeatStrategy(afterMs, validateCron('nextCronRun', pattern));
    },

    async unschedule(name) {
      handlers.delete(name);
      if (closed) return;
      try {
        await queue.removeJobScheduler(name);
      } catch (error) {
        throw toMosyError(error, 'unavailable');
      }
    },

    close() {
      closed = true;
      closing ??= (async () => {
        // A part closed while it is still connecting leaves its start-up commands to fail with "Connection is
        // closed" where nobody awaits them (an unhandled rejection): let each finish starting (or fail to) first.
        await Promise.allSettled([
          queue.waitUntilReady(),
          queueEvents.waitUntilReady(),
          worker.waitUntilReady(),
        ]);
        // The worker first: it waits for the runs in progress, whose waiters it settles.
        await worker.close();
        await queueEvents.close();
        await queue.close();
        for (const waiter of waiters.values()) waiter.reject(closedError());
        await Promise.all(owned.map((client) => client.quit().catch(() => client.disconnect())));
      })();
      return closing;
    },
  };
}
