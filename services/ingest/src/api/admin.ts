/**
 * Route definitions of the admin API (providers, mappings, keys; admin keys or the bootstrap token): the single
 * source of their validation, handler types and OpenAPI entries.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import {
  ApiKeySchema,
  KeyRequestSchema,
  MappingSchema,
  NewKeySchema,
  ProviderRequestSchema,
  ProviderSchema,
} from './shapes.js';

const providerId = z.object({ id: z.string().meta({ description: 'Provider id.' }) });

export const CREATE_PROVIDER = defineRoute({
  method: 'post',
  path: '/v1/admin/providers',
  operationId: 'createProvider',
  summary: 'Register a provider with its first mapping; returns its first key once.',
  tags: ['admin'],
  body: { 'application/json': ProviderRequestSchema },
  responses: {
    201: {
      description: 'Created.',
      content: {
        'application/json': z.strictObject({
          provider: ProviderSchema,
          key: z.string().meta({ description: 'Shown once.' }),
          keyId: z.string(),
        }),
      },
    },
  },
  problems: [400, 401, 403, 409, 413],
});

export const LIST_PROVIDERS = defineRoute({
  method: 'get',
  path: '/v1/admin/providers',
  operationId: 'listProviders',
  summary: 'List providers.',
  tags: ['admin'],
  responses: {
    200: {
      description: 'Providers.',
      content: { 'application/json': z.strictObject({ providers: z.array(ProviderSchema) }) },
    },
  },
  problems: [401, 403],
});

export const GET_PROVIDER = defineRoute({
  method: 'get',
  path: '/v1/admin/providers/{id}',
  operationId: 'getProvider',
  summary: 'A provider and its current mapping.',
  tags: ['admin'],
  params: providerId,
  responses: {
    200: {
      description: 'The provider.',
      content: {
        'application/json': z.strictObject({ provider: ProviderSchema, mapping: MappingSchema.optional() }),
      },
    },
  },
  problems: [401, 403, 404],
});

export const PUT_MAPPING = defineRoute({
  method: 'put',
  path: '/v1/admin/providers/{id}/mapping',
  operationId: 'putMapping',
  summary: 'Store a new mapping version and make it current.',
  tags: ['admin'],
  params: providerId,
  body: { 'application/json': MappingSchema },
  responses: {
    200: {
      description: 'The new version.',
      content: {
        'application/json': z.strictObject({ providerId: z.string(), version: z.number().int().min(1) }),
      },
    },
  },
  problems: [400, 401, 403, 404, 413],
});

export const MAPPING_COVERAGE = defineRoute({
  method: 'get',
  path: '/v1/admin/providers/{id}/coverage',
  operationId: 'mappingCoverage',
  summary: 'Provider values the mapping did not cover, with counts.',
  tags: ['admin'],
  params: providerId,
  responses: {
    200: {
      description: 'Unmapped values.',
      content: {
        'application/json': z.strictObject({
          providerId: z.string(),
          unmapped: z.array(
            z.strictObject({
              field: z.string(),
              value: z.string(),
              count: z.number().int().min(0),
              lastSeen: z.number().int().min(0),
            }),
          ),
        }),
      },
    },
  },
  problems: [401, 403, 404],
});

export const CREATE_KEY = defineRoute({
  method: 'post',
  path: '/v1/admin/keys',
  operationId: 'createKey',
  summary: 'Issue an API key (shown once).',
  tags: ['admin'],
  body: { 'application/json': KeyRequestSchema },
  responses: { 201: { description: 'The new key.', content: { 'application/json': NewKeySchema } } },
  problems: [400, 401, 403, 413],
});

export const LIST_KEYS = defineRoute({
  method: 'get',
  path: '/v1/admin/keys',
  operationId: 'listKeys',
  summary: 'List keys (never their secrets or hashes).',
  tags: ['admin'],
  responses: {
    200: {
      description: 'Keys.',
      content: { 'application/json': z.strictObject({ keys: z.array(ApiKeySchema) }) },
    },
  },
  problems: [401, 403],
});

export const REVOKE_KEY = defineRoute({
  method: 'delete',
  path: '/v1/admin/keys/{id}',
  operationId: 'revokeKey',
  summary: 'Revoke a key (idempotent).',
  tags: ['admin'],
  params: z.object({ id: z.string().meta({ description: 'Key id.' }) }),
  responses: { 204: { description: 'Revoked.' } },
  problems: [401, 403, 404],
});
