/**
 * The admin API: providers with their mappings, and API keys. Authorised by the bootstrap token
 * (`MOSY_ADMIN_TOKEN`) or an admin key. Every new key is returned once, in the response that creates it; only its
 * hash is stored.
 */
import express, { type Router } from 'express';
import {
  HTCDS_MAPPING_NAME,
  MosyError,
  builtinMapping,
  parseMapping,
  type IntakeLedger,
  type MappingDocument,
  type Registry,
  type Role,
} from '@mosy/core';
import {
  generateApiKey,
  invalidField,
  jsonBody,
  jsonHandler,
  mountRoute,
  requireRole,
  type Authenticator,
} from '@mosy/http';
import {
  CREATE_KEY,
  CREATE_PROVIDER,
  GET_PROVIDER,
  LIST_KEYS,
  LIST_PROVIDERS,
  MAPPING_COVERAGE,
  PUT_MAPPING,
  REVOKE_KEY,
} from './api/admin.js';

/** A mapping given in a registration: a document, checked, or the name of a built-in one. */
function mappingOf(given: string | object): MappingDocument {
  if (typeof given !== 'string') return parseMapping(given);
  const builtin = builtinMapping(given);
  if (builtin === undefined)
    throw invalidField(
      'mapping',
      `"${given.slice(0, 40)}" is not a built-in mapping; the built-in mapping is "${HTCDS_MAPPING_NAME}" (or give a mapping document).`,
    );
  return builtin;
}

export function adminRoutes(deps: {
  authenticate: Authenticator;
  registry: Registry;
  ledger: IntakeLedger;
  now?: () => number;
  maxBodyBytes: number;
}): Router {
  const { authenticate, registry, ledger, now = Date.now } = deps;
  const router = express.Router();
  router.use('/v1/admin', requireRole(authenticate, 'admin'), jsonBody({ limit: deps.maxBodyBytes }));

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

  mountRoute(
    router,
    CREATE_PROVIDER,
    jsonHandler(CREATE_PROVIDER)(async ({ body }) => {
      const mapping = mappingOf(body.mapping);
      const provider = await registry.createProvider(
        { id: body.id, type: body.type, name: body.name.trim(), createdAt: now() },
        mapping,
      );
      const key = await issueKey('provider', body.id, 'created with the provider');
      return { provider, key: key.key, keyId: key.id };
    }),
  );

  mountRoute(
    router,
    LIST_PROVIDERS,
    jsonHandler(LIST_PROVIDERS)(async () => ({ providers: await registry.listProviders() })),
  );

  mountRoute(
    router,
    GET_PROVIDER,
    jsonHandler(GET_PROVIDER)(async ({ params }) => {
      const provider = await registry.getProvider(params.id);
      if (provider === undefined) throw new MosyError('not-found', 'No provider has that id.');
      return { provider, mapping: await registry.getMapping(provider.id) };
    }),
  );

  mountRoute(
    router,
    PUT_MAPPING,
    jsonHandler(PUT_MAPPING)(async ({ params, body }) => {
      if ((await registry.getProvider(params.id)) === undefined)
        throw new MosyError('not-found', 'No provider has that id.');
      return { providerId: params.id, version: await registry.putMapping(params.id, parseMapping(body)) };
    }),
  );

  mountRoute(
    router,
    MAPPING_COVERAGE,
    jsonHandler(MAPPING_COVERAGE)(async ({ params }) => {
      if ((await registry.getProvider(params.id)) === undefined)
        throw new MosyError('not-found', 'No provider has that id.');
      const counts = await ledger.quality(params.id);
      return {
        providerId: params.id,
        unmapped: counts
          .filter((c) => c.kind === 'unmapped')
          .map(({ field, value, count, lastSeen }) => ({ field, value, count, lastSeen })),
      };
    }),
  );

  mountRoute(
    router,
    CREATE_KEY,
    jsonHandler(CREATE_KEY)(async ({ body }) => {
      const { role, providerId, label } = body;
      // Whether the provider exists is state, not shape: checked here, answered like a schema issue.
      if (role === 'provider') {
        if (providerId === undefined || (await registry.getProvider(providerId)) === undefined)
          throw invalidField('providerId', 'A provider key needs the id of a registered provider.');
      } else if (providerId !== undefined) {
        throw invalidField('providerId', 'Only provider keys are bound to a provider.');
      }
      return issueKey(role, providerId, label);
    }),
  );

  mountRoute(
    router,
    LIST_KEYS,
    jsonHandler(LIST_KEYS)(async () => ({
      // Hashes stay inside: listing keys shows who holds what, not anything that could be replayed.
      keys: (await registry.listKeys()).map(({ hash: _hash, ...key }) => key),
    })),
  );

  mountRoute(
    router,
    REVOKE_KEY,
    jsonHandler(REVOKE_KEY)(async ({ params }) => {
      await registry.revokeKey(params.id, now());
      return undefined;
    }),
  );

  return router;
}
