/**
 * Keeps the OpenAPI document true: the whole API (ingest, admin, report API, projection, live, the document and
 * `/healthz`) runs in one express app on an in-memory store, every operation is exercised with success and error
 * requests, and each real response must have a documented status and content type and a body valid against the
 * documented schema. Every documented operation must have been exercised with its success status.
 * Schemas are validated as the document declares them: JSON Schema 2020-12 (ajv's 2020 dialect), with formats.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryEventBus, type MemoryEventBus } from '@mosy/bus-memory';
import { INGEST_ROUTES, createIngest } from '@mosy/ingest';
import {
  DOCS_ROUTES,
  HEALTH_ROUTE,
  createApiDocsRoutes,
  createAuthenticator,
  createKeyVerifier,
  createLogger,
  createSessionStore,
  createOpenApiDocument as documentOf,
  finishApp,
  hashKey,
  undocumentedRoutes,
} from '@mosy/http';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { generateDataset } from '@mosy/testkit';
import type { Role } from '@mosy/core';
import { createReportApi } from '../app.js';
import { createMemoryAuditLog } from '../audit.js';
import { createQuarterlyExports } from '../quarterly/exports.js';
import { createHub } from '../hub/hub.js';
import { createHubSender } from '../hub/send.js';
import { createLiveUpdates } from '../live.js';
import { truthRecords } from '../test-support/fixture.js';
import { indicators, population, testGeoDir } from '../test-support/spatial.js';
import { REPORT_API_ROUTES } from '../api/routes.js';

/** The document of what this app mounts, as the embedded runtime composes it. */
const createOpenApiDocument = () =>
  documentOf([HEALTH_ROUTE, ...DOCS_ROUTES, ...INGEST_ROUTES, ...REPORT_API_ROUTES]);

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

const doc = createOpenApiDocument() as unknown as Doc;
// Not strict: the document around the schemas (paths, operations) is OpenAPI, not JSON Schema.
const ajv = new Ajv2020({ allErrors: true, strict: false });
// ajv-formats is CommonJS; its plugin is `default` both in its types and at run time.
formats.default(ajv);
ajv.addSchema(doc, 'openapi.json');
const pointer = (...parts: string[]): string =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** `/v1/indicators/victims/values` → `/v1/indicators/{id}/values`. */
/** The template a path matches, the one with the most literal segments when several do (`{period}/draft`). */
function templateOf(path: string): string | undefined {
  const segments = path.split('/');
  const literals = (t: string) => t.split('/').filter((s) => !s.startsWith('{')).length;
  return Object.keys(doc.paths)
    .filter((t) => {
      const ts = t.split('/');
      return ts.length === segments.length && ts.every((s, i) => s.startsWith('{') || s === segments[i]);
    })
    .sort((a, b) => literals(b) - literals(a))[0];
}

const covered = new Set<string>();
const ADMIN = 'test-admin-token';

let app: express.Express;
let server: Server;
let url: string;
let stores: DuckDbStores;
let bus: MemoryEventBus;
let dir: string;
const keys = {} as Record<Role, string>;
const sessions = createSessionStore();
const dataset = generateDataset({ seed: 11, persons: 200, years: [2023, 2024, 2025] });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mosy-openapi-'));
  stores = await createDuckDbStores({ path: ':memory:' });
  bus = await createMemoryEventBus({ dir, fsync: false });
  const authOptions = { registry: stores.registry, adminToken: ADMIN, sessions };
  const authenticate = createAuthenticator(authOptions);
  for (const role of ['analyst', 'coordinator'] as const) {
    keys[role] = `openapi-${role}-key`;
    await stores.registry.createKey({ id: `key-${role}`, hash: hashKey(keys[role]), role, createdAt: 1 });
  }
  keys.admin = ADMIN;
  keys.node = 'openapi-node-key';
  await stores.registry.createKey({
    id: 'key-node',
    hash: hashKey(keys.node),
    role: 'node',
    country: 'PT',
    createdAt: 1,
  });
  await stores.store.apply(truthRecords(dataset));
  const ingest = createIngest({
    bus,
    registry: stores.registry,
    ledger: stores.ledger,
    authenticate,
    limits: { maxRecords: 50 },
  });
  app = express();
  // Listening first: the node's sender sends to this same app, the hub of the test.
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(createApiDocsRoutes(createOpenApiDocument()));
  app.use(ingest.router);
  const quarterly = createQuarterlyExports({
    store: stores.store,
    registry: stores.registry,
    archive: stores.archive,
    audit: createMemoryAuditLog(),
    reportingCountry: 'PT',
    threshold: 5,
    now: Date.now,
  });
  app.use(
    createReportApi({
      store: stores.store,
      registry: stores.registry,
      ledger: stores.ledger,
      authenticate,
      pipelineStatus: () => Promise.resolve({ idle: true, stages: { aggregator: { backlog: 0 } } }),
      audit: createMemoryAuditLog(),
      regions: [
        { id: 'BE', level: 0, name: 'Belgique/België' },
        { id: 'BE1', level: 1, name: 'Région de Bruxelles-Capitale', parent: 'BE' },
      ],
      liveUpdates: createLiveUpdates(),
      sessions: { sessions, verifier: createKeyVerifier(authOptions), authenticate },
      geoDir: testGeoDir(),
      spatial: { population, indicators },
      quarterly,
      hub: createHub({ archive: stores.archive, now: Date.now }),
      hubSender: createHubSender(quarterly, {
        hubUrl: url,
        nodeKey: keys.node,
        country: 'PT',
        attempts: 1,
        backoffMs: 1,
      }),
    }),
  );
  finishApp(app, createLogger({ name: 'openapi-test', level: 'silent' }));
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await bus.close();
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Call {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly role?: Role | 'none';
  readonly json?: unknown;
  readonly body?: string;
  readonly type?: string;
  readonly headers?: Record<string, string>;
}

/** Sends a request and checks the response against the document; returns the parsed body. */
async function call(c: Call, expectedStatus: number): Promise<unknown> {
  const method = c.method ?? 'GET';
  const headers: Record<string, string> = { ...c.headers };
  const role = c.role ?? 'analyst';
  if (role !== 'none') headers.authorization = `Bearer ${keys[role]}`;
  let body: string | undefined = c.body;
  if (c.json !== undefined) {
    body = JSON.stringify(c.json);
    headers['content-type'] = 'application/json';
  }
  if (c.type !== undefined) headers['content-type'] = c.type;
  const controller = new AbortController();
  const response = await fetch(url + c.path, {
    method,
    headers,
    signal: controller.signal,
    ...(body === undefined ? {} : { body }),
  });
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
  let text: string;
  if (contentType === 'text/event-stream') {
    // Read up to the end of the first event (the snapshot), then hang up.
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    text = '';
    while (!text.includes('\n\n')) {
      const chunk: { done: boolean; value?: Uint8Array } = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
  } else text = await response.text();

  const label = `${method} ${c.path} → ${response.status} ${contentType}`;
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBe(expectedStatus);
  const template = templateOf(c.path.split('?')[0] ?? '');
  expect(template, `${label}: undocumented path`).toBeDefined();
  const operation = doc.paths[template as string]?.[method.toLowerCase()];
  expect(operation, `${label}: undocumented method`).toBeDefined();
  const status = String(response.status);
  const documented = (operation as Operation).responses[status];
  expect(documented, `${label}: undocumented status`).toBeDefined();
  covered.add(`${method.toLowerCase()} ${template} ${status}`);
  if (response.status === 204) return undefined;

  const responseRef = documented?.$ref;
  const base = responseRef
    ? pointer(...responseRef.slice(2).split('/'))
    : pointer('paths', template as string, method.toLowerCase(), 'responses', status);
  const content = responseRef
    ? (doc as unknown as { components: { responses: Record<string, { content: Record<string, unknown> }> } })
        .components.responses[responseRef.split('/').pop() as string]?.content
    : documented?.content;
  expect(Object.keys(content ?? {}), `${label}: undocumented content type`).toContain(contentType);

  let parsed: unknown = text;
  if (contentType === 'text/event-stream') {
    const data = /^data: (.*)$/m.exec(text)?.[1];
    expect(/^event: snapshot$/m.test(text), label).toBe(true);
    parsed = JSON.parse(data ?? 'null');
    const valid = ajv.validate(
      { type: 'array', items: { $ref: 'openapi.json#/components/schemas/Values' } },
      parsed,
    );
    expect(valid ? [] : ajv.errors, label).toEqual([]);
    return parsed;
  }
  if (contentType.endsWith('json')) parsed = JSON.parse(text);
  const valid = ajv.validate(
    { $ref: `openapi.json#/${base}/content/${pointer(contentType)}/schema` },
    parsed,
  );
  expect(valid ? [] : ajv.errors, label).toEqual([]);
  return parsed;
}

describe('the OpenAPI document', { timeout: 30_000 }, () => {
  it('is OpenAPI 3.1 with a bearer scheme and problem+json errors', () => {
    const d = createOpenApiDocument() as {
      openapi: string;
      components: Record<string, Record<string, unknown>>;
    };
    expect(d.openapi).toBe('3.1.0');
    expect(d.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(d.components.responses ?? {})).toEqual([
      'Problem400',
      'Problem401',
      'Problem403',
      'Problem404',
      'Problem409',
      'Problem413',
      'Problem415',
    ]);
  });

  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    expect(await validator.validate(createOpenApiDocument())).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
  });

  it('describes every real response of the spatial endpoints', async () => {
    for (const kind of ['hotspots', 'context', 'corridors']) {
      await call({ path: `/v1/spatial/${kind}/victims?from=2023&to=2025` }, 200);
      await call({ path: `/v1/spatial/${kind}/victims?protection=none`, role: 'coordinator' }, 200);
      await call({ path: `/v1/spatial/${kind}/victims?level=9` }, 400);
      await call({ path: `/v1/spatial/${kind}/victims`, role: 'none' }, 401);
      await call({ path: `/v1/spatial/${kind}/victims`, role: 'admin' }, 403);
      await call({ path: `/v1/spatial/${kind}/nothing` }, 404);
    }
    await call({ path: '/v1/spatial/hotspots/victims?level=3&measure=count&permutations=99' }, 200);
    await call({ path: '/v1/spatial/hotspots/victims?field=citizenship' }, 200);
    await call(
      { path: '/v1/spatial/corridors/victims?origin=countryOfRecruitment&interval=quarter&level=2' },
      200,
    );
  });

  it('describes every real response of the meta endpoints', async () => {
    await call({ path: '/healthz', role: 'none' }, 200);
    await call({ path: '/openapi.json', role: 'none' }, 200);
    const page = await call({ path: '/docs', role: 'none' }, 200);
    expect(page as string).toContain("fetch('/openapi.json')");
    expect(page as string).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    await call({ path: '/v1/status', role: 'coordinator' }, 200);
    await call({ path: '/v1/status', role: 'none' }, 401);
    await call({ path: '/v1/status/providers', role: 'coordinator' }, 200);
    await call({ path: '/v1/taxonomy', role: 'none' }, 200);
    await call({ path: '/v1/regions?level=1', role: 'none' }, 200);
    await call({ path: '/v1/audit', role: 'coordinator' }, 200);
    await call({ path: '/v1/audit?since=soon', role: 'coordinator' }, 400);
    await call({ path: '/v1/audit', role: 'analyst' }, 403);
    const geo = (await call({ path: '/v1/geo' }, 200)) as { files: { name: string; etag: string }[] };
    const file = geo.files[0]!;
    await call({ path: `/v1/geo/${file.name}?v=${file.etag}`, role: 'coordinator' }, 200);
    await call({ path: `/v1/geo/${file.name}?version=1` }, 400);
    await call({ path: '/v1/geo/nutsrg_2.topojson' }, 404);
    await call({ path: '/v1/geo', role: 'admin' }, 403);
    await call({ path: `/v1/geo/${file.name}`, role: 'none' }, 401);
  });

  it('describes every real response of the quarterly export endpoints', async () => {
    const base = '/v1/exports/quarterly';
    await call({ path: base, role: 'coordinator' }, 200);
    await call({ path: base, role: 'analyst' }, 403);
    await call({ path: base, role: 'none' }, 401);
    await call({ method: 'POST', path: `${base}/2099-Q1/draft`, role: 'coordinator' }, 400);
    const draft = (await call(
      { method: 'POST', path: `${base}/2024-Q4/draft`, role: 'coordinator' },
      200,
    )) as {
      created: boolean;
    };
    expect(draft.created).toBe(true);
    await call({ path: `${base}/2024-Q4/0`, role: 'coordinator' }, 200);
    await call({ path: `${base}/2024-Q4/3`, role: 'coordinator' }, 404);
    await call({ path: `${base}/2024-Q9/0`, role: 'coordinator' }, 404);
    await call({ path: `${base}/2024-Q4/0/sdmx-csv`, role: 'coordinator' }, 200);
    await call({ path: `${base}/2024-Q4/0/metadata-json`, role: 'coordinator' }, 200);
    await call({ path: `${base}/2024-Q4/0/xlsx`, role: 'coordinator' }, 404);
    await call({ method: 'POST', path: `${base}/2024-Q4/revise`, role: 'coordinator' }, 409);
    await call({ method: 'POST', path: `${base}/2024-Q3/revise`, role: 'coordinator' }, 404);
    await call({ method: 'POST', path: `${base}/2024-Q4/0/publish`, role: 'coordinator' }, 200);
    await call({ method: 'POST', path: `${base}/2024-Q4/0/publish`, role: 'coordinator' }, 409);
    await call({ method: 'POST', path: `${base}/2024-Q4/1/publish`, role: 'coordinator' }, 404);
    const revision = (await call(
      { method: 'POST', path: `${base}/2024-Q4/revise`, role: 'coordinator' },
      200,
    )) as {
      created: boolean;
    };
    expect(revision.created).toBe(false);
  }, 60_000);

  it('describes every real response of the hub endpoints', async () => {
    await call({ method: 'POST', path: '/v1/hub/nodes', role: 'admin', json: { country: 'ES' } }, 201);
    await call({ method: 'POST', path: '/v1/hub/nodes', role: 'admin', json: { country: 'es' } }, 400);
    await call({ method: 'POST', path: '/v1/hub/nodes', role: 'analyst', json: { country: 'ES' } }, 403);
    // The node sends its published 2024-Q4 (published by the exports test above) to the hub: this same app.
    const send = '/v1/exports/quarterly/2024-Q4/0/send';
    expect(await call({ method: 'POST', path: send, role: 'coordinator' }, 200)).toEqual({
      country: 'PT',
      period: '2024-Q4',
      revision: 0,
      outcome: 'stored',
    });
    await call({ method: 'POST', path: '/v1/exports/quarterly/2024-Q4/7/send', role: 'coordinator' }, 404);
    const path = '/v1/hub/reports/PT/2024-Q4';
    const cell = { key: { indicator: 'victims', period: '2024-Q4' }, value: 4 };
    await call({ method: 'PUT', path, role: 'node', json: { revision: 0, observations: [] } }, 200);
    await call({ method: 'PUT', path, role: 'node', json: { revision: 3, observations: [cell] } }, 200);
    await call({ method: 'PUT', path, role: 'node', json: { revision: 1, observations: [cell] } }, 409);
    await call({ method: 'POST', path: send, role: 'coordinator' }, 409);
    await call(
      { method: 'PUT', path, role: 'node', json: { revision: 4, observations: [{ ...cell, value: null }] } },
      400,
    );
    await call(
      {
        method: 'PUT',
        path: '/v1/hub/reports/ES/2024-Q4',
        role: 'node',
        json: { revision: 0, observations: [] },
      },
      403,
    );
    await call({ method: 'PUT', path, role: 'analyst', json: { revision: 0, observations: [] } }, 403);
    await call({ method: 'PUT', path, role: 'none', json: { revision: 0, observations: [] } }, 401);
    const totals = (await call({ path: '/v1/hub/totals?period=2024-Q4' }, 200)) as { totals: unknown[] };
    expect(totals.totals).toEqual([
      { key: { indicator: 'victims', period: '2024-Q4' }, value: 4, countries: ['PT'], withheldBy: [] },
    ]);
    await call({ path: '/v1/hub/comparison?period=2024-Q4', role: 'coordinator' }, 200);
    await call({ path: '/v1/hub/flows?period=2024-Q4' }, 200);
    await call({ path: '/v1/hub/totals?period=2024' }, 400);
    await call({ path: '/v1/hub/totals?period=2024-Q4', role: 'node' }, 403);
    await call({ method: 'DELETE', path, role: 'node' }, 200);
    await call({ method: 'DELETE', path, role: 'node' }, 404);
    expect(await call({ path: '/v1/hub/totals?period=2024-Q4' }, 200)).toMatchObject({
      reports: [],
      totals: [],
    });
  });

  it('describes every real response of the session endpoints', async () => {
    const xrw = { 'x-requested-with': 'test' };
    const key = keys.analyst;
    const path = '/v1/session';
    await call({ method: 'POST', path, role: 'none', json: { key }, headers: xrw }, 200);
    await call({ method: 'POST', path, role: 'none', json: { key } }, 403);
    await call({ method: 'POST', path, role: 'none', json: { key: 'wrong' }, headers: xrw }, 401);
    await call({ method: 'POST', path, role: 'none', json: {}, headers: xrw }, 400);
    await call({ path }, 200);
    await call({ path, role: 'none' }, 401);
    const cookie = `mosy_session=${await sessions.create({ kind: 'bootstrap' })}`;
    await call({ path, role: 'none', headers: { cookie } }, 200);
    await call({ method: 'DELETE', path, role: 'none', headers: { cookie } }, 403);
    await call({ method: 'DELETE', path, role: 'none', headers: { cookie, ...xrw } }, 204);
    await call({ path, role: 'none', headers: { cookie } }, 401);
  });

  it('describes every real response of the admin and ingest endpoints', async () => {
    const [first, ...others] = dataset.providers;
    if (first === undefined) throw new Error('no provider');
    const created = (await call(
      {
        method: 'POST',
        path: '/v1/admin/providers',
        role: 'admin',
        json: { id: first.id, type: first.type, name: first.name, mapping: first.mapping },
      },
      201,
    )) as { key: string };
    keys.provider = created.key;
    for (const p of others)
      await call(
        {
          method: 'POST',
          path: '/v1/admin/providers',
          role: 'admin',
          json: { id: p.id, type: p.type, name: p.name, mapping: p.mapping },
        },
        201,
      );
    await call(
      {
        method: 'POST',
        path: '/v1/admin/providers',
        role: 'admin',
        json: { id: first.id, type: first.type, name: first.name, mapping: first.mapping },
      },
      409,
    );
    await call({ method: 'POST', path: '/v1/admin/providers', role: 'admin', json: { id: 'X' } }, 400);
    await call({ method: 'POST', path: '/v1/admin/providers', role: 'none', json: {} }, 401);
    await call({ path: '/v1/admin/providers', role: 'admin' }, 200);
    await call({ path: '/v1/admin/providers', role: 'analyst' }, 403);
    await call({ path: `/v1/admin/providers/${first.id}`, role: 'admin' }, 200);
    await call({ path: '/v1/admin/providers/nobody', role: 'admin' }, 404);
    await call(
      { method: 'PUT', path: `/v1/admin/providers/${first.id}/mapping`, role: 'admin', json: first.mapping },
      200,
    );
    await call(
      { method: 'PUT', path: `/v1/admin/providers/${first.id}/mapping`, role: 'admin', json: {} },
      400,
    );
    await call(
      { method: 'PUT', path: '/v1/admin/providers/nobody/mapping', role: 'admin', json: first.mapping },
      404,
    );
    await call({ path: `/v1/admin/providers/${first.id}/coverage`, role: 'admin' }, 200);
    await call({ path: '/v1/admin/providers/nobody/coverage', role: 'admin' }, 404);
    const key = (await call(
      { method: 'POST', path: '/v1/admin/keys', role: 'admin', json: { role: 'analyst', label: 'temp' } },
      201,
    )) as { id: string };
    await call({ method: 'POST', path: '/v1/admin/keys', role: 'admin', json: { role: 'king' } }, 400);
    await call({ path: '/v1/admin/keys', role: 'admin' }, 200);
    await call({ method: 'DELETE', path: `/v1/admin/keys/${key.id}`, role: 'admin' }, 204);
    await call({ method: 'DELETE', path: '/v1/admin/keys/nokey', role: 'admin' }, 404);

    const records = dataset.submissions.find((s) => s.providerId === first.id)?.records.slice(0, 5) ?? [];
    expect(records).toHaveLength(5);
    const receipt = (await call(
      { method: 'POST', path: '/v1/submissions', role: 'provider', json: { records } },
      202,
    )) as { submissionId: string; accepted: number };
    expect(receipt.accepted).toBeGreaterThan(0);
    await call({ method: 'POST', path: '/v1/submissions', role: 'provider', json: { records: [] } }, 400);
    await call(
      {
        method: 'POST',
        path: '/v1/submissions',
        role: 'provider',
        json: { records: Array.from({ length: 51 }, () => ({})) },
      },
      413,
    );
    await call(
      { method: 'POST', path: '/v1/submissions', role: 'provider', body: 'hello', type: 'text/plain' },
      415,
    );
    await call({ method: 'POST', path: '/v1/submissions', role: 'analyst', json: { records } }, 403);
    await call({ path: `/v1/submissions/${receipt.submissionId}`, role: 'provider' }, 200);
    await call({ path: '/v1/mapping', role: 'provider' }, 200);
    await call({ path: '/v1/mapping', role: 'analyst' }, 403);
    await call({ path: '/v1/submissions/none', role: 'provider' }, 404);
    await call({ path: '/v1/quality', role: 'provider' }, 200);
  });

  it('describes every real response of the indicator and report endpoints', async () => {
    await call({ path: '/v1/indicators' }, 200);
    await call({ path: '/v1/indicators', role: 'none' }, 401);
    await call({ path: '/v1/indicators/victims/values?by=sex' }, 200);
    await call({ path: '/v1/indicators/victims/values?by=sex&interval=year', role: 'coordinator' }, 200);
    await call({ path: '/v1/indicators/victims/values?by=sex&format=csv' }, 200);
    await call({ path: '/v1/indicators/victims/values?by=colour' }, 400);
    await call({ path: '/v1/indicators/nothing/values' }, 404);
    await call({ path: '/v1/indicators/victims/projection?quarters=2' }, 200);
    await call({ path: '/v1/indicators/victims/projection?level=0.5' }, 400);
    await call({ path: '/v1/indicators/victims/projection', role: 'provider' }, 403);
    await call({ path: '/v1/live?indicators=victims,suspects&by=sex' }, 200);
    await call({ path: '/v1/live?indicators=victims', role: 'coordinator' }, 200);
    await call({ path: '/v1/live?indicators=nothing' }, 400);
    for (const family of ['simple', 'time-frame', 'geo']) {
      const by = family === 'simple' ? '&by=sex' : family === 'time-frame' ? '&interval=year' : '';
      for (const format of ['json', 'csv', 'sdmx-csv'])
        await call(
          {
            path: `/v1/reports/${family}/victims?format=${format}${by}${format === 'sdmx-csv' && family !== 'time-frame' ? '&from=2024&to=2024' : ''}`,
          },
          200,
        );
      await call({ path: `/v1/reports/${family}/victims?protection=none${by}`, role: 'coordinator' }, 200);
      await call({ path: `/v1/reports/${family}/victims?format=xml` }, 400);
      await call({ path: `/v1/reports/${family}/nothing` }, 404);
    }
    await call({ path: '/v1/reports/total/victims' }, 200);
    await call({ path: '/v1/reports/total/victims?format=csv' }, 200);
    await call({ path: '/v1/reports/total/victims?format=sdmx-csv' }, 400);
    await call({ path: '/v1/reports/quality' }, 200);
    await call({ path: '/v1/reports/quality?protection=none', role: 'coordinator' }, 200);
    await call({ path: '/v1/reports/quality', role: 'admin' }, 403);
    await call({ path: '/v1/reports/quality?protection=none', role: 'analyst' }, 403);
  });

  it('would catch a body that differs from the document', () => {
    const values = { $ref: 'openapi.json#/components/schemas/Values' };
    const good = {
      indicator: 'victims',
      unit: 'persons',
      cells: [{ sex: 'F', value: 7 }],
      total: 7,
      disclosure: { method: 'none' },
    };
    expect(ajv.validate(values, good)).toBe(true);
    expect(ajv.validate(values, { ...good, total: '7' })).toBe(false);
    expect(ajv.validate(values, { ...good, extra: 1 })).toBe(false);
    expect(ajv.validate(values, { ...good, cells: [{ sex: 'F' }] })).toBe(false);
    expect(templateOf('/v1/indicators/victims/values')).toBe('/v1/indicators/{id}/values');
    expect(templateOf('/v1/nowhere')).toBeUndefined();
  });

  it('documents every route the app mounts', () => {
    expect(undocumentedRoutes(app, createOpenApiDocument())).toEqual([]);
    const bare = express();
    bare.get('/v1/nowhere', (_req, res) => {
      res.end();
    });
    expect(undocumentedRoutes(bare, createOpenApiDocument())).toEqual(['GET /v1/nowhere']);
  });

  it('has had every documented operation exercised with its success status', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item))
        for (const status of Object.keys(op.responses).filter((s) => s.startsWith('2')))
          if (!covered.has(`${method} ${path} ${status}`)) missing.push(`${method} ${path} ${status}`);
    expect(missing).toEqual([]);
  });
});
