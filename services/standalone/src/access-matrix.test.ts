/**
 * The authorization matrix of the embedded runtime: every operation of its OpenAPI document, called by every kind
 * of caller, answers as the table below declares — allowed, 401 (no, unknown, revoked or malformed credential) or
 * 403 (a role the operation is not for) — and every answer carries the security headers. The list of operations
 * comes from the document, so a new route without a row here fails. Then ownership: what one provider may not do
 * to another (reading its receipts or quality figures, or reusing its record ids to overwrite or withdraw its
 * records), and an analyst's refused request for unprotected values, which is audited. Last, browser sessions:
 * a live session cookie answers every operation as its key does, and an expired one (absolute age or idle time,
 * `MOSY_SESSION_MAX_AGE_SECONDS` and `MOSY_SESSION_IDLE_SECONDS` on a test clock) or one whose key was revoked
 * answers as no credential at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@mosy/core';
import { embeddedApiDocument } from './api.js';
import { CALLERS, startWorld, type Caller, type World } from './test-support/world.js';

/** Who may call each operation: `public`, or the roles whose keys it accepts. */
const ACCESS: Readonly<Record<string, 'public' | readonly Role[]>> = {
  health: 'public',
  openApi: 'public',
  docs: 'public',
  taxonomy: 'public',
  regions: 'public',
  submit: ['provider'],
  getSubmission: ['provider'],
  providerQuality: ['provider'],
  createProvider: ['admin'],
  listProviders: ['admin'],
  getProvider: ['admin'],
  putMapping: ['admin'],
  mappingCoverage: ['admin'],
  createKey: ['admin'],
  listKeys: ['admin'],
  revokeKey: ['admin'],
  listIndicators: ['analyst', 'coordinator'],
  indicatorValues: ['analyst', 'coordinator'],
  indicatorProjection: ['analyst', 'coordinator'],
  liveValues: ['analyst', 'coordinator'],
  reportSimple: ['analyst', 'coordinator'],
  reportTotal: ['analyst', 'coordinator'],
  reportTimeFrame: ['analyst', 'coordinator'],
  reportGeo: ['analyst', 'coordinator'],
  reportQuality: ['provider', 'analyst', 'coordinator'],
  audit: ['coordinator', 'admin'],
  status: ['provider', 'analyst', 'coordinator', 'admin'],
  // The key to sign in with is in the body, so any caller gets past authorization (here: 400 for an empty body).
  signIn: 'public',
  whoAmI: ['provider', 'analyst', 'coordinator', 'admin'],
  signOut: ['provider', 'analyst', 'coordinator', 'admin'],
  spatialHotspots: ['analyst', 'coordinator'],
  spatialContext: ['analyst', 'coordinator'],
  spatialCorridors: ['analyst', 'coordinator'],
  geoManifest: ['analyst', 'coordinator'],
  geoFile: ['analyst', 'coordinator'],
  ownMapping: ['provider'],
  // Each provider's exact backlog (`pending`) only for coordinators and admins (provider-backlog.test.ts).
  providerActivity: ['analyst', 'coordinator', 'admin'],
  listQuarterlyExports: ['coordinator'],
  previewQuarterlyExport: ['coordinator'],
  downloadQuarterlyExport: ['coordinator'],
  draftQuarterlyExport: ['coordinator'],
  publishQuarterlyExport: ['coordinator'],
  reviseQuarterlyExport: ['coordinator'],
  registerHubNode: ['admin'],
  putHubReport: ['node'],
  withdrawHubReport: ['node'],
  hubTotals: ['analyst', 'coordinator'],
  hubComparison: ['analyst', 'coordinator'],
  hubFlows: ['analyst', 'coordinator'],
  sendQuarterlyExport: ['coordinator'],
};

/**
 * Operations whose successful answers may be kept in the browser's own cache (`private`, never a shared cache):
 * the map's boundary files, which are the same for every caller and large. Their refusals stay `no-store`.
 */
const PRIVATELY_CACHED: ReadonlySet<string> = new Set(['geoFile']);

/** The role a caller's credential has; undefined when it has none that is valid. */
const ROLE_OF: Readonly<Record<Caller, Role | undefined>> = {
  none: undefined,
  provider: 'provider',
  otherProvider: 'provider',
  analyst: 'analyst',
  coordinator: 'coordinator',
  admin: 'admin',
  bootstrap: 'admin',
  revoked: undefined,
  unknown: undefined,
  malformed: undefined,
  node: 'node',
  otherNode: 'node',
};

type Outcome = 'allowed' | 401 | 403;

const expected = (operationId: string, caller: Caller): Outcome => {
  const access = ACCESS[operationId];
  if (access === undefined) throw new Error(`no access rule declared for operation ${operationId}`);
  if (access === 'public') return 'allowed';
  const role = ROLE_OF[caller];
  if (role === undefined) return 401;
  return access.includes(role) ? 'allowed' : 403;
};

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
}

const operations = (): Operation[] =>
  Object.entries(embeddedApiDocument().paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { operationId: string }>).map(([method, op]) => ({
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
    })),
  );

/**
 * A concrete path for a template. Identifiers that exist where it matters (an indicator), that do not where a
 * hit would change state (a key to revoke): an allowed caller may then get 400 or 404, never a change.
 */
const concrete = (path: string): string =>
  path
    .replace('/v1/indicators/{id}', '/v1/indicators/victims')
    .replace(/\/v1\/reports\/([a-z-]+)\/\{id\}/, '/v1/reports/$1/victims')
    .replace('{submissionId}', 'sub_no_such_submission')
    // The runtime here has no geo data folder, so the map falls back to this file.
    .replace('{file}', 'world-atlas-countries-50m.topojson')
    .replace('{id}', 'no-such-id');

/** Writes get an empty object: refused by validation (400) when authorization lets them through. */
const bodyFor = (method: string): unknown => (method === 'GET' || method === 'DELETE' ? undefined : {});

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function expectSecurityHeaders(res: Response, where: string, cacheable = false): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(res.headers.get(name), `${name} on ${where}`).toBe(value);
  expect(res.headers.get('cache-control') ?? '', `cache-control on ${where}`).toMatch(
    cacheable ? /^private\b/ : /\bno-store\b/,
  );
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, `content-security-policy on ${where}`).toMatch(/default-src 'none'/);
  expect(csp, `content-security-policy on ${where}`).toMatch(/frame-ancestors 'none'/);
  // Served over plain http here: HSTS would be wrong (`MOSY_HSTS=auto`).
  expect(res.headers.get('strict-transport-security'), `HSTS on ${where}`).toBeNull();
}

let world: World;

beforeAll(async () => {
  world = await startWorld({ hardening: { rateLimitPerMinute: 100_000 } });
}, 60_000);

afterAll(async () => {
  await world.close();
});

describe('the authorization matrix', () => {
  it('declares a rule for every operation of the document, and none for an operation that is gone', () => {
    const ids = operations().map((op) => op.operationId);
    expect(ids.filter((id) => ACCESS[id] === undefined)).toEqual([]);
    expect(Object.keys(ACCESS).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('answers every operation × caller as declared, with the security headers', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations()) {
      const path = concrete(op.path);
      for (const caller of CALLERS) {
        const want = expected(op.operationId, caller);
        const abort = new AbortController();
        const body = bodyFor(op.method);
        const res = await fetch(`${world.runtime.url}${path}`, {
          method: op.method,
          signal: abort.signal,
          headers: {
            ...(world.auth[caller] === undefined ? {} : { authorization: world.auth[caller] }),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const where = `${op.method} ${path} as ${caller}`;
        expectSecurityHeaders(res, where, PRIVATELY_CACHED.has(op.operationId) && res.status === 200);
        // The live stream never ends: its status and headers are the answer.
        if (res.headers.get('content-type')?.startsWith('text/event-stream') === true) abort.abort();
        else await res.text();
        // Any status below 500 other than 401 and 403 means authorization let the request through.
        const got: 'allowed' | number =
          res.status === 401 || res.status === 403 ? res.status : res.status < 500 ? 'allowed' : res.status;
        if (got !== want) failures.push(`${where}: expected ${String(want)}, got ${res.status}`);
        if (res.status === 401) expect(res.headers.get('www-authenticate'), where).toBe('Bearer');
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(operations().length * CALLERS.length);
  }, 60_000);

  it('lets a node key publish and withdraw for its own country only', async () => {
    const report = {
      revision: 0,
      observations: [{ key: { indicator: 'victims', period: '2026-Q1' }, value: 9 }],
    };
    const other = await world.call('otherNode', 'PUT', '/v1/hub/reports/PT/2026-Q1', report);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { detail: string }).detail).toBe(
      'This node key publishes for ES, not PT.',
    );
    const own = await world.call('node', 'PUT', '/v1/hub/reports/PT/2026-Q1', report);
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ country: 'PT', period: '2026-Q1', revision: 0, outcome: 'stored' });
    expect((await world.call('otherNode', 'DELETE', '/v1/hub/reports/PT/2026-Q1')).status).toBe(403);
    expect((await world.call('node', 'POST', '/v1/session', { key: 'x' })).status).toBe(403);
    expect((await world.call('node', 'DELETE', '/v1/hub/reports/PT/2026-Q1')).status).toBe(200);
  });

  it('puts the security headers on unknown routes, malformed bodies and the docs page', async () => {
    const unknown = await world.call('analyst', 'GET', '/v1/no-such-route');
    expect(unknown.status).toBe(404);
    expectSecurityHeaders(unknown, 'an unknown route');
    const malformed = await fetch(`${world.runtime.url}/v1/submissions`, {
      method: 'POST',
      headers: { authorization: world.auth.provider ?? '', 'content-type': 'application/json' },
      body: '{"records": [',
    });
    expect(malformed.status).toBe(400);
    expectSecurityHeaders(malformed, 'malformed JSON');
    const docs = await world.call('none', 'GET', '/docs');
    expect(docs.status).toBe(200);
    // The page runs its own inline script and fetches the document from its origin, nothing else.
    expect(docs.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await docs.text()).toContain("fetch('/openapi.json')");
  });
});

describe('ownership', () => {
  it('answers a provider asking for another provider’s receipt as if it did not exist', async () => {
    const submitted = await world.call('provider', 'POST', '/v1/submissions', { records: world.records });
    expect(submitted.status).toBe(202);
    const { submissionId } = (await submitted.json()) as { submissionId: string };
    expect((await world.call('provider', 'GET', `/v1/submissions/${submissionId}`)).status).toBe(200);
    const other = await world.call('otherProvider', 'GET', `/v1/submissions/${submissionId}`);
    const none = await world.call('otherProvider', 'GET', '/v1/submissions/sub_no_such_submission');
    expect(other.status).toBe(404);
    expect(none.status).toBe(404);
    // Same answer either way: the existence of another provider's submission is not revealed.
    expect(await other.json()).toEqual(await none.json());
  });

  it('rejects records that name another provider (provider-mismatch) and accepts none of them', async () => {
    const records = world.records.map((r) => ({ ...r, providerId: world.otherProviderId }));
    const res = await world.call('provider', 'POST', '/v1/submissions', { records });
    const receipt = (await res.json()) as {
      accepted: number;
      records: { status: string; issues?: { code: string }[] }[];
    };
    expect(receipt.accepted).toBe(0);
    expect(receipt.records.every((r) => r.status === 'rejected')).toBe(true);
    expect(
      receipt.records.every((r) => r.issues?.some((issue) => issue.code === 'provider-mismatch') === true),
    ).toBe(true);
  });

  it('shows a provider only its own data quality', async () => {
    const res = await world.call('otherProvider', 'GET', '/v1/quality');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { providerId: string }).providerId).toBe(world.otherProviderId);
  });

  it('refuses an analyst unprotected values with 403, and audits the refusal', async () => {
    const path = '/v1/indicators/victims/values?by=sex&protection=none';
    const res = await world.call('analyst', 'GET', path);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('forbidden');
    const audit = await world.call('coordinator', 'GET', '/v1/audit');
    const { entries } = (await audit.json()) as {
      entries: { keyId: string; role: string; action: string; resource: string; query: string }[];
    };
    expect(entries).toContainEqual(
      expect.objectContaining({
        keyId: world.keyIds.analyst,
        role: 'analyst',
        action: 'refused-unprotected',
        resource: '/v1/indicators/victims/values',
        query: 'by=sex&protection=none',
      }),
    );
  });

  it('refuses the audit log to an analyst with 403, and audits that too', async () => {
    expect((await world.call('analyst', 'GET', '/v1/audit?limit=5')).status).toBe(403);
    const audit = await world.call('admin', 'GET', '/v1/audit?limit=1');
    const { entries } = (await audit.json()) as { entries: { keyId: string; action: string }[] };
    expect(entries).toEqual([
      expect.objectContaining({ keyId: world.keyIds.analyst, action: 'refused-audit-read' }),
    ]);
  });
});

describe('a provider acting as another provider', () => {
  const victim = (recordId: string, version: number, fields: Record<string, string>) => ({
    recordId,
    version,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2024-05-05',
    fields,
  });
  const records = async (): Promise<number> => {
    for (;;) {
      const status = (await (await world.call('coordinator', 'GET', '/v1/status')).json()) as {
        idle: boolean;
        records: number;
      };
      if (status.idle) return status.records;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const countOf = async (providerId: string): Promise<number> => {
    const res = await world.call(
      'coordinator',
      'GET',
      `/v1/indicators/victims/values?providers=${providerId}&protection=none&unit=records`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { total: number }).total;
  };

  it('cannot overwrite or withdraw another provider’s record by using its record id', async () => {
    const before = await records();
    const theirsBefore = await countOf(world.otherProviderId);
    const theirs = await world.call('otherProvider', 'POST', '/v1/submissions', {
      records: [victim('shared-id-1', 1, { gender: 'female', case_status: 'identified' })],
    });
    expect(((await theirs.json()) as { accepted: number }).accepted).toBe(1);
    expect(await records()).toBe(before + 1);
    // The same record id from the other key is that key's own record: a second record, then withdrawn.
    const mine = await world.call('provider', 'POST', '/v1/submissions', {
      records: [
        victim('shared-id-1', 1, { sexo: 'Feminino', estatuto: 'Identificada' }),
        { ...victim('shared-id-1', 2, {}), action: 'withdraw' },
      ],
    });
    expect(((await mine.json()) as { accepted: number }).accepted).toBe(2);
    expect(await records()).toBe(before + 1);
    expect(await countOf(world.otherProviderId)).toBe(theirsBefore + 1);
  });

  it('cannot read another provider’s quality figures', async () => {
    const res = await world.call('provider', 'GET', `/v1/reports/quality?providers=${world.otherProviderId}`);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('invalid-query');
    expect(problem.detail).toMatch(/a provider key reads its own provider only/);
    const own = await world.call('provider', 'GET', '/v1/reports/quality');
    expect(own.status).toBe(200);
    const { providers } = (await own.json()) as { providers: { providerId: string }[] };
    expect(providers.map((p) => p.providerId)).toEqual([world.providerId]);
  });
});

describe('browser sessions in the matrix', () => {
  const MAX_AGE_SECONDS = 3_600;
  const IDLE_SECONDS = 600;
  let clock = Date.now();
  let sessions: World;

  beforeAll(async () => {
    sessions = await startWorld({
      now: () => clock,
      hardening: {
        rateLimitPerMinute: 100_000,
        sessionMaxAgeSeconds: MAX_AGE_SECONDS,
        sessionIdleSeconds: IDLE_SECONDS,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await sessions?.close();
  });

  const signIn = async (key: string): Promise<string> => {
    const res = await fetch(`${sessions.runtime.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'test' },
      body: JSON.stringify({ key }),
    });
    expect(res.status).toBe(200);
    const cookie = /mosy_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    return `mosy_session=${cookie}`;
  };

  /** Every operation but sign-in and sign-out (which start and end the session), called with the cookie. */
  const answers = async (cookie: string): Promise<Map<string, number>> => {
    const out = new Map<string, number>();
    for (const op of operations()) {
      if (op.operationId === 'signIn' || op.operationId === 'signOut') continue;
      const abort = new AbortController();
      const body = bodyFor(op.method);
      const res = await fetch(`${sessions.runtime.url}${concrete(op.path)}`, {
        method: op.method,
        signal: abort.signal,
        headers: {
          cookie,
          'x-requested-with': 'test',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.headers.get('content-type')?.startsWith('text/event-stream') === true) abort.abort();
      else await res.text();
      out.set(op.operationId, res.status);
    }
    return out;
  };

  /** The outcome the matrix declares for a role, per operation (the same operations as `answers`). */
  const declared = (caller: Caller): Map<string, Outcome> =>
    new Map(
      operations()
        .filter((op) => op.operationId !== 'signIn' && op.operationId !== 'signOut')
        .map((op) => [op.operationId, expected(op.operationId, caller)]),
    );
  const outcomes = (got: Map<string, number>): Map<string, 'allowed' | number> =>
    new Map(
      [...got].map(([id, status]) => [
        id,
        status === 401 || status === 403 ? status : status < 500 ? 'allowed' : status,
      ]),
    );
  const analystKey = (): string => sessions.auth.analyst!.replace(/^Bearer /, '');

  it('answers a live session like its key, and every operation 401 after its absolute age', async () => {
    const cookie = await signIn(analystKey());
    expect(outcomes(await answers(cookie))).toEqual(declared('analyst'));
    // Kept busy (a request every 10 minutes less a second), it still ends MAX_AGE_SECONDS after sign-in.
    const signedInAt = clock;
    while (clock - signedInAt <= MAX_AGE_SECONDS * 1000) {
      clock += (IDLE_SECONDS - 1) * 1000;
      const status = (await fetch(`${sessions.runtime.url}/v1/session`, { headers: { cookie } })).status;
      expect(status).toBe(clock - signedInAt <= MAX_AGE_SECONDS * 1000 ? 200 : 401);
    }
    // As without any credential: public operations answer, every other one is 401.
    const after = await answers(cookie);
    expect(outcomes(after)).toEqual(declared('none'));
    expect(after.size).toBe(operations().length - 2);
    const problem = (await (
      await fetch(`${sessions.runtime.url}/v1/status`, { headers: { cookie } })
    ).json()) as { code: string; detail: string };
    expect(problem).toMatchObject({
      code: 'unauthenticated',
      detail: 'The session has ended; sign in again.',
    });
  });

  it('ends a session left idle longer than its idle time', async () => {
    const cookie = await signIn(analystKey());
    clock += (IDLE_SECONDS - 1) * 1000;
    expect((await fetch(`${sessions.runtime.url}/v1/session`, { headers: { cookie } })).status).toBe(200);
    clock += (IDLE_SECONDS + 1) * 1000;
    expect(outcomes(await answers(cookie))).toEqual(declared('none'));
  });

  it('ends the sessions of a revoked key at once, for every operation', async () => {
    const issued = await fetch(`${sessions.runtime.url}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessions.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'coordinator' }),
    });
    const { id, key } = (await issued.json()) as { id: string; key: string };
    const cookie = await signIn(key);
    expect(outcomes(await answers(cookie))).toEqual(declared('coordinator'));
    const revoked = await fetch(`${sessions.runtime.url}/v1/admin/keys/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sessions.adminToken}` },
    });
    expect(revoked.status).toBe(204);
    expect(outcomes(await answers(cookie))).toEqual(declared('none'));
  });
});
