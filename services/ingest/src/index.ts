/** @mosy/ingest: accepts provider submissions and runs the admin API. */
export { createIngest } from './app.js';
export type { Ingest, IngestDeps } from './app.js';
export { DEFAULT_LIMITS } from './routes.js';
export type { SubmissionLimits } from './routes.js';
export type { IndexedReceipt, SubmissionResult, SubmitFn } from './submissions.js';
export { INGEST_ROUTES } from './api/routes.js';
