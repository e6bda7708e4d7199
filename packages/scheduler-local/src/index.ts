/** @mosy/scheduler-local: the Scheduler port with in-process timers and a small UTC cron parser. */
export { createLocalScheduler } from './local-scheduler.js';
export type { JobStatus, LocalScheduler, LocalSchedulerOptions } from './local-scheduler.js';
export { nextCronTime, parseCron } from './cron.js';
export type { CronPattern } from './cron.js';
