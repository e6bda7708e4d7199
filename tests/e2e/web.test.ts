/**
 * The web app in a real browser: Debian's chromium (deploy/local/chromium.sh), driven by playwright-core, against
 * the embedded runtime with its synthetic demo data. Each role signs in and sees only its pages; the dashboard's
 * numbers equal the API's for the same query, formatted as the analyst sees them; signing out ends the session on
 * the server; axe-core finds no serious or critical violation; the page stays on its own origin under the CSP.
 * Screenshots of each page go to docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, type Role, type WebHarness } from './lib/browser.js';

const NAV: Record<Role, string[]> = {
  provider: ['entry', 'quality'],
  analyst: ['dashboard', 'reports', 'map', 'projection', 'quality'],
  coordinator: ['dashboard', 'reports', 'map', 'projection', 'quality', 'exports'],
  admin: ['admin'],
};

let web: WebHarness;

beforeAll(async () => {
  web = await startWebHarness('web');
});

afterAll(async () => {
  await web?.close();
});

describe('web app', () => {
  it('serves the app at / under a strict Content-Security-Policy, and the JSON API as before', async () => {
    const page = await fetch(`${web.app.url}/`);
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
    const js = await fetch(`${web.app.url}${asset}`);
    expect(js.headers.get('cache-control')).toContain('immutable');
    const api = await fetch(`${web.app.url}/v1/indicators`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('signs each role in and shows it only its own pages', async () => {
    for (const role of ['provider', 'analyst', 'coordinator', 'admin'] as const) {
      const { context, page } = await web.newPage();
      if (role === 'provider') {
        await page.goto(web.app.url);
        await page.getByLabel('API key').waitFor();
        expect(await web.axeViolations(page)).toEqual([]);
        await web.shot(page, 'sign-in');
      }
      await web.signIn(page, role);
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
      expect(stored).not.toContain(web.keyOf(role));
      if (role !== 'analyst' && role !== 'coordinator') {
        await page.locator('main h1').waitFor();
        expect(await web.axeViolations(page)).toEqual([]);
        await web.shot(page, `${role}-home`);
      }
      await context.close();
    }
  });

  it("shows on the dashboard exactly the API's latest quarterly values, as the analyst sees them", async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'analyst');
    // The table appears with the live stream's first snapshot.
    await page.locator('table.indicators tbody tr').first().waitFor();
    const rows = await page.evaluate<{ id: string; period: string; value: string; raw?: string }[]>(
      `[...document.querySelectorAll('table.indicators tbody tr')].map((tr) => ({
        id: tr.dataset.indicator,
        period: tr.querySelector('[data-period]').textContent,
        value: tr.querySelector('[data-latest]').textContent,
        raw: tr.querySelector('[data-latest]').dataset.value,
      }))`,
    );
    const catalogue = (await (
      await fetch(`${web.app.url}/v1/indicators`, {
        headers: { authorization: `Bearer ${web.keys.analyst}` },
      })
    ).json()) as { indicators: { id: string }[] };
    expect(rows.map((r) => r.id)).toEqual(catalogue.indicators.map((i) => i.id));
    const format = new Intl.NumberFormat('en-GB');
    let numbers = 0;
    for (const row of rows) {
      const values = (await (
        await fetch(`${web.app.url}/v1/indicators/${row.id}/values?interval=quarter`, {
          headers: { authorization: `Bearer ${web.keys.analyst}` },
        })
      ).json()) as { cells: { period?: string; value: number | null }[] };
      const latest = values.cells
        .filter((c) => /^\d{4}-Q[1-4]$/.test(c.period ?? ''))
        .sort((a, b) => (a.period! < b.period! ? 1 : -1))[0];
      expect(row.period, row.id).toBe(latest?.period ?? '—');
      const expected =
        latest === undefined ? 'no data' : latest.value === null ? 'withheld' : format.format(latest.value);
      expect(row.value, row.id).toBe(expected);
      // The number as received (or `withheld`), for the analyst-protection test that reads every page's cells.
      expect(row.raw, row.id).toBe(
        latest === undefined ? undefined : latest.value === null ? 'withheld' : String(latest.value),
      );
      if (latest?.value !== null && latest !== undefined) numbers++;
    }
    expect(numbers).toBeGreaterThan(0);
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'dashboard');

    // Portuguese: the same numbers in pt-PT's format, and the choice remembered across a reload.
    await page.getByLabel('Language').selectOption('pt');
    await page.reload();
    await page.locator('table.indicators tbody tr').first().waitFor();
    expect(await page.locator('main h1').textContent()).toBe('Painel');
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'dashboard-pt');
    await context.close();
  });

  it('signs out: the session cookie no longer works', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'coordinator');
    const cookie = (await context.cookies()).find((c) => c.name === 'mosy_session');
    expect(cookie).toBeDefined();
    const header = { cookie: `mosy_session=${cookie!.value}` };
    expect((await fetch(`${web.app.url}/v1/session`, { headers: header })).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect((await fetch(`${web.app.url}/v1/session`, { headers: header })).status).toBe(401);
    expect((await fetch(`${web.app.url}/v1/indicators`, { headers: header })).status).toBe(401);
    await context.close();
  });

  it('rejects a cookie-authenticated change without X-Requested-With', async () => {
    const signIn = await fetch(`${web.app.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'test' },
      body: JSON.stringify({ key: web.keys.analyst }),
    });
    expect(signIn.status).toBe(200);
    const cookie = /mosy_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
    expect((await fetch(`${web.app.url}/v1/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(
      403,
    );
    const noHeader = await fetch(`${web.app.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: web.keys.analyst }),
    });
    expect(noHeader.status).toBe(403);
  });

  it('made no request to another origin, broke no CSP rule and threw no error', () => {
    expect(web.foreign).toEqual([]);
    expect(web.consoleErrors).toEqual([]);
  });
});
