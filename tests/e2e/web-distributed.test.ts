/**
 * The web app on the distributed runtime (ingest, report-api, a normalizer and an aggregator as processes on the
 * real Kafka, registry, ClickHouse and Redis), through report-api's origin alone: report-api serves the app, starts
 * the browser session (kept in Redis) and forwards ingest's routes to ingest, which accepts the same cookie. An
 * admin signs in, lists providers, registers one and creates a key on the admin page; the provider signs in with
 * the key shown once and enters a record on the data entry page, and the pipeline counts exactly that record.
 * Over HTTP: ingest itself accepts the session report-api started, still demands X-Requested-With for a change,
 * and refuses the session once it is signed out on report-api.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { axeViolations, shot } from './lib/browser.js';
import { startDistributed, type DistributedSystem } from './lib/distributed.js';
import { createClient } from './lib/client.js';
import { waitIdle } from './lib/load.js';

let system: DistributedSystem;
let browser: Browser;
let origin: string;
let ingest: string;
const foreign: string[] = [];
const consoleErrors: string[] = [];
const xrw = { 'x-requested-with': 'e2e' };

beforeAll(async () => {
  system = await startDistributed();
  origin = system.services.find((s) => s.name === 'report-api')?.url ?? '';
  ingest = system.services.find((s) => s.name === 'ingest')?.url ?? '';
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

async function signIn(key: string): Promise<string> {
  const res = await fetch(`${origin}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...xrw },
    body: JSON.stringify({ key }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  expect(cookie).toMatch(/^mosy_session=[\w-]{43}$/);
  return cookie;
}

async function newPage(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, locale: 'en-GB' });
  context.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  context.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) consoleErrors.push(message.text());
  });
  context.on('weberror', (error) => consoleErrors.push(error.error().message));
  return context;
}

const MAPPING = `{
  "format": "mosy-mapping/1",
  "fields": { "sex": { "from": "gender", "values": { "female": "F", "male": "M" } } }
}`;

describe('web app on the distributed runtime, one origin', () => {
  it('shares the cookie session with ingest, which still checks it', async () => {
    const cookie = await signIn(system.adminToken);
    // Through report-api's forwarding, and straight at ingest: the session is in Redis, not in one process.
    for (const base of [origin, ingest]) {
      const res = await fetch(`${base}/v1/admin/providers`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ providers: [] });
    }
    const change = await fetch(`${origin}/v1/admin/keys`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'analyst' }),
    });
    expect(change.status).toBe(403);
    expect(((await change.json()) as { code: string }).code).toBe('forbidden');
    const out = await fetch(`${origin}/v1/session`, { method: 'DELETE', headers: { cookie, ...xrw } });
    expect(out.status).toBe(204);
    const after = await fetch(`${ingest}/v1/admin/providers`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('lets an admin register a provider and create a key, and the provider enter a record that is counted', async () => {
    const admin = await newPage();
    const page = await admin.newPage();
    await page.goto(origin);
    await page.getByLabel('API key').fill(system.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who[data-role="admin"]').waitFor();
    const form = page.locator('form[data-form="register"]');
    await form.waitFor();
    await form.getByLabel('Provider id').fill('dist-ngo');
    await form.getByLabel('Name').fill('Distributed NGO');
    await form.getByLabel('Type').selectOption('NGO');
    await form.getByLabel(/^Mapping/).fill(MAPPING);
    await form.getByRole('button', { name: 'Register' }).click();
    const shown = page.locator('.shown-once [data-secret]');
    await shown.waitFor();
    const providerKey = (await shown.textContent()) ?? '';
    await page.locator('tr[data-provider="dist-ngo"]').waitFor();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate('scrollTo(0, 0)');
    await shot(page, 'admin-distributed');

    const keyForm = page.locator('form[data-form="key"]');
    await keyForm.getByLabel('Role').selectOption('analyst');
    await keyForm.getByLabel('Label (optional)').fill('distributed');
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    await shown.waitFor();
    const analystKey = (await shown.textContent()) ?? '';
    const indicators = await fetch(`${origin}/v1/indicators`, {
      headers: { authorization: `Bearer ${analystKey}` },
    });
    expect(indicators.status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await admin.close();

    const provider = await newPage();
    const entry = await provider.newPage();
    await entry.goto(origin);
    await entry.getByLabel('API key').fill(providerKey);
    await entry.getByRole('button', { name: 'Sign in' }).click();
    await entry.locator('.who[data-role="provider"]').waitFor();
    await entry.locator('form[data-form="entry"]').waitFor();
    await entry.fill('#f-recordId', 'dist-1');
    await entry.fill('#f-referenceDate', '2025-03-14');
    await entry.getByRole('button', { name: 'Send the record' }).click();
    await entry.locator('[data-result="accepted"]').waitFor();
    expect(await axeViolations(entry)).toEqual([]);
    await provider.close();

    const status = await waitIdle(createClient(origin), system.adminToken);
    expect(status.records).toBe(1);
  });

  it('made no request to another origin, broke no CSP rule and threw no error', () => {
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
