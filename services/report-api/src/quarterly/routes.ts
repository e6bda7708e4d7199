/**
 * The quarterly exports' HTTP routes, for coordinators: list, preview, download (audited, with the artefact's
 * SHA-256 in `Repr-Digest` and as the ETag), build a draft, publish, revise. Without exports (no reporting
 * country configured) every route answers 404 saying what to configure.
 */
import express, { type Router } from 'express';
import { MosyError, parseQuarter, quarterClosesAt, type QuarterlyFormat } from '@mosy/core';
import {
  jsonHandler,
  mountRoute,
  principalOf,
  rawHandler,
  requireRole,
  type Authenticator,
} from '@mosy/http';
import {
  DOWNLOAD_EXPORT,
  DRAFT_EXPORT,
  LIST_EXPORTS,
  PREVIEW_EXPORT,
  PUBLISH_EXPORT,
  REVISE_EXPORT,
} from '../api/exports.js';
import type { QuarterlyExports } from './exports.js';

export interface ExportRoutesDeps {
  readonly authenticate: Authenticator;
  readonly exports?: QuarterlyExports;
  readonly now: () => number;
}

const EXTENSIONS: Readonly<Record<QuarterlyFormat, string>> = {
  'sdmx-csv': 'sdmx.csv',
  csv: 'csv',
  json: 'json',
  'metadata-csv': 'metadata.csv',
  'metadata-json': 'metadata.json',
};

export function createExportRoutes(deps: ExportRoutesDeps): Router {
  const router = express.Router();
  const coordinators = requireRole(deps.authenticate, 'coordinator');
  const exportsOf = (): QuarterlyExports => {
    if (deps.exports === undefined)
      throw new MosyError(
        'not-found',
        'The quarterly exports need the reporting country: set MOSY_REPORTING_COUNTRY (e.g. PT) and restart.',
      );
    return deps.exports;
  };

  mountRoute(
    router,
    LIST_EXPORTS,
    coordinators,
    jsonHandler(LIST_EXPORTS)(async () => ({ versions: await exportsOf().list() })),
  );
  mountRoute(
    router,
    PREVIEW_EXPORT,
    coordinators,
    jsonHandler(PREVIEW_EXPORT)(async ({ params }) => {
      const exports = exportsOf();
      const revision = Number(params.revision);
      const version = (await exports.list(params.period)).find((v) => v.revision === revision);
      if (version === undefined)
        throw new MosyError('not-found', `No version ${revision} of the quarterly report ${params.period}.`);
      const [json, sheet] = await Promise.all([
        exports.read(params.period, revision, 'json'),
        exports.read(params.period, revision, 'metadata-json'),
      ]);
      const { observations } = JSON.parse(json.content) as { observations: [] };
      return { version, metadata: JSON.parse(sheet.content) as Record<string, unknown>, observations };
    }),
  );
  mountRoute(
    router,
    DOWNLOAD_EXPORT,
    coordinators,
    rawHandler(DOWNLOAD_EXPORT)(async ({ params, req, res }) => {
      const revision = Number(params.revision);
      const artefact = await exportsOf().download(params.period, revision, params.format, principalOf(req));
      const name = `mosy-cki-${params.period}-r${revision}.${EXTENSIONS[params.format]}`;
      res
        .status(200)
        .type(artefact.mediaType)
        .set('Content-Disposition', `attachment; filename="${name}"`)
        .set('Repr-Digest', `sha-256=:${Buffer.from(artefact.sha256, 'hex').toString('base64')}:`)
        .set('ETag', `"${artefact.sha256}"`)
        .send(artefact.content);
    }),
  );
  mountRoute(
    router,
    DRAFT_EXPORT,
    coordinators,
    jsonHandler(DRAFT_EXPORT)(async ({ params, req }) => {
      const quarter = parseQuarter(params.period);
      if (quarterClosesAt(quarter) > deps.now())
        throw new MosyError('invalid-request', `The quarter ${params.period} has not closed yet.`);
      return exportsOf().draft(quarter, principalOf(req));
    }),
  );
  mountRoute(
    router,
    PUBLISH_EXPORT,
    coordinators,
    jsonHandler(PUBLISH_EXPORT)(({ params, req }) =>
      exportsOf().publish(params.period, Number(params.revision), principalOf(req)),
    ),
  );
  mountRoute(
    router,
    REVISE_EXPORT,
    coordinators,
    jsonHandler(REVISE_EXPORT)(({ params, req }) => exportsOf().revise(params.period, principalOf(req))),
  );
  return router;
}
