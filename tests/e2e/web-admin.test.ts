/**
 * Administration in a real browser, against the embedded runtime with its demo data: registering a provider whose
 * mapping has an error shows the server's problem next to the line it concerns, and once corrected the provider is
 * registered and its key (shown once) works; the coverage report lists a value its mapping did not map; a key is
 * created (shown once, gone from the page when dismissed), works, and stops working when revoked; the audit log
 * pages through exactly the entries the API holds. axe-core finds no serious or critical violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from './lib/browser.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startWebHarness('web-admin');
});

afterAll(async () => {
  await web?.close();
});

const call = (path: string, key: string, init: RequestInit = {}) =>
  fetch(`${web.app.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });

/** A mapping whose line 6 maps "male" to "Q", which is no code of sex. */
const BAD_MAPPING = `{
  "format": "mosy-mapping/1",
  "fields": {
    "sex": {
      "from": "gender",
      "values": { "female": "F", "male": "Q" }
    }
  },
  "drop": ["notes"]
}`;

/** From now on, records in the page the audit pager's page number and first row at every change (a script string: this
 * project's TypeScript has no DOM types). */
const watchPager = (page: Page) =>
  page.evaluate(`
    window.pagerStates = [];
    new MutationObserver(() => {
      const label = document.querySelector('[data-audit-page]')?.getAttribute('data-audit-page');
      const first = document.querySelector('table[data-table="audit"] tbody tr td:nth-child(5)');
      if (label != null) window.pagerStates.push(label + ' ' + (first?.textContent ?? '(no rows)'));
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  `);

/** The distinct states recorded since `watchPager` that named page `p`. */
const pagerStatesNaming = async (page: Page, p: number) =>
  [...new Set(await page.evaluate<string[]>('window.pagerStates'))].filter((s) => s.startsWith(`${p} `));

describe('administration', () => {
  it('shows a refused mapping’s problems next to their lines, registers the corrected provider and shows its key once', async () => {
    // The server's own answer to the bad mapping, to compare with the page.
    const refused = await call('/v1/admin/providers', web.adminToken, {
      method: 'POST',
      body: JSON.stringify({
        id: 'web-ngo',
        type: 'NGO',
        name: 'Web NGO',
        mapping: JSON.parse(BAD_MAPPING) as object,
      }),
    });
    expect(refused.status).toBe(400);
    const problem = (await refused.json()) as { issues: { field: string; message: string }[] };
    expect(problem.issues.map((i) => i.field)).toEqual(['fields.sex.values.male']);

    const { context, page } = await web.newPage();
    await web.signIn(page, 'admin');
    await page.locator('table[data-table="providers"] tbody tr').first().waitFor();
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'admin');

    const form = page.locator('form[data-form="register"]');
    await form.getByLabel('Provider id').fill('web-ngo');
    await form.getByLabel('Name').fill('Web NGO');
    await form.getByLabel('Type').selectOption('NGO');
    await form.getByLabel(/^Mapping/).fill(BAD_MAPPING);
    await form.getByRole('button', { name: 'Register' }).click();
    const line = form.locator('li[data-line="6"]');
    await line.locator('.problem').waitFor();
    expect(await line.locator('code').textContent()).toBe('      "values": { "female": "F", "male": "Q" }');
    expect(await line.locator('.problem').textContent()).toBe(problem.issues[0]?.message);
    expect(await form.locator('.problem').count()).toBe(1);
    expect(await web.axeViolations(page)).toEqual([]);
    await line.scrollIntoViewIfNeeded();
    await web.shot(page, 'admin-mapping-problems');

    await form.getByLabel(/^Mapping/).fill(BAD_MAPPING.replace('"Q"', '"M"'));
    await form.getByRole('button', { name: 'Register' }).click();
    const shown = page.locator('.shown-once [data-secret]');
    await shown.waitFor();
    const key = (await shown.textContent()) ?? '';
    const own = await call('/v1/mapping', key);
    expect(own.status).toBe(200);
    expect(((await own.json()) as { provider: { id: string } }).provider.id).toBe('web-ngo');
    await page.locator('tr[data-provider="web-ngo"]').waitFor();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.content()).not.toContain(key);

    // A value the mapping does not map ("other") is flagged and counted in the coverage report.
    const submitted = await call('/v1/submissions', key, {
      method: 'POST',
      body: JSON.stringify({
        records: [
          {
            recordId: 'c1',
            version: 1,
            action: 'upsert',
            kind: 'victim',
            referenceDate: '2025-05',
            fields: { gender: 'other' },
          },
        ],
      }),
    });
    expect(((await submitted.json()) as { accepted: number }).accepted).toBe(1);
    await page.getByRole('button', { name: 'Mapping of web-ngo' }).click();
    const coverage = page.locator('[data-detail="web-ngo"] table[data-table="coverage"] tbody tr');
    await coverage.first().waitFor();
    expect(await coverage.allInnerTexts()).toHaveLength(1);
    expect((await coverage.first().locator('td').allTextContents()).slice(0, 3)).toEqual([
      'sex',
      'other',
      '1',
    ]);
    await context.close();
  });

  it('creates a key shown once, which works until it is revoked', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'admin');
    const form = page.locator('form[data-form="key"]');
    await form.getByLabel('Role').selectOption('analyst');
    await form.getByLabel('Label (optional)').fill('web test');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = page.locator('.shown-once [data-secret]');
    await secret.waitFor();
    const key = (await secret.textContent()) ?? '';
    expect((await call('/v1/indicators', key)).status).toBe(200);
    const keys = (await (await call('/v1/admin/keys', web.adminToken)).json()) as {
      keys: { id: string; label?: string }[];
    };
    const listed = keys.keys.find((k) => k.label === 'web test');
    expect(listed).toBeDefined();
    expect(await page.locator('.shown-once').textContent()).toContain(`Key ${listed?.id} created`);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.content()).not.toContain(key);

    const row = page.locator(`tr[data-key="${listed?.id}"]`);
    await row.getByRole('button', { name: `Revoke ${listed?.id}` }).click();
    await page.locator(`tr[data-key="${listed?.id}"][data-revoked]`).waitFor();
    expect((await call('/v1/indicators', key)).status).toBe(401);
    await context.close();
  });

  it('pages through exactly the audit log the API holds', async () => {
    // 23 unprotected reads by the coordinator, each audited, each with a query of its own.
    for (let i = 0; i < 23; i++) {
      const res = await call(
        `/v1/indicators/victims/values?protection=none&from=${2000 + i}`,
        web.keyOf('coordinator'),
      );
      expect(res.status).toBe(200);
    }
    const { entries } = (await (await call('/v1/audit?limit=1000', web.adminToken)).json()) as {
      entries: { at: number; action: string; resource: string; query: string }[];
    };
    expect(entries.length).toBeGreaterThanOrEqual(23);
    const { context, page } = await web.newPage();
    await web.signIn(page, 'admin');
    const rows = page.locator('table[data-table="audit"] tbody tr');
    await rows.first().waitFor();
    const shown: string[] = [];
    for (let p = 1; ; p++) {
      await page.locator(`[data-audit-page="${p}"]`).waitFor();
      await rows.first().waitFor();
      const pageRows = await rows.locator('td:nth-child(5)').allTextContents();
      // On its way here the pager named page p only over page p's rows. It once named the next page over the
      // previous page's rows until the answer came, and this loop then read those, or none.
      if (p > 1) expect(await pagerStatesNaming(page, p)).toEqual([`${p} ${pageRows[0]}`]);
      shown.push(...pageRows);
      const older = page.getByRole('button', { name: 'Older' });
      if (await older.isDisabled()) break;
      await watchPager(page);
      await older.click();
    }
    expect(shown).toEqual(entries.map((e) => `${e.resource}${e.query === '' ? '' : `?${e.query}`}`));
    expect(await web.axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('made no request to another origin, broke no CSP rule and threw no error', () => {
    expect(web.foreign).toEqual([]);
    expect(web.consoleErrors).toEqual([]);
  });
});
