/**
 * The ingest service: `createIngest(deps)` returns its HTTP router (submissions, receipts, provider quality, admin)
 * and the `submit` function behind it, which the embedded runtime also uses to load the demo data.
 */
import express, { type Router } from 'express';
import type { EventBus, IntakeLedger, Registry, SubmissionReceipt } from '@mosy/core';
import type { Authenticator } from '@mosy/http';
import { adminRoutes } from './admin.js';
import { DEFAULT_LIMITS, submissionRoutes, type SubmissionLimits } from './routes.js';
import { createSubmissionHandler, type SubmitFn } from './submissions.js';

export interface IngestDeps {
  readonly bus: EventBus;
  readonly registry: Registry;
  readonly ledger: IntakeLedger;
  readonly authenticate: Authenticator;
  readonly limits?: Partial<SubmissionLimits>;
  readonly now?: () => number;
  readonly onReceipt?: (receipt: SubmissionReceipt) => void;
}

export interface Ingest {
  readonly router: Router;
  readonly submit: SubmitFn;
}

export function createIngest(deps: IngestDeps): Ingest {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const submit = createSubmissionHandler(deps);
  const router = express.Router();
  router.use(
    submissionRoutes({
      authenticate: deps.authenticate,
      submit,
      ledger: deps.ledger,
      registry: deps.registry,
      limits,
    }),
  );
  router.use(
    adminRoutes({
      authenticate: deps.authenticate,
      registry: deps.registry,
      ledger: deps.ledger,
      maxBodyBytes: limits.maxBodyBytes,
      ...(deps.now === undefined ? {} : { now: deps.now }),
    }),
  );
  return { router, submit };
}
