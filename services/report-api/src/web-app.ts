/**
 * Serves the built web app (`web/dist`, from `turbo run build`) at `/`: static files only, under a strict
 * Content-Security-Policy (scripts, styles and connections from this origin only; no inline script, no frames), so
 * the page makes no request that leaves the machine. Vite names assets by their content hash, so they are cached
 * for a year; `index.html` is revalidated on each load so a new build is picked up at once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

/** `web/dist` of this repository, from `src/` or `dist/` of this package alike. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The app's routes, or none when the folder holds no build (the JSON API works without it). */
export function createWebAppRoutes(dir: string = DEFAULT_WEB_DIR): Router {
  const router = express.Router();
  if (!existsSync(join(dir, 'index.html'))) return router;
  router.use(
    express.static(dir, {
      index: 'index.html',
      redirect: false,
      setHeaders(res, path) {
        res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader(
          'Cache-Control',
          path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  return router;
}
