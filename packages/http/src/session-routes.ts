/**
 * The web app's sign-in: `POST /v1/session` exchanges an API key for a session cookie (HttpOnly, SameSite=Strict,
 * Secure over https, Path=/), `GET /v1/session` says who is signed in, `DELETE /v1/session` signs out. The cookie
 * holds only a random session id; the key stays on the server as its hash (`session.ts`).
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { MosyError } from '@mosy/core';
import { principalOf, requireRole, type Authenticator, type KeyVerifier } from './auth.js';
import { jsonBody } from './json-body.js';
import { defineRoute } from './route.js';
import { SESSION_COOKIE, sessionIdOf, type SessionStore } from './session.js';
import { jsonHandler, mountRoute } from './validate.js';

const WhoAmISchema = z
  .strictObject({
    role: z.enum(['provider', 'analyst', 'coordinator', 'admin']),
    providerId: z.string().optional(),
  })
  .meta({ id: 'WhoAmI', description: 'The role (and provider) of the signed-in key.' });

export const SIGN_IN = defineRoute({
  method: 'post',
  path: '/v1/session',
  operationId: 'signIn',
  summary:
    'Exchanges an API key for a session cookie (HttpOnly, SameSite=Strict); send `X-Requested-With` as well.',
  tags: ['session'],
  public: true,
  body: {
    'application/json': z.strictObject({ key: z.string().min(1).meta({ description: 'An API key.' }) }),
  },
  responses: { 200: { description: 'Signed in.', content: { 'application/json': WhoAmISchema } } },
  problems: [400, 401, 403],
});

export const WHO_AM_I = defineRoute({
  method: 'get',
  path: '/v1/session',
  operationId: 'whoAmI',
  summary: 'The role and provider of the session (or key) making the request.',
  tags: ['session'],
  responses: { 200: { description: 'Signed in.', content: { 'application/json': WhoAmISchema } } },
  problems: [401],
});

export const SIGN_OUT = defineRoute({
  method: 'delete',
  path: '/v1/session',
  operationId: 'signOut',
  summary: 'Ends the session and clears its cookie; send `X-Requested-With`.',
  tags: ['session'],
  responses: { 204: { description: 'Signed out.' } },
  problems: [401, 403],
});

export const SESSION_ROUTES = [SIGN_IN, WHO_AM_I, SIGN_OUT] as const;

export interface SessionRoutesOptions {
  readonly sessions: SessionStore;
  readonly verifier: KeyVerifier;
  /** Must be built with the same `sessions`. */
  readonly authenticate: Authenticator;
}

function setCookie(req: Request, res: Response, value: string, maxAgeSeconds: number): void {
  const secure = req.secure ? '; Secure' : '';
  res.append(
    'Set-Cookie',
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`,
  );
}

export function createSessionRoutes({ sessions, verifier, authenticate }: SessionRoutesOptions): Router {
  const router = express.Router();
  const anyRole = requireRole(authenticate, 'provider', 'analyst', 'coordinator', 'admin');
  mountRoute(
    router,
    SIGN_IN,
    jsonBody({ limit: '4kb' }),
    jsonHandler(SIGN_IN)(async ({ body, req, res }) => {
      // A cross-site form cannot set this header: no other site can sign a browser in with its own key.
      if (req.get('x-requested-with') === undefined)
        throw new MosyError('forbidden', 'Send X-Requested-With with the sign-in request.');
      const credential = verifier.credentialOf(body.key);
      const principal = await verifier.principalOf(credential);
      // A node key is a machine credential for the hub's publish routes, never a browser session.
      if (principal.role === 'node')
        throw new MosyError('forbidden', 'A node key publishes to the hub; it cannot sign in.');
      const previous = sessionIdOf(req);
      if (previous !== undefined) await sessions.delete(previous);
      setCookie(req, res, await sessions.create(credential), sessions.maxAgeSeconds);
      return {
        role: principal.role,
        ...(principal.providerId === undefined ? {} : { providerId: principal.providerId }),
      };
    }),
  );
  mountRoute(
    router,
    WHO_AM_I,
    anyRole,
    jsonHandler(WHO_AM_I)(({ req }) => {
      const { role, providerId } = principalOf(req);
      if (role === 'node') throw new MosyError('internal', 'A node key reached whoAmI.');
      return Promise.resolve({ role, ...(providerId === undefined ? {} : { providerId }) });
    }),
  );
  mountRoute(
    router,
    SIGN_OUT,
    anyRole,
    jsonHandler(SIGN_OUT)(async ({ req, res }) => {
      const id = sessionIdOf(req);
      if (id !== undefined) await sessions.delete(id);
      setCookie(req, res, '', 0);
      return undefined;
    }),
  );
  return router;
}
