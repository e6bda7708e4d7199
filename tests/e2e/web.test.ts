/**
 * The web app in a real browser: Debian's chromium (deploy/local/chromium.sh), driven by playwright-core, against
 * the embedded runtime with its synthetic demo data. Each role signs in and sees only its pages; the dashboard's
 * numbers equal the API's for the same query, formatted as the analyst sees them; signing out ends the session on
 * the server; axe-core finds no serious or critical violation; the page stays on its own origin under the CSP.
 * Screenshots of each page go to docs/screenshots/.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { loadDemoIfEmpty, startStandalone, type DemoKeys, type Standalone } from '@mosy/standalone';
import { createClient } from './lib/client.js';
import { waitIdle } from './lib/load.js';

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Role = 'provider' | 'analyst' | 'coordinator' | 'admin';
const NAV: Record<Role, string[]> = {
  provider: ['entry', 'quality'],
  analyst: ['dashboard', 'reports', 'map', 'projection', 'quality'],
  coordinator: ['dashboard', 'reports', 'map', 'projection', 'quality', 'exports'],
  admin: ['admin'],
};

let app: Standalone;
let keys: DemoKeys;
let browser: Browser;
const adminToken = `e2e-web-admin-${Date.now()}`;
/** Requests the pages made to another origin, and CSP refusals or uncaught errors they logged. */
const foreign: string[] = [];
const consoleErrors: string[] = [];

const keyOf = (role: Role): string =>
  role === 'admin' ? adminToken : role === 'provider' ? keys.provider.key : keys[role];

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(app.url) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  // A 401 answer logs "Failed to load resource" by design (who is signed in?); CSP refusals and uncaught errors do not.
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  return { context, page };
}

async function signIn(page: Page, role: Role): Promise<void> {
  await page.goto(app.url);
  await page.getByLabel('API key').fill(keyOf(role));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(`.who[data-role="${role}"]`).waitFor();
}

/** Serious and critical axe-core violations of the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern; the app itself runs no inline script.
  await page.evaluate(AXE_SOURCE);
  // A string, run in the page: this project's TypeScript has no DOM types.
  const results = await page.evaluate<{ id: string; impact: string }[]>(
    'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))',
  );
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname });

beforeAll(async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mosy-e2e-web-')), 'data');
  app = await startStandalone({
    dataDir,
    port: 0,
    adminToken,
    pseudonymSecret: 'e2e-pseudonym-secret-of-at-least-32-bytes',
    logger: createLogger({ name: 'mosy', level: 'warn' }),
  });
  const demo = await loadDemoIfEmpty(app, dataDir);
  if (demo === undefined) throw new Error('no demo data loaded');
  keys = demo;
  await waitIdle(createClient(app.url), adminToken);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('web app', () => {
  it('serves the app at / under a strict Content-Security-Policy, and the JSON API as before', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const js = await fetch(`${app.url}${asset}`);
    expect(js.headers.get('cache-control')).toContain('immutable');
    const api = await fetch(`${app.url}/v1/indicators`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('signs each role in and shows it only its own pages', async () => {
    for (const role of ['provider', 'analyst', 'coordinator', 'admin'] as const) {
      const { context, page } = await newPage();
      if (role === 'provider') {
        await page.goto(app.url);
        await page.getByLabel('API key').waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await shot(page, 'sign-in');
      }
      await signIn(page, role);
      const nav = await page.evaluate<string[]>(
        "[...document.querySelectorAll('nav a[data-page]')].map((a) => a.dataset.page)",
      );
      expect(nav, role).toEqual(NAV[role]);
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'mosy_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Strict');
      // The key is in no storage the page's scripts can read.
      const stored = await page.evaluate<string>(
        'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie',
      );
      expect(stored).not.toContain(keyOf(role));
      if (role !== 'analyst' && role !== 'coordinator') {
        await page.locator('main h1').waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await shot(page, `${role}-home`);
      }
      await context.close();
    }
  });

  it("shows on the dashboard exactly the API's latest quarterly values, as the analyst sees them", async () => {
    const { context, page } = await newPage();
    await signIn(page, 'analyst');
    await page.locator('table.indicators tbody tr').first().waitFor();
    const rows = await page.evaluate<{ id: string; period: string; value: string }[]>(
      `[...document.querySelectorAll('table.indicators tbody tr')].map((tr) => ({
        id: tr.dataset.indicator,
        period: tr.querySelector('[data-period]').textContent,
        value: tr.querySelector('[data-value]').textContent,
      }))`,
    );
    const catalogue = (await (
      await fetch(`${app.url}/v1/indicators`, { headers: { authorization: `Bearer ${keys.analyst}` } })
    ).json()) as { indicators: { id: string }[] };
    expect(rows.map((r) => r.id)).toEqual(catalogue.indicators.map((i) => i.id));
    const format = new Intl.NumberFormat('en-GB');
    let numbers = 0;
    for (const row of rows) {
      const values = (await (
        await fetch(`${app.url}/v1/indicators/${row.id}/values?interval=quarter`, {
          headers: { authorization: `Bearer ${keys.analyst}` },
        })
      ).json()) as { cells: { period?: string; value: number | null }[] };
      const latest = values.cells
        .filter((c) => /^\d{4}-Q[1-4]$/.test(c.period ?? ''))
        .sort((a, b) => (a.period! < b.period! ? 1 : -1))[0];
      expect(row.period, row.id).toBe(latest?.period ?? '—');
      const expected =
        latest === undefined ? 'no data' : latest.value === null ? 'withheld' : format.format(latest.value);
      expect(row.value, row.id).toBe(expected);
      if (latest?.value !== null && latest !== undefined) numbers++;
    }
    expect(numbers).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'dashboard');

    // Portuguese: the same numbers in pt-PT's format, and the choice remembered across a reload.
    await page.getByLabel('Language').selectOption('pt');
    await page.reload();
    await page.locator('table.indicators tbody tr').first().waitFor();
    expect(await page.locator('main h1').textContent()).toBe('Painel');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'dashboard-pt');
    await context.close();
  });

  it('signs out: the session cookie no longer works', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'coordinator');
    const cookie = (await context.cookies()).find((c) => c.name === 'mosy_session');
    expect(cookie).toBeDefined();
    const header = { cookie: `mosy_session=${cookie!.value}` };
    expect((await fetch(`${app.url}/v1/session`, { headers: header })).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect((await fetch(`${app.url}/v1/session`, { headers: header })).status).toBe(401);
    expect((await fetch(`${app.url}/v1/indicators`, { headers: header })).status).toBe(401);
    await context.close();
  });

  it('rejects a cookie-authenticated change without X-Requested-With', async () => {
    const signIn = await fetch(`${app.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'test' },
      body: JSON.stringify({ key: keys.analyst }),
    });
    expect(signIn.status).toBe(200);
    const cookie = /mosy_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
    expect((await fetch(`${app.url}/v1/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(
      403,
    );
    const noHeader = await fetch(`${app.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: keys.analyst }),
    });
    expect(noHeader.status).toBe(403);
  });

  it('made no request to another origin, broke no CSP rule and threw no error', () => {
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
