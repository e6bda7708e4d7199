/**
 * Browser sessions: the web app exchanges an API key for a random session id held in an HttpOnly cookie, so the key
 * is never kept where the page's scripts could read it. A session has an absolute and an idle expiry. This file's
 * store keeps sessions in the process's memory (the embedded runtime: one process); the distributed runtime shares
 * them between its services and replicas in Redis (`@mosy/distributed`), so the store's calls are asynchronous. A
 * session holds the credential (the key's hash, or the bootstrap token's mark), not the
 * principal, so the authenticator resolves it again on each request and a revoked key ends its sessions at once.
 */
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';

/** The session cookie's name. */
export const SESSION_COOKIE = 'mosy_session';

/** What a session stands for: the bootstrap admin token, or a key by its SHA-256. */
export type Credential = { readonly kind: 'bootstrap' } | { readonly kind: 'key'; readonly hash: string };

export interface SessionStoreOptions {
  /** A session ends this long after it began. @defaultValue 8 hours */
  readonly maxAgeMs?: number;
  /** A session ends after this long without a request. @defaultValue 30 minutes */
  readonly idleMs?: number;
  /** @defaultValue `Date.now` */
  readonly now?: () => number;
}

export interface SessionStore {
  /** Starts a session for the credential and returns its id (256 random bits). */
  create(credential: Credential): Promise<string>;
  /** The credential of a live session, touching it; undefined when unknown or expired. */
  get(id: string): Promise<Credential | undefined>;
  delete(id: string): Promise<void>;
  /** Seconds until the session's absolute expiry: the cookie's `Max-Age`. */
  readonly maxAgeSeconds: number;
}

/** A new session id: 256 random bits. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');

/** Whether a session begun at `createdAt` and last used at `lastSeen` has ended at `t`. */
export function sessionExpired(
  session: { readonly createdAt: number; readonly lastSeen: number },
  t: number,
  limits: { readonly maxAgeMs: number; readonly idleMs: number },
): boolean {
  return t - session.createdAt > limits.maxAgeMs || t - session.lastSeen > limits.idleMs;
}

interface Session {
  readonly credential: Credential;
  readonly createdAt: number;
  lastSeen: number;
}

export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const maxAgeMs = options.maxAgeMs ?? 8 * 3_600_000;
  const idleMs = options.idleMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const expired = (s: Session, t: number): boolean => sessionExpired(s, t, { maxAgeMs, idleMs });
  // Dropping expired sessions on each start keeps the map bounded without a timer that would hold the process.
  const sweep = (t: number): void => {
    for (const [id, s] of sessions) if (expired(s, t)) sessions.delete(id);
  };
  return {
    create(credential) {
      const t = now();
      sweep(t);
      const id = newSessionId();
      sessions.set(id, { credential, createdAt: t, lastSeen: t });
      return Promise.resolve(id);
    },
    get(id) {
      const session = sessions.get(id);
      if (session === undefined) return Promise.resolve(undefined);
      const t = now();
      if (expired(session, t)) {
        sessions.delete(id);
        return Promise.resolve(undefined);
      }
      session.lastSeen = t;
      return Promise.resolve(session.credential);
    },
    delete(id) {
      sessions.delete(id);
      return Promise.resolve();
    },
    maxAgeSeconds: Math.floor(maxAgeMs / 1000),
  };
}

/** The session id from the request's `Cookie` header, if any. */
export function sessionIdOf(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}
