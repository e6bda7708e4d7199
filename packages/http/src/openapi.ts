/**
 * The OpenAPI 3.1 document, generated from route definitions (`route.ts`) with zod-to-openapi: each route's
 * parameters, body and responses come from its schemas, named schemas (`.meta({ id })`) become
 * `components.schemas`, and every problem status is one shared `components.responses.Problem<status>` of RFC 9457
 * problem details. A runtime passes the definitions of every route it mounts, so the document describes exactly
 * what it serves; `undocumentedRoutes` checks that against the express app itself.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import type { Express } from 'express';
import { z } from 'zod';
import { ERROR_CODES } from '@mosy/core';
import { PROBLEM_STATUSES, type RouteDefinition } from './route.js';

/** The generated document, as JSON. */
export type OpenApiDocument = Record<string, unknown> & {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: Record<string, Record<string, unknown>>;
};

// `registry.register` (for the Problem schema, which only a `$ref` names) needs zod's `.openapi()` extension.
extendZodWithOpenApi(z);

export const FieldIssueSchema = z
  .strictObject({ field: z.string(), code: z.string(), message: z.string() })
  .meta({ id: 'FieldIssue' });

export const ProblemSchema = z
  .strictObject({
    type: z.url(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]),
    issues: z.array(FieldIssueSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details, with MoSy’s stable error `code`.' });

const PROBLEM_TEXT: Readonly<Record<(typeof PROBLEM_STATUSES)[number], string>> = {
  400: 'The request or query is not valid; `issues` name each offending field.',
  401: 'No valid API key (`Authorization: Bearer <key>`).',
  403: 'The key’s role may not use this endpoint.',
  404: 'No such resource.',
  409: 'Conflicts with the current state (e.g. the id exists).',
  413: 'The body or the number of records is over the limit.',
  415: 'Unsupported content type.',
};

const TAGS: readonly { name: string; description: string }[] = [
  { name: 'ingest', description: 'Submissions and receipts (provider keys).' },
  { name: 'admin', description: 'Providers, mappings and API keys (admin keys or the bootstrap token).' },
  { name: 'indicators', description: 'Catalogue, ad-hoc values, projection and the live stream.' },
  { name: 'reports', description: 'Report families in JSON, CSV or SDMX-CSV.' },
  { name: 'meta', description: 'Health, status, taxonomy, regions, audit and this document.' },
];

/** Builds the document of the given routes (a fresh object each call). */
export function createOpenApiDocument(routes: readonly RouteDefinition[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`mosy_<role>_…`) or the bootstrap admin token.',
  });
  registry.register('Problem', ProblemSchema);
  for (const status of PROBLEM_STATUSES)
    registry.registerComponent('responses', `Problem${status}`, {
      description: PROBLEM_TEXT[status],
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  for (const route of routes) {
    registry.registerPath({
      method: route.method,
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      tags: [...route.tags],
      ...(route.public === true ? { security: [] } : {}),
      request: {
        ...(route.params === undefined ? {} : { params: route.params }),
        ...(route.query === undefined ? {} : { query: route.query }),
        ...(route.body === undefined
          ? {}
          : {
              body: {
                required: true,
                content: Object.fromEntries(
                  Object.entries(route.body).map(([type, schema]) => [type, { schema }]),
                ),
              },
            }),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...(response.content === undefined
                ? {}
                : {
                    content: Object.fromEntries(
                      Object.entries(response.content).map(([type, schema]) => [type, { schema }]),
                    ),
                  }),
            },
          ]),
        ),
        ...Object.fromEntries(
          route.problems.map((s) => [String(s), { $ref: `#/components/responses/Problem${s}` }]),
        ),
      },
    });
  }
  const used = new Set(routes.flatMap((r) => r.tags));
  // OpenAPI 3.1 adds `info.summary`, which the generator's config type (shared with 3.0) does not list.
  const info = {
    title: 'MoSy API',
    version: '1.0.0',
    summary:
      'Monitoring system for trafficking in human beings: submissions from providers, aggregate reports.',
    description:
      'Providers submit case records (ingest); analysts and coordinators read aggregate, disclosure-controlled indicator values and reports; admins manage providers and keys. No endpoint returns a record or personal data. Errors are RFC 9457 problem details (`application/problem+json`).',
    license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
  };
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info,
    tags: [
      ...TAGS.filter((t) => used.has(t.name)),
      ...[...used].filter((name) => !TAGS.some((t) => t.name === name)).map((name) => ({ name })),
    ],
    security: [{ bearer: [] }],
  });
  // The dialect is 3.1's default; saying it keeps validators from guessing. Not in the generator's config type.
  const full = { ...document, jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema' };
  return JSON.parse(JSON.stringify(full)) as OpenApiDocument;
}

interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

/**
 * Every `METHOD /path` of an express app (routers mounted at the root, as the services are) that the document does
 * not describe. Empty when the document is complete.
 */
export function undocumentedRoutes(app: Express, document: OpenApiDocument): string[] {
  const found: string[] = [];
  const walk = (stack: readonly Layer[]): void => {
    for (const layer of stack) {
      if (layer.route !== undefined) {
        const template = layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods))
          if (document.paths[template]?.[method] === undefined)
            found.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack !== undefined) walk(layer.handle.stack);
    }
  };
  // Express types its router loosely; the layers' shape is documented in the router's README.
  walk((app.router as unknown as { readonly stack: readonly Layer[] }).stack);
  return found;
}

/** Refuses to start an app that serves a route its document does not describe. @throws Error naming them */
export function assertDocumented(app: Express, document: OpenApiDocument): void {
  const missing = undocumentedRoutes(app, document);
  if (missing.length > 0)
    throw new Error(`Routes without a definition in the OpenAPI document: ${missing.join(', ')}.`);
}
