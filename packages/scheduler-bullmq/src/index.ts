/** @mosy/scheduler-bullmq: the Scheduler port on BullMQ and Redis, each occurrence run once across processes. */
export { createBullMqScheduler } from './bullmq-scheduler.js';
export type { BullMqSchedulerLogger, BullMqSchedulerOptions } from './bullmq-scheduler.js';
export { toRepeatOptions, validateCron } from './schedule.js';
export type { CronRepeatOptions, RepeatOptions } from './schedule.js';
