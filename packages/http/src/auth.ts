/**
 * Authentication and role checks. Keys are random secrets shown once; only their SHA-256 is stored, and a key is
 * looked up by that hash on every request so revocation takes effect at once. The bootstrap admin token from the
 * environment is compared in constant time. Routes declare the roles they allow with `requireRole`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MosyError, type Registry, type Role } from '@mosy/core';

export interface Principal {
  readonly role: Role;
  /** Set for provider keys. */
  readonly providerId?: string;
  /** `bootstrap` for the admin token. */
  readonly keyId: string;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new random key for a role; the caller stores `hash` and shows `key` once. */
export function generateApiKey(role: Role): { id: string; key: string; hash: string } {
  const key = `mosy_${role}_${randomBytes(24).toString('base64url')}`;
  return { id: `key_${randomBytes(8).toString('hex')}`, key, hash: hashKey(key) };
}

function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

export interface AuthOptions {
  readonly registry: Registry;
  /** The bootstrap admin token (`MOSY_ADMIN_TOKEN`); undefined disables it. */
  readonly adminToken?: string;
}

/** Resolves the bearer credential of a request to a principal, or throws `unauthenticated`. */
export function createAuthenticator({ registry, adminToken }: AuthOptions) {
  return async function authenticate(req: Request): Promise<Principal> {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new MosyError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>".');
    const token = match[1];
    if (adminToken !== undefined && adminToken.length > 0 && sameSecret(token, adminToken)) {
      return { role: 'admin', keyId: 'bootstrap' };
    }
    const key = await registry.findKey(hashKey(token));
    if (key === undefined) throw new MosyError('unauthenticated', 'The API key is not valid.');
    if (key.revokedAt !== undefined) throw new MosyError('unauthenticated', 'The API key has been revoked.');
    return {
      role: key.role,
      keyId: key.id,
      ...(key.providerId === undefined ? {} : { providerId: key.providerId }),
    };
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
