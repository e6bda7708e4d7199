/**
 * The demo that `npm start` loads, and the banner's line for submitting one more record: followed as printed, it
 * must be accepted and raise the banner's read of registered victims by exactly one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { loadDemoIfEmpty, type DemoKeys } from './demo.js';
import { startStandalone, type Standalone } from './standalone.js';

let dir: string;
let app: Standalone;
let keys: DemoKeys;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mosy-demo-'));
  app = await startStandalone({
    dataDir: dir,
    port: 0,
    adminToken: 'demo-test-admin-token',
    pseudonymSecret: 'demo-test-pseudonym-secret-of-at-least-32-bytes',
    logger: createLogger({ name: 'demo-test', level: 'silent' }),
  });
  const loaded = await loadDemoIfEmpty(app, dir);
  if (loaded === undefined) throw new Error('no demo data loaded');
  keys = loaded;
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const call = (key: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${app.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function idle(): Promise<void> {
  for (;;) {
    const status = (await (await call(keys.analyst, '/v1/status')).json()) as { idle: boolean };
    if (status.idle) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The banner's read, unprotected (a coordinator's privilege) so that a change of one shows exactly.
async function registeredVictims(): Promise<number> {
  const reply = await call(
    keys.coordinator,
    '/v1/indicators/victims/values?by=sex&interval=year&protection=none',
  );
  expect(reply.status).toBe(200);
  return ((await reply.json()) as { total: number }).total;
}

describe('the npm start demo', () => {
  it("counts the banner's sample record as one more registered victim", async () => {
    await idle();
    const before = await registeredVictims();
    expect(keys.provider.sampleRecord).toMatchObject({ recordId: 'demo-curl-1', version: 1, kind: 'victim' });
    expect(keys.provider.sampleRecord).not.toHaveProperty('identity');
    const reply = await call(keys.provider.key, '/v1/submissions', { records: [keys.provider.sampleRecord] });
    expect(reply.status).toBe(202);
    expect(await reply.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0 });
    await idle();
    expect(await registeredVictims()).toBe(before + 1);
  }, 60_000);
});
