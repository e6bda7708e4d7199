/**
 * HTTP routes of the ingest service: submissions (JSON or CSV) and receipts, for provider keys. Body size and
 * record count are limited; everything above the limits is refused whole with problem+json before any record is
 * looked at, so a refused request changes nothing.
 */
import express, { type Request, type Router } from 'express';
import { MosyError } from '@mosy/core';
import { jsonRoute, principalOf, requireRole, type Authenticator } from '@mosy/http';
import type { IntakeLedger } from '@mosy/core';
import { parseCsvSubmission } from './csv.js';
import type { SubmitFn } from './submissions.js';

export interface SubmissionLimits {
  /** @defaultValue 16 MiB */
  readonly maxBodyBytes: number;
  /** @defaultValue 10 000 */
  readonly maxRecords: number;
}

export const DEFAULT_LIMITS: SubmissionLimits = { maxBodyBytes: 16 * 1024 * 1024, maxRecords: 10_000 };

export function submissionRoutes(deps: {
  authenticate: Authenticator;
  submit: SubmitFn;
  ledger: IntakeLedger;
  limits: SubmissionLimits;
}): Router {
  const { authenticate, submit, ledger, limits } = deps;
  const router = express.Router();
  const providerOnly = requireRole(authenticate, 'provider');

  router.post(
    '/v1/submissions',
    providerOnly,
    express.json({
      limit: limits.maxBodyBytes,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
    express.text({ limit: limits.maxBodyBytes, type: ['text/csv'] }),
    jsonRoute(async (req) => {
      const providerId = principalOf(req).providerId;
      if (providerId === undefined) throw new MosyError('forbidden', 'This key is not bound to a provider.');
      return submit(providerId, recordsOf(req, limits.maxRecords));
    }, 202),
  );

  router.get(
    '/v1/submissions/:submissionId',
    providerOnly,
    jsonRoute(async (req) => {
      const providerId = principalOf(req).providerId ?? '';
      const receipt = await ledger.getReceipt(providerId, String(req.params.submissionId));
      if (receipt === undefined)
        throw new MosyError('not-found', 'No submission of this provider has that id.');
      return receipt;
    }),
  );

  router.get(
    '/v1/quality',
    providerOnly,
    jsonRoute(async (req) => ({
      providerId: principalOf(req).providerId,
      counts: await ledger.quality(principalOf(req).providerId),
    })),
  );

  return router;
}

function recordsOf(req: Request, maxRecords: number): unknown[] {
  const type = req.get('content-type') ?? '';
  let records: unknown;
  if (/^text\/csv/i.test(type)) {
    records = parseCsvSubmission(typeof req.body === 'string' ? req.body : '');
  } else if (/json/i.test(type)) {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new MosyError('invalid-request', 'The body must be a JSON object {"records": [...]}.');
    }
    const extra = Object.keys(body).filter((k) => k !== 'records');
    if (extra.length > 0) {
      throw new MosyError(
        'unknown-field',
        `Unknown top-level field(s): ${extra.join(', ')}. The body is {"records": [...]}.`,
      );
    }
    records = (body as { records?: unknown }).records;
  } else {
    throw new MosyError('unsupported-media-type', 'Send application/json ({"records": [...]}) or text/csv.');
  }
  if (!Array.isArray(records))
    throw new MosyError('invalid-request', '"records" must be an array of records.');
  if (records.length === 0) throw new MosyError('invalid-request', '"records" is empty.');
  if (records.length > maxRecords) {
    throw new MosyError(
      'payload-too-large',
      `A submission holds at most ${maxRecords} records; this one has ${records.length}. Split it.`,
    );
  }
  return records;
}
