/**
 * Security headers on every response, errors and unknown routes included: the API serves JSON, problem+json, CSV
 * and one documentation page, none of which should be sniffed as another type, framed, cached by a shared cache
 * or leak its URL (which holds the query) as a referrer. The Content-Security-Policy forbids everything, which fits
 * data that is never rendered; `/docs` sets its own policy for its inline script and style. HSTS is sent only over
 * https (or always or never, by setting), since a browser keeps it for a year.
 */
import type { RequestHandler } from 'express';

/** `auto`: only when the request came over https (`req.secure`, which honours express's `trust proxy`). */
export type HstsMode = 'auto' | 'on' | 'off';

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(options: { readonly hsts: HstsMode }): RequestHandler {
  return (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (options.hsts === 'on' || (options.hsts === 'auto' && req.secure))
      res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
