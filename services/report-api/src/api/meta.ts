/**
 * Route definitions of the pipeline status, the code lists, the region names and the audit log: the single source
 * of their validation, handler types and OpenAPI entries.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import { oneOf, scalar } from './query.js';
import {
  AuditEntriesSchema,
  ProviderActivitySchema,
  RegionsSchema,
  StatusSchema,
  TaxonomySchema,
} from './shapes.js';

const epochMs = (description: string) =>
  z
    .string({ error: 'must be a non-negative integer' })
    .regex(/^\d{1,15}$/, { error: 'must be a non-negative integer' })
    .meta({ description })
    .optional();

export const STATUS = defineRoute({
  method: 'get',
  path: '/v1/status',
  operationId: 'status',
  summary: 'Pipeline status: whether every accepted record is reflected in the counts.',
  tags: ['meta'],
  responses: { 200: { description: 'Status.', content: { 'application/json': StatusSchema } } },
  problems: [401],
});

export const TAXONOMY = defineRoute({
  method: 'get',
  path: '/v1/taxonomy',
  operationId: 'taxonomy',
  summary: 'The canonical code lists with labels.',
  tags: ['meta'],
  public: true,
  responses: { 200: { description: 'Code lists.', content: { 'application/json': TaxonomySchema } } },
  problems: [],
});

export const REGIONS = defineRoute({
  method: 'get',
  path: '/v1/regions',
  operationId: 'regions',
  summary: 'NUTS 2024 region names (empty when the geo data folder is not configured).',
  tags: ['meta'],
  public: true,
  query: z.object({
    level: oneOf(['0', '1', '2', '3'], 'NUTS level.').optional(),
    country: scalar('Code prefix, e.g. `BE`.').optional(),
  }),
  responses: { 200: { description: 'Regions.', content: { 'application/json': RegionsSchema } } },
  problems: [400],
});

export const AUDIT = defineRoute({
  method: 'get',
  path: '/v1/audit',
  operationId: 'audit',
  summary: 'The audit log of unprotected reads, newest first (coordinators and admins).',
  tags: ['meta'],
  query: z.strictObject({ since: epochMs('Epoch milliseconds.'), limit: epochMs('Most entries.') }),
  responses: { 200: { description: 'Entries.', content: { 'application/json': AuditEntriesSchema } } },
  problems: [400, 401, 403],
});

export const PROVIDER_ACTIVITY = defineRoute({
  method: 'get',
  path: '/v1/status/providers',
  operationId: 'providerActivity',
  summary:
    'Per provider, how many submissions it made and when it last submitted, with the pipeline backlog (operations dashboard).',
  tags: ['meta'],
  responses: {
    200: { description: 'Activity.', content: { 'application/json': ProviderActivitySchema } },
  },
  problems: [401, 403],
});
