import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assertDocumented,
  createApiDocsRoutes,
  createLogger,
  createOpenApiDocument,
  defineRoute,
  finishApp,
  jsonHandler,
  mountRoute,
} from '@mosy/http';
import { EMBEDDED_ROUTES } from './api.js';

/** A route a service might add: its definition is all it takes to be validated and documented. */
const GREETING = defineRoute({
  method: 'get',
  path: '/v1/fixture/greetings/{name}',
  operationId: 'fixtureGreeting',
  summary: 'A greeting (test fixture).',
  tags: ['fixture'],
  params: z.object({ name: z.string() }),
  query: z.strictObject({ tone: z.enum(['warm', 'dry']).optional() }),
  responses: {
    200: {
      description: 'The greeting.',
      content: {
        'application/json': z.strictObject({ greeting: z.string() }).meta({ id: 'FixtureGreeting' }),
      },
    },
  },
  problems: [400],
});

let server: Server;
let url: string;

beforeAll(async () => {
  const router = express.Router();
  mountRoute(
    router,
    GREETING,
    jsonHandler(GREETING)(({ params, query }) =>
      Promise.resolve({ greeting: `${query.tone === 'dry' ? 'Hi' : 'Hello'}, ${params.name}` }),
    ),
  );
  const document = createOpenApiDocument([...EMBEDDED_ROUTES, GREETING]);
  const app = express();
  app.use(createApiDocsRoutes(document));
  app.use(router);
  finishApp(app, createLogger({ name: 'api-test', level: 'silent' }));
  assertDocumented(app, document);
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a route added with its definition', () => {
  it('appears in /openapi.json with its parameters and named schemas, with no other edit', async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, { get?: { parameters: { name: string; in: string }[]; responses: object } }>;
      components: { schemas: Record<string, unknown> };
      tags: { name: string }[];
    };
    const op = doc.paths['/v1/fixture/greetings/{name}']?.get;
    expect(op?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:name', 'query:tone']);
    expect(Object.keys(op?.responses ?? {})).toEqual(['200', '400']);
    expect(doc.components.schemas.FixtureGreeting).toMatchObject({ required: ['greeting'] });
    expect(doc.tags.map((t) => t.name)).toContain('fixture');
    expect(doc.paths['/v1/indicators/{id}/values']?.get).toBeDefined();
  });

  it('is validated by its schema, with problem+json issues naming the parameter', async () => {
    const ok = await fetch(`${url}/v1/fixture/greetings/Ana?tone=dry`);
    expect(await ok.json()).toEqual({ greeting: 'Hi, Ana' });
    const bad = await fetch(`${url}/v1/fixture/greetings/Ana?tone=loud&colour=red`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await bad.json()).toMatchObject({
      code: 'invalid-query',
      issues: [
        { field: 'tone', code: 'invalid-query', message: expect.stringMatching(/^tone: /) as unknown },
        { field: 'colour', code: 'invalid-query', message: 'colour: unknown parameter' },
      ],
    });
  });

  it('is refused at start when mounted without its definition in the document', () => {
    const app = express();
    const router = express.Router();
    mountRoute(router, GREETING, (_req, res) => {
      res.end();
    });
    app.use(router);
    expect(() => assertDocumented(app, createOpenApiDocument(EMBEDDED_ROUTES))).toThrow(
      'GET /v1/fixture/greetings/:name',
    );
  });
});
