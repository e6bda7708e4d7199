/**
 * Serves the API description: `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /docs`, a small
 * self-contained page that renders it (no CDN, no network beyond fetching the document from the same origin).
 * Both are public: they describe the API, not its data.
 */
import express, { type Router } from 'express';
import { createOpenApiDocument } from './document.js';
import { DOCS_PAGE } from './docs-page.js';

/** Routes: `GET /openapi.json` and `GET /docs`. */
export function createOpenApiRoutes(): Router {
  const router = express.Router();
  const body = JSON.stringify(createOpenApiDocument());
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  router.get('/docs', (_req, res) => {
    // The page runs only its own inline script and reads only this origin.
    res
      .type('text/html; charset=utf-8')
      .set(
        'Content-Security-Policy',
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      )
      .send(DOCS_PAGE);
  });
  return router;
}
