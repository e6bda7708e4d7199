/**
 * The API description as routes: `GET /openapi.json` (the generated OpenAPI 3.1 document) and `GET /docs`, a small
 * self-contained page that renders it (no CDN, no network beyond fetching the document from the same origin), and
 * `GET /healthz`. Both documentation routes are public: they describe the API, not its data. The definitions here
 * put these routes into the document like any other.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { DOCS_PAGE } from './docs-page.js';
import type { OpenApiDocument } from './openapi.js';
import { defineRoute } from './route.js';

export const HEALTH_ROUTE = defineRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'health',
  summary: 'Liveness.',
  tags: ['meta'],
  public: true,
  responses: {
    200: {
      description: 'Alive.',
      content: { 'application/json': z.strictObject({ status: z.literal('ok') }) },
    },
  },
  problems: [],
});

export const DOCS_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApi',
    summary: 'This document.',
    tags: ['meta'],
    public: true,
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document.',
        content: {
          'application/json': z.looseObject({
            openapi: z.string(),
            paths: z.record(z.string(), z.unknown()),
          }),
        },
      },
    },
    problems: [],
  }),
  defineRoute({
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'A readable page of this document (self-contained HTML).',
    tags: ['meta'],
    public: true,
    responses: { 200: { description: 'HTML.', content: { 'text/html': z.string() } } },
    problems: [],
  }),
] as const;

/** Routes: `GET /openapi.json` serving `document`, and `GET /docs`. */
export function createApiDocsRoutes(document: OpenApiDocument): Router {
  const router = express.Router();
  const body = JSON.stringify(document);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  router.get('/docs', (_req, res) => {
    // The page runs only its own inline script and reads only this origin; like the API, it is never framed.
    res
      .type('text/html; charset=utf-8')
      .set(
        'Content-Security-Policy',
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; " +
          "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      )
      .send(DOCS_PAGE);
  });
  return router;
}
