/**
 * Authentication and role checks. Keys are random secrets shown once; only their SHA-256 is stored, and a key is
 * looked up by that hash on every request so revocation takes effect at once. The bootstrap admin token from the
 * environment is compared in constant time. Routes declare the roles they allow with `requireRole`. With a session
 * store, a request without a bearer key may instead carry the web app's session cookie (`session.ts`); a
 * cookie-authenticated request that changes state must also send `X-Requested-With` (besides SameSite=Strict), a
 * header no cross-site form can set.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MosyError, type Registry, type Role } from '@mosy/core';
import { sessionIdOf, type Credential, type SessionStore } from './session.js';

export interface Principal {
  readonly role: Role;
  /** Set for provider keys. */
  readonly providerId?: string;
  /** Set for node keys: the country they publish for. */
  readonly country?: string;
  /** `bootstrap` for the admin token. */
  readonly keyId: string;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new random key for a role; the caller stores `hash` and shows `key` once. */
export function generateApiKey(role: Role): { id: string; key: string; hash: string } {
  const key = `mosy_${role}_${randomBytes(24).toString('base64url')}`;
  return { id: `key_${randomBytes(8).toString('hex')}`, key, hash: hashKey(key) };
}

/**
 * Whether two secrets are equal, in time that does not depend on where they differ: `timingSafeEqual` on their
 * SHA-256 digests, which always have the same length (32 bytes), so neither the length of the secret nor the
 * position of its first wrong byte shows in the time taken.
 */
export function secretsEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

export interface AuthOptions {
  readonly registry: Registry;
  /** The bootstrap admin token (`MOSY_ADMIN_TOKEN`); undefined disables it. */
  readonly adminToken?: string;
  /** Browser sessions: when given, a session cookie authenticates a request that has no bearer key. */
  readonly sessions?: SessionStore;
}

/** Methods that change nothing: a cookie-authenticated request with another method needs `X-Requested-With`. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Turns a presented key into a credential and a credential into its principal (both for keys and sessions). */
export function createKeyVerifier({ registry, adminToken }: Pick<AuthOptions, 'registry' | 'adminToken'>) {
  const credentialOf = (token: string): Credential =>
    adminToken !== undefined && adminToken.length > 0 && secretsEqual(token, adminToken)
      ? { kind: 'bootstrap' }
      : { kind: 'key', hash: hashKey(token) };
  async function principalOf(credential: Credential): Promise<Principal> {
    if (credential.kind === 'bootstrap') return { role: 'admin', keyId: 'bootstrap' };
    const key = await registry.findKey(credential.hash);
    if (key === undefined) throw new MosyError('unauthenticated', 'The API key is not valid.');
    if (key.revokedAt !== undefined) throw new MosyError('unauthenticated', 'The API key has been revoked.');
    return {
      role: key.role,
      keyId: key.id,
      ...(key.providerId === undefined ? {} : { providerId: key.providerId }),
      ...(key.country === undefined ? {} : { country: key.country }),
    };
  }
  return { credentialOf, principalOf };
}

export type KeyVerifier = ReturnType<typeof createKeyVerifier>;

/** Resolves the bearer credential (or the session cookie) of a request to a principal, or throws `unauthenticated`. */
export function createAuthenticator(options: AuthOptions) {
  const verifier = createKeyVerifier(options);
  const { sessions } = options;
  return async function authenticate(req: Request): Promise<Principal> {
    const header = req.get('authorization') ?? '';
    const sessionId = header === '' && sessions !== undefined ? sessionIdOf(req) : undefined;
    if (sessionId !== undefined && sessions !== undefined) {
      const credential = await sessions.get(sessionId);
      if (credential === undefined)
        throw new MosyError('unauthenticated', 'The session has ended; sign in again.');
      if (!SAFE_METHODS.has(req.method) && req.get('x-requested-with') === undefined)
        throw new MosyError(
          'forbidden',
          'A request signed in by cookie that changes state must send X-Requested-With.',
        );
      return verifier.principalOf(credential);
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new MosyError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>".');
    return verifier.principalOf(verifier.credentialOf(match[1]));
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

const PRINCIPAL = Symbol('mosy.principal');
type WithPrincipal = Request & { [PRINCIPAL]?: Principal };

/** Middleware: authenticates, then lets only the given roles through (`forbidden` otherwise). */
export function requireRole(authenticate: Authenticator, ...roles: Role[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    authenticate(req)
      .then((principal) => {
        if (!roles.includes(principal.role)) {
          throw new MosyError(
            'forbidden',
            `This endpoint is for the role(s) ${roles.join(', ')}; the key has role ${principal.role}.`,
          );
        }
        (req as WithPrincipal)[PRINCIPAL] = principal;
        next();
      })
      .catch(next);
  };
}

/** The principal that `requireRole` put on the request. */
export function principalOf(req: Request): Principal {
  const principal = (req as WithPrincipal)[PRINCIPAL];
  if (principal === undefined) throw new MosyError('internal', 'Route reached without authentication.');
  return principal;
}
