/**
 * @mosy/scheduler-local: the Scheduler port with in-process timers, reading cron patterns with cron-parser as
 * BullMQ does.
 */
export { createLocalScheduler } from './local-scheduler.js';
export type { JobStatus, LocalScheduler, LocalSchedulerOptions } from './local-scheduler.js';
