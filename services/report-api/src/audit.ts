/**
 * The audit side of the report API: who may see unprotected values, the audit entry written before they are
 * served, and `GET /v1/audit` for coordinators and admins. An analyst asking for unprotected values gets 403, and the
 * refusal is audited; a coordinator's read is recorded first, so a read that could not be audited fails instead of going unrecorded.
 * `createMemoryAuditLog` is an in-process log for tests and single-process demos; deployments use a store's.
 */
import express, { type Request, type Router } from 'express';
import { MosyError, type AuditEntry, type AuditLog } from '@mosy/core';
import { jsonHandler, mountRoute, principalOf, requireRole, type Authenticator } from '@mosy/http';
import { AUDIT } from './api/meta.js';

/** `protected`: disclosure control applies (everyone's default); `none`: the true values (coordinators only). */
export type Protection = 'protected' | 'none';

/** The audit action of a read of unprotected values. */
export const READ_UNPROTECTED = 'read-unprotected';
/** The audit action of a request for unprotected values from a role that may not have them (answered 403). */
export const REFUSED_UNPROTECTED = 'refused-unprotected';
/** The audit action of a request to read the audit log itself from a role that may not (answered 403). */
export const REFUSED_AUDIT_READ = 'refused-audit-read';

/** Roles that may read the audit log. */
const AUDIT_READERS: readonly string[] = ['coordinator', 'admin'];

/** Roles that may ask for `protection=none`; every such read is audited. */
const PRIVILEGED: readonly string[] = ['coordinator'];

/**
 * Reads the `protection` parameter of a report request, whose values the route's schema has checked: absent or
 * `protected` → `protected`; `none` → `none` for a coordinator, after an audit entry is durable.
 * @throws MosyError `forbidden` for `none` from any other role.
 */
export async function resolveProtection(
  req: Request,
  audit: AuditLog,
  now: () => number,
): Promise<Protection> {
  if (req.query.protection !== 'none') return 'protected';
  const principal = principalOf(req);
  const queryAt = req.originalUrl.indexOf('?');
  const entry = {
    at: now(),
    keyId: principal.keyId,
    role: principal.role,
    resource: req.path,
    query: queryAt < 0 ? '' : req.originalUrl.slice(queryAt + 1),
  };
  if (!PRIVILEGED.includes(principal.role)) {
    // An attempt at values the key may not see is what an auditor looks for first: it is recorded too.
    await audit.record({ ...entry, action: REFUSED_UNPROTECTED });
    throw new MosyError(
      'forbidden',
      `Unprotected values are for coordinators; the key has role ${principal.role}. Leave out protection=none.`,
    );
  }
  await audit.record({ ...entry, action: READ_UNPROTECTED });
  return 'none';
}

/**
 * `GET /v1/audit?since=<epoch ms>&limit=<n>`: the audit log, newest first; coordinators and admins. Any other key
 * gets 403, and the attempt is itself recorded: who tried to read who read what is worth knowing.
 */
export function createAuditRouter(audit: AuditLog, authenticate: Authenticator, now: () => number): Router {
  const router = express.Router();
  mountRoute(
    router,
    AUDIT,
    requireRole(authenticate, 'provider', 'analyst', 'coordinator', 'admin'),
    (req, _res, next) => {
      const principal = principalOf(req);
      if (AUDIT_READERS.includes(principal.role)) {
        next();
        return;
      }
      const queryAt = req.originalUrl.indexOf('?');
      audit
        .record({
          at: now(),
          keyId: principal.keyId,
          role: principal.role,
          action: REFUSED_AUDIT_READ,
          resource: req.path,
          query: queryAt < 0 ? '' : req.originalUrl.slice(queryAt + 1),
        })
        .then(() => {
          next(
            new MosyError(
              'forbidden',
              `This endpoint is for the role(s) ${AUDIT_READERS.join(', ')}; the key has role ${principal.role}.`,
            ),
          );
        }, next);
    },
    jsonHandler(AUDIT)(async ({ query }) => ({
      entries: await audit.list({
        ...(query.since === undefined ? {} : { since: Number(query.since) }),
        ...(query.limit === undefined ? {} : { limit: Number(query.limit) }),
      }),
    })),
  );
  return router;
}

/** An audit log held in memory: for tests and throwaway demos only, as it is lost when the process ends. */
export function createMemoryAuditLog(): AuditLog {
  const entries: AuditEntry[] = [];
  return {
    record(entry) {
      entries.push({ ...entry });
      return Promise.resolve();
    },
    list(options = {}) {
      const since = options.since ?? Number.NEGATIVE_INFINITY;
      const limit = options.limit ?? 1000;
      const selected = entries
        .map((entry, order) => ({ entry, order }))
        .filter(({ entry }) => entry.at >= since)
        .sort((a, b) => b.entry.at - a.entry.at || b.order - a.order)
        .slice(0, limit)
        .map(({ entry }) => ({ ...entry }));
      return Promise.resolve(selected);
    },
  };
}
