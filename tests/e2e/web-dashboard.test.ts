/**
 * The operations dashboard in a real browser, against the embedded runtime with its demo data: it follows the live
 * stream, so records submitted through the API show up without a reload — the latest quarter's value becomes
 * exactly the API's new value for the signed-in analyst (and the coordinator's exact count rose by exactly the
 * records sent), the provider's activity row counts the new submission at the receipt's time; each provider's
 * backlog is shown to the coordinator, not to the analyst. Every count from a report cell carries `data-cell` and
 * `data-value`; the page says "live" only over the values, also when a stream opens and its first values do not
 * come; axe-core finds no serious or critical violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, waitUntil, type WebHarness } from './lib/browser.js';
import { createClient } from './lib/client.js';
import { waitIdle } from './lib/load.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startWebHarness('web-dashboard');
});

afterAll(async () => {
  await web?.close();
});

const get = async <T>(path: string, key: string): Promise<T> => {
  const res = await fetch(`${web.app.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

type Values = { cells: { period?: string; value: number | null }[] };
const cellOf = (values: Values, period: string) => values.cells.find((c) => c.period === period);

/** The latest-quarter cells on the page: indicator → `data-value` (undefined when there is no data). */
const latestOnPage = (page: Page) =>
  page.evaluate<Record<string, { period: string; value?: string; cell?: string }>>(
    `Object.fromEntries([...document.querySelectorAll('table.indicators tbody tr')].map((tr) => {
      const latest = tr.querySelector('[data-latest]');
      return [tr.dataset.indicator, {
        period: tr.querySelector('[data-period]').textContent,
        value: latest.dataset.value,
        cell: latest.dataset.cell,
      }];
    }))`,
  );

describe('operations dashboard', () => {
  it('shows records submitted through the API without a reload, with the exact new values', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'analyst');
    await page.locator('[data-live="live"]').waitFor();
    await page.locator('[data-provider]').first().waitFor();
    // Marks this document: a reload would lose it.
    await page.evaluate('window.__sameDocument = true');
    const before = await latestOnPage(page);
    const quarter = before.victims?.period ?? '';
    expect(quarter).toMatch(/^\d{4}-Q[1-4]$/);
    expect(before.victims?.cell).toBe(`victims|period=${quarter}`);

    // Registered victims dated inside the latest quarter, in the demo provider's vocabulary: its mapping names the
    // source field and the word for "identified".
    const providerKey = web.keys.provider.key;
    const { mapping } = await get<{
      mapping: { fields: Record<string, { from?: string; values?: Record<string, string> }> };
    }>('/v1/mapping', providerKey);
    const status = mapping.fields.status ?? {};
    const statusField = status.from ?? 'status';
    const identified =
      Object.entries(status.values ?? {}).find(([, code]) => code === 'IDENTIFIED')?.[0] ?? 'IDENTIFIED';
    const [year, q] = quarter.split('-Q').map(Number) as [number, number];
    const referenceDate = `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-15`;
    const sent = 6;
    const exact = async () =>
      cellOf(
        await get<Values>(
          `/v1/indicators/victims/values?interval=quarter&protection=none`,
          web.keyOf('coordinator'),
        ),
        quarter,
      )?.value ?? 0;
    const exactBefore = await exact();
    const activityBefore = await get<{ providers: { id: string; submissions: number }[] }>(
      '/v1/status/providers',
      web.keys.analyst,
    );
    const res = await fetch(`${web.app.url}/v1/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${providerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        records: Array.from({ length: sent }, (_, i) => ({
          recordId: `web-dashboard-${i}`,
          version: 1,
          action: 'upsert',
          kind: 'victim',
          referenceDate,
          fields: { [statusField]: identified },
        })),
      }),
    });
    const receipt = (await res.json()) as { accepted: number; receivedAt: number };
    expect(res.status).toBe(202);
    expect(receipt.accepted).toBe(sent);
    await waitIdle(createClient(web.app.url), web.adminToken);
    expect(await exact()).toBe(exactBefore + sent);

    // The analyst's published values after the change, from the values endpoint: the page must come to show them.
    const ids = Object.keys(before);
    const expected: Record<string, string> = {};
    for (const id of ids) {
      const values = await get<Values>(`/v1/indicators/${id}/values?interval=quarter`, web.keys.analyst);
      const cell = cellOf(values, before[id]?.period ?? '');
      expected[id] = cell === undefined ? '' : cell.value === null ? 'withheld' : String(cell.value);
    }
    expect(expected.victims).not.toBe(before.victims?.value);
    await waitUntil(
      page,
      `(() => {
        const want = ${JSON.stringify(expected)};
        return [...document.querySelectorAll('table.indicators tbody tr')].every(
          (tr) => (tr.querySelector('[data-latest]').dataset.value ?? '') === want[tr.dataset.indicator],
        );
      })()`,
    );
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    const after = await latestOnPage(page);
    expect(Object.fromEntries(ids.map((id) => [id, after[id]?.value ?? '']))).toEqual(expected);

    // The provider's activity: one more submission, last at the receipt's time.
    const provider = web.keys.provider.id;
    const submissionsBefore = activityBefore.providers.find((p) => p.id === provider)?.submissions ?? 0;
    const row = page.locator(`tr[data-provider="${provider}"]`);
    await waitUntil(
      page,
      `document.querySelector('tr[data-provider="${provider}"] [data-submissions]')?.dataset.submissions === '${submissionsBefore + 1}'`,
    );
    expect(await row.locator('[data-last-submitted]').getAttribute('data-last-submitted')).toBe(
      String(receipt.receivedAt),
    );
    await page.locator('[data-pipeline="idle"]').waitFor();
    // An analyst is not given the providers' exact backlogs: no column for them (the coordinator's is below).
    expect(await page.locator('[data-pending]').count()).toBe(0);
    expect(await page.locator('table[aria-labelledby="providers-title"] thead th').count()).toBe(4);

    // Every count from a cell says which cell and what number it received.
    const cells = await page.evaluate<
      { cell: string | undefined; value: string | undefined; text: string }[]
    >(
      `[...document.querySelectorAll('main [data-value]')].map((e) => ({ cell: e.dataset.cell, value: e.dataset.value, text: e.textContent }))`,
    );
    expect(cells.length).toBeGreaterThan(ids.length);
    const format = new Intl.NumberFormat('en-GB');
    for (const c of cells) {
      expect(c.cell).toMatch(/^[a-z-]+\|period=\d{4}-Q[1-4]$/);
      expect(c.text).toBe(c.value === 'withheld' ? 'withheld' : format.format(Number(c.value)));
    }
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'dashboard-live');
    await context.close();
  });

  it("streams a coordinator's exact values with exact=1, audited; an analyst's exact=1 is ignored", async () => {
    type Entry = { role: string; action: string; resource: string; query: string };
    const audit = async () =>
      (await get<{ entries: Entry[] }>('/v1/audit?limit=1000', web.keyOf('coordinator'))).entries.filter(
        (e) => e.resource === '/v1/live',
      );
    const auditBefore = await audit();
    const latestAs = async (role: 'analyst' | 'coordinator', hash: string, exactShown: boolean) => {
      const { context, page } = await web.newPage();
      await web.signIn(page, role);
      await page.goto(`${web.app.url}/${hash}`);
      // Signing in opened the dashboard on the protected stream, and the link changes only the hash: until the page
      // has followed it, the protected values are still there, live. The table says which values it shows.
      await page
        .locator(`[data-live="live"] ~ table.indicators[data-exact="${exactShown ? 1 : 0}"]`)
        .waitFor();
      const shown = await latestOnPage(page);
      const toggle = await page.locator('input[name="exact"]').count();
      await page.locator('[data-pipeline="idle"] ~ table tbody tr').first().waitFor();
      const pending = await page.evaluate<(string | undefined)[]>(
        `[...document.querySelectorAll('tr[data-provider] [data-pending]')].map((e) => e.dataset.pending)`,
      );
      const providers = await page.locator('tr[data-provider]').count();
      await context.close();
      return { shown, toggle, pending, providers };
    };
    const expectedAs = async (role: 'analyst' | 'coordinator', query: string) => {
      const want: Record<string, { period: string; value?: string; cell?: string }> = {};
      const catalogue = await get<{ indicators: { id: string }[] }>('/v1/indicators', web.keyOf(role));
      for (const { id } of catalogue.indicators) {
        const values = await get<Values>(
          `/v1/indicators/${id}/values?interval=quarter${query}`,
          web.keyOf(role),
        );
        const latest = values.cells
          .filter((c) => /^\d{4}-Q[1-4]$/.test(c.period ?? ''))
          .sort((a, b) => (a.period! < b.period! ? 1 : -1))[0];
        want[id] =
          latest === undefined
            ? { period: '—' }
            : {
                period: latest.period!,
                value: latest.value === null ? 'withheld' : String(latest.value),
                cell: `${id}|period=${latest.period}`,
              };
      }
      return want;
    };

    const exact = await latestAs('coordinator', '#/dashboard?exact=1', true);
    expect(exact.toggle).toBe(1);
    expect(exact.shown).toEqual(await expectedAs('coordinator', '&protection=none'));
    // Idle: every accepted record was counted or dead-lettered, so nothing of any provider's waits.
    expect(exact.pending).toEqual(Array.from({ length: exact.providers }, () => '0'));
    expect(exact.providers).toBeGreaterThan(1);
    // The stream's opening was audited as an unprotected read by the coordinator.
    const after = await audit();
    // Newest first: the entries added since.
    const entries = after.slice(0, after.length - auditBefore.length);
    expect(entries.map((e) => [e.role, e.action])).toEqual([['coordinator', 'read-unprotected']]);
    expect(new URLSearchParams(entries[0]!.query).get('protection')).toBe('none');

    // A coordinator's link opened by an analyst: the protected values, no refusal.
    const analyst = await latestAs('analyst', '#/dashboard?exact=1', false);
    expect(analyst.toggle).toBe(0);
    expect(analyst.shown).toEqual(await expectedAs('analyst', ''));
    expect([analyst.pending, analyst.providers]).toEqual([[], exact.providers]);
    expect((await audit()).length).toBe(auditBefore.length + 1);
  });

  it("shows no protected value as live once a coordinator's page asks for exact values", async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'coordinator');
    await page.locator('[data-live="live"] ~ table.indicators[data-exact="0"]').waitFor();
    // The page as first drawn for exact=1: the app's own hashchange listeners were added first, so the render they
    // ask for runs before these microtasks, and the page's effects (which open the new stream) run after them.
    const drawn = await page.evaluate<string>(`new Promise((resolve) => {
      addEventListener('hashchange', () => queueMicrotask(() => queueMicrotask(() => {
        const table = document.querySelector('table.indicators');
        resolve(document.querySelector('[data-live]').getAttribute('data-live') + ' ' +
          (table === null ? 'without values' : 'with data-exact=' + table.getAttribute('data-exact')));
      })), { once: true });
      location.hash = '#/dashboard?exact=1';
    })`);
    // It once kept the protected values, live, under the checked "exact values" box until its effects ran.
    expect(drawn).toBe('connecting without values');
    await page.locator('[data-live="live"] ~ table.indicators[data-exact="1"]').waitFor();
    await context.close();
  });

  it('never says live while no values are shown, when a stream opens and its first values do not come', async () => {
    const { context, page } = await web.newPage();
    // From the document's start, each live state the page shows and whether the values table is there, as they
    // change (a script string: this project's TypeScript has no DOM types).
    await page.addInitScript(`
      window.liveStates = [];
      new MutationObserver(() => {
        const live = document.querySelector('[data-live]')?.getAttribute('data-live');
        if (live == null) return;
        const state = live + (document.querySelector('table.indicators') === null ? ' without values' : ' with values');
        if (window.liveStates[window.liveStates.length - 1] !== state) window.liveStates.push(state);
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    `);
    // The first stream opens and sends a snapshot cut short, so no values come of it (the page is told the stream is
    // live, then that it failed); it asks to be opened again at once, and the next one is the server's own.
    let opened = 0;
    await page.route(
      (url) => url.pathname === '/v1/live',
      (route) =>
        opened++ === 0
          ? route.fulfill({
              status: 200,
              contentType: 'text/event-stream',
              body: 'retry: 100\nevent: snapshot\ndata: [{"indicator":\n\n',
            })
          : route.continue(),
    );
    await web.signIn(page, 'analyst');
    await page.locator('[data-live="live"] ~ table.indicators tbody tr').first().waitFor();
    expect(opened).toBe(2);
    // It said "live" only over the values; it once said so over no table, and a reader took that for the values.
    expect(await page.evaluate<string[]>('window.liveStates')).toEqual([
      'connecting without values',
      'reconnecting without values',
      'live with values',
    ]);
    await context.close();
  });

  it('made no request to another origin, broke no CSP rule and threw no error', () => {
    expect(web.foreign).toEqual([]);
    expect(web.consoleErrors).toEqual([]);
  });
});
