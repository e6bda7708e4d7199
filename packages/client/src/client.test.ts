import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { startStandalone, type Standalone } from '@mosy/standalone';
import { createMosyClient } from './index.js';

let dir: string;
let runtime: Standalone;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mosy-client-'));
  runtime = await startStandalone({
    dataDir: dir,
    port: 0,
    adminToken: 'client-test-admin',
    pseudonymSecret: 'client-test-secret-of-at-least-32-bytes!!',
    logger: createLogger({ name: 'client-test', level: 'silent' }),
  });
}, 60_000);

afterAll(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the typed client', () => {
  it('reads public and keyed endpoints of the embedded runtime with typed answers', async () => {
    const admin = createMosyClient({ baseUrl: runtime.url, key: runtime.adminToken });
    const created = await admin.POST('/v1/admin/keys', { body: { role: 'analyst', label: 'client test' } });
    expect(created.response.status).toBe(201);
    const analyst = createMosyClient({ baseUrl: runtime.url, key: created.data?.key ?? '' });
    const { data: taxonomy } = await createMosyClient({ baseUrl: runtime.url }).GET('/v1/taxonomy');
    expect(taxonomy?.codeLists.sex).toMatchObject({ F: expect.any(String) as unknown });
    const { data: values } = await analyst.GET('/v1/indicators/{id}/values', {
      params: { path: { id: 'victims' }, query: { by: 'sex' } },
    });
    expect(values).toMatchObject({ indicator: 'victims', unit: 'persons', total: 0 });
  });

  it('gives problem+json as the typed error', async () => {
    const analyst = createMosyClient({ baseUrl: runtime.url, key: 'not-a-key' });
    const { error, response } = await analyst.GET('/v1/status');
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401 });
  });
});
