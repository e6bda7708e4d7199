/**
 * HTTP routes of the ingest service: submissions (JSON, CSV or an HTCDS .xlsx workbook, or a dry run that answers the
 * receipt and keeps nothing), receipts, quality counts and the provider's own mapping, for provider keys. Body size and
 * record count are limited; everything above the limits is refused whole with problem+json before any record is
 * looked at, so a refused request changes nothing.
 */
import express, { type Router } from 'express';
import { MosyError, type IntakeLedger, type Registry } from '@mosy/core';
import { jsonBody, jsonHandler, mountRoute, principalOf, requireRole, type Authenticator } from '@mosy/http';
import { GET_SUBMISSION, OWN_MAPPING, PROVIDER_QUALITY, SUBMIT, XLSX_MEDIA_TYPE } from './api/submissions.js';
import { charsetOf, readCsvSubmission } from './csv.js';
import { readHtcdsWorkbook } from './xlsx.js';
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
  registry: Registry;
  limits: SubmissionLimits;
}): Router {
  const { authenticate, submit, ledger, registry, limits } = deps;
  const router = express.Router();
  const providerOnly = requireRole(authenticate, 'provider');
  const providerOf = (principal: { providerId?: string }): string => {
    if (principal.providerId === undefined)
      throw new MosyError('forbidden', 'This key is not bound to a provider.');
    return principal.providerId;
  };

  mountRoute(
    router,
    SUBMIT,
    providerOnly,
    jsonBody({ limit: limits.maxBodyBytes, type: ['application/json', 'application/*+json'] }),
    // Bytes, not text: the encoding is detected from them (csv.ts).
    express.raw({ limit: limits.maxBodyBytes, type: ['text/csv', XLSX_MEDIA_TYPE] }),
    jsonHandler(SUBMIT)(async ({ req, body, query }) => {
      const providerId = providerOf(principalOf(req));
      const { records, csv } = !Buffer.isBuffer(body)
        ? { records: body.records, csv: undefined }
        : req.is(XLSX_MEDIA_TYPE) === XLSX_MEDIA_TYPE
          ? { records: await readHtcdsWorkbook(body, limits), csv: undefined }
          : readCsvSubmission(body, charsetOf(req.headers['content-type']));
      // A CSV body is only known to be records once parsed, so its count is checked here for both.
      if (records.length === 0) throw new MosyError('invalid-request', '"records" is empty.');
      if (records.length > limits.maxRecords) {
        throw new MosyError(
          'payload-too-large',
          `A submission holds at most ${limits.maxRecords} records; this one has ${records.length}. Split it.`,
        );
      }
      return submit(providerId, records, csv, { dryRun: query.dryRun === 'true' });
    }),
  );

  mountRoute(
    router,
    GET_SUBMISSION,
    providerOnly,
    jsonHandler(GET_SUBMISSION)(async ({ req, params }) => {
      const receipt = await ledger.getReceipt(providerOf(principalOf(req)), params.submissionId);
      if (receipt === undefined)
        throw new MosyError('not-found', 'No submission of this provider has that id.');
      return receipt;
    }),
  );

  mountRoute(
    router,
    PROVIDER_QUALITY,
    providerOnly,
    jsonHandler(PROVIDER_QUALITY)(async ({ req }) => {
      const providerId = providerOf(principalOf(req));
      return { providerId, counts: await ledger.quality(providerId) };
    }),
  );

  mountRoute(
    router,
    OWN_MAPPING,
    providerOnly,
    jsonHandler(OWN_MAPPING)(async ({ req }) => {
      const providerId = providerOf(principalOf(req));
      const provider = await registry.getProvider(providerId);
      const mapping = provider === undefined ? undefined : await registry.getMapping(providerId);
      if (provider === undefined || mapping === undefined)
        throw new MosyError('forbidden', `Provider ${providerId} is not registered.`);
      return { provider, mapping };
    }),
  );

  return router;
}
