/**
 * The admin API: providers with their mappings, and API keys. Authorised by the bootstrap token
 * (`MOSY_ADMIN_TOKEN`) or an admin key. Every new key is returned once, in the response that creates it; only its
 * hash is stored.
 */
import express, { type Router } from 'express';
import {
  MosyError,
  PROVIDER_TYPES,
  ROLES,
  isCode,
  parseMapping,
  type IntakeLedger,
  type ProviderType,
  type Registry,
  type Role,
} from '@mosy/core';
import { generateApiKey, jsonRoute, requireRole, type Authenticator } from '@mosy/http';

const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function adminRoutes(deps: {
  authenticate: Authenticator;
  registry: Registry;
  ledger: IntakeLedger;
  now?: () => number;
  maxBodyBytes: number;
}): Router {
  const { authenticate, registry, ledger, now = Date.now } = deps;
  const router = express.Router();
  router.use('/v1/admin', requireRole(authenticate, 'admin'), express.json({ limit: deps.maxBodyBytes }));

  const issueKey = async (role: Role, providerId?: string, label?: string) => {
    const { id, key, hash } = generateApiKey(role);
    await registry.createKey({
      id,
      hash,
      role,
      createdAt: now(),
      ...(providerId === undefined ? {} : { providerId }),
      ...(label === undefined ? {} : { label }),
    });
    return { id, key, role, ...(providerId === undefined ? {} : { providerId }) };
  };

  router.post(
    '/v1/admin/providers',
    jsonRoute(async (req) => {
      const body = objectBody(req.body, ['id', 'type', 'name', 'mapping']);
      const { id, type, name } = body;
      if (typeof id !== 'string' || !PROVIDER_ID.test(id)) {
        throw invalid(
          'id',
          'id must be 2–63 lower-case letters, digits or dashes, starting with a letter or digit.',
        );
      }
      if (typeof type !== 'string' || !isCode(PROVIDER_TYPES, type)) {
        throw invalid('type', `type must be one of ${Object.keys(PROVIDER_TYPES).join(', ')}.`);
      }
      if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
        throw invalid('name', 'name must be a non-empty string of at most 200 characters.');
      }
      const mapping = parseMapping(body.mapping);
      const provider = await registry.createProvider(
        { id, type: type as ProviderType, name: name.trim(), createdAt: now() },
        mapping,
      );
      const key = await issueKey('provider', id, 'created with the provider');
      return { provider, key: key.key, keyId: key.id };
    }, 201),
  );

  router.get(
    '/v1/admin/providers',
    jsonRoute(async () => ({ providers: await registry.listProviders() })),
  );

  router.get(
    '/v1/admin/providers/:id',
    jsonRoute(async (req) => {
      const provider = await registry.getProvider(String(req.params.id));
      if (provider === undefined) throw new MosyError('not-found', 'No provider has that id.');
      return { provider, mapping: await registry.getMapping(provider.id) };
    }),
  );

  router.put(
    '/v1/admin/providers/:id/mapping',
    jsonRoute(async (req) => {
      const id = String(req.params.id);
      if ((await registry.getProvider(id)) === undefined)
        throw new MosyError('not-found', 'No provider has that id.');
      return { providerId: id, version: await registry.putMapping(id, parseMapping(req.body)) };
    }),
  );

  router.get(
    '/v1/admin/providers/:id/coverage',
    jsonRoute(async (req) => {
      const id = String(req.params.id);
      if ((await registry.getProvider(id)) === undefined)
        throw new MosyError('not-found', 'No provider has that id.');
      const counts = await ledger.quality(id);
      return {
        providerId: id,
        unmapped: counts
          .filter((c) => c.kind === 'unmapped')
          .map(({ field, value, count, lastSeen }) => ({ field, value, count, lastSeen })),
      };
    }),
  );

  router.post(
    '/v1/admin/keys',
    jsonRoute(async (req) => {
      const body = objectBody(req.body, ['role', 'providerId', 'label']);
      const { role, providerId, label } = body;
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
        throw invalid('role', `role must be one of ${ROLES.join(', ')}.`);
      }
      if (role === 'provider') {
        if (typeof providerId !== 'string' || (await registry.getProvider(providerId)) === undefined) {
          throw invalid('providerId', 'A provider key needs the id of a registered provider.');
        }
      } else if (providerId !== undefined) {
        throw invalid('providerId', 'Only provider keys are bound to a provider.');
      }
      if (label !== undefined && (typeof label !== 'string' || label.length > 200)) {
        throw invalid('label', 'label must be a string of at most 200 characters.');
      }
      return issueKey(role as Role, providerId, label);
    }, 201),
  );

  router.get(
    '/v1/admin/keys',
    jsonRoute(async () => ({
      // Hashes stay inside: listing keys shows who holds what, not anything that could be replayed.
      keys: (await registry.listKeys()).map(({ hash: _hash, ...key }) => key),
    })),
  );

  router.delete('/v1/admin/keys/:id', async (req, res) => {
    await registry.revokeKey(String(req.params.id), now());
    res.status(204).end();
  });

  return router;
}

function invalid(field: string, message: string): MosyError {
  return new MosyError('invalid-request', message, { issues: [{ field, code: 'invalid-field', message }] });
}

function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MosyError('invalid-request', 'The body must be a JSON object.');
  }
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw new MosyError(
      'unknown-field',
      `Unknown field(s): ${extra.join(', ')}. Allowed: ${allowed.join(', ')}.`,
    );
  }
  return body as Record<string, unknown>;
}
