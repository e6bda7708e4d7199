/**
 * The report builder, projection and data-quality pages in a real browser against the embedded runtime with its
 * demo data. A report built through the form shows exactly the API's published table for the same query, in the
 * page's locale, and its URL brings the same report back after a reload; the CSV and SDMX-CSV downloads are the
 * API's files byte for byte; the projection page shows the API's series and forecast; the quality page shows the
 * API's figures to an analyst and a provider its own; axe-core finds no serious or critical violation, nothing
 * leaves the origin or breaks the CSP (Observable Plot's charts included). Screenshots go to docs/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from './lib/browser.js';
import { cellKey, shownAs, shownCells, tableCells, type ShownCell } from './lib/cells.js';

let web: WebHarness;
const EN = new Intl.NumberFormat('en-GB');

beforeAll(async () => {
  web = await startWebHarness('web-reports');
}, 120_000);

afterAll(async () => {
  await web?.close();
});

async function api<T>(path: string, key: string): Promise<{ text: string; body: T }> {
  const response = await fetch(`${web.app.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status, path).toBe(200);
  const text = await response.text();
  return {
    text,
    body: (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined,
  };
}

/** The page's cells equal `expected` one for one, as the page's locale formats them. */
function expectShown(shown: readonly ShownCell[], expected: ReadonlyMap<string, number | null>, format = EN) {
  expect(shown.map((c) => c.cell).sort()).toEqual([...expected.keys()].sort());
  for (const cell of shown) {
    const want = shownAs(expected.get(cell.cell)!, format);
    expect({ cell: cell.cell, value: cell.value, text: cell.text }).toEqual({ cell: cell.cell, ...want });
  }
}

/** SDMX-CSV's LAST UPDATE is the time the file was made, so two downloads differ there only. */
const withoutLastUpdate = (csv: string): string =>
  csv.replace(/,\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d,/g, ',<last update>,');

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return readFileSync(await file.path(), 'utf8');
}

describe('report builder', () => {
  it('builds a report through the form, shows the API’s table, restores it from the URL and downloads the API’s files', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'analyst');
    await page.goto(`${web.app.url}/#/reports`);
    await page.getByLabel('Indicator', { exact: true }).selectOption('victims');
    await page.getByLabel('Variable 1', { exact: true }).selectOption('sex');
    await page.getByLabel('Variable 2', { exact: true }).selectOption('ageClass');
    await page.getByLabel('From', { exact: true }).fill('2024');
    await page.getByLabel('To', { exact: true }).fill('2024');
    await page.getByLabel('Providers of one type', { exact: true }).check();
    await page.getByLabel('Provider type', { exact: true }).selectOption('NGO');
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.locator('[data-report-table] [data-cell]').first().waitFor();
    const hash = 'indicator=victims&by=sex%2CageClass&from=2024&to=2024&providers=type%3ANGO';
    expect(new URL(page.url()).hash).toBe(`#/reports?${hash}`);

    const query = 'by=sex,ageClass&from=2024&to=2024&providers=type:NGO';
    const report = await api<Parameters<typeof tableCells>[1]>(
      `/v1/reports/simple/victims?${query}`,
      web.keys.analyst,
    );
    const expected = tableCells('victims', report.body);
    const shown = await shownCells(page, '[data-report-table]');
    expectShown(shown, expected);
    // The table has withheld cells and numbers of four digits or more, so both renderings are checked.
    expect(shown.some((c) => c.value === 'withheld')).toBe(true);
    expect([...expected.values()].some((v) => v === null)).toBe(true);
    await page.locator('svg.mosy-plot').waitFor();
    expect(await page.locator('[data-protection="cell-key"]').count()).toBe(1);
    expect(await web.axeViolations(page)).toEqual([]);
    await page.locator('.report-result h2').scrollIntoViewIfNeeded();
    await web.shot(page, 'reports');

    await page.reload();
    await page.locator('[data-report-table] [data-cell]').first().waitFor();
    expect(await shownCells(page, '[data-report-table]')).toEqual(shown);
    expect(await page.getByLabel('Provider type', { exact: true }).inputValue()).toBe('NGO');

    expect(await download(page, 'Download CSV')).toBe(
      (await api(`/v1/reports/simple/victims?${query}&format=csv`, web.keys.analyst)).text,
    );
    const sdmx = await download(page, 'Download SDMX-CSV');
    expect(sdmx).toMatch(/^DATAFLOW,LAST UPDATE,/);
    expect(withoutLastUpdate(sdmx)).toBe(
      withoutLastUpdate(
        (await api(`/v1/reports/simple/victims?${query}&format=sdmx-csv`, web.keys.analyst)).text,
      ),
    );
    expect(withoutLastUpdate(sdmx)).not.toBe(sdmx);
    await context.close();
  });

  it('shows a time-frame report over quarters in Portuguese, and a coordinator’s exact values with the note that they are exact', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'coordinator');
    await page.getByLabel('Language').selectOption('pt');
    const query = 'by=exploitation&from=2024&to=2025&interval=quarter&unit=records';
    await page.goto(`${web.app.url}/#/reports?indicator=victims&${query}&exact=1`);
    await page.locator('[data-report-table] [data-cell]').first().waitFor();
    const report = await api<Parameters<typeof tableCells>[1]>(
      `/v1/reports/time-frame/victims?${query}&protection=none`,
      web.keys.coordinator,
    );
    const expected = tableCells('victims', report.body);
    expect([...expected.values()].some((v) => v !== null && v >= 1000)).toBe(true);
    expectShown(await shownCells(page, '[data-report-table]'), expected, new Intl.NumberFormat('pt-PT'));
    // The taxonomy's codes are labelled in Portuguese.
    const table = (await page.locator('[data-report-table]').textContent()) ?? '';
    expect(table).toContain('Exploração sexual');
    expect(table).toContain('Trabalho ou serviços forçados');
    expect(table).not.toContain('Sexual exploitation');
    expect(await page.locator('[data-protection="none"]').count()).toBe(1);
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'reports-time-frame-pt');
    await context.close();
  });

  it("opens a coordinator's exact link for an analyst as the protected report, with no refusal", async () => {
    const refusals = async () =>
      (
        await api<{ entries: { action: string }[] }>('/v1/audit?limit=1000', web.keys.coordinator)
      ).body.entries.filter((e) => e.action === 'refused-unprotected').length;
    const refusedBefore = await refusals();
    const { context, page } = await web.newPage();
    await web.signIn(page, 'analyst');
    const query = 'by=sex&from=2024&to=2024';
    await page.goto(`${web.app.url}/#/reports?indicator=victims&${query}&exact=1`);
    await page.locator('[data-report-table] [data-cell]').first().waitFor();
    const report = await api<Parameters<typeof tableCells>[1]>(
      `/v1/reports/simple/victims?${query}`,
      web.keys.analyst,
    );
    expectShown(await shownCells(page, '[data-report-table]'), tableCells('victims', report.body));
    expect(await page.locator('[data-protection="none"]').count()).toBe(0);
    expect(await refusals()).toBe(refusedBefore);
    await context.close();
  });
});

describe('projection', () => {
  it('shows the API’s quarterly series and forecast with its interval', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'analyst');
    await page.goto(`${web.app.url}/#/projection?indicator=victims`);
    await page.locator('[data-projection-table] [data-cell]').first().waitFor();
    type Projection = {
      series: { period: string; value: number | null }[];
      forecast: { period: string; value: number; lower: number; upper: number }[];
    };
    const { body } = await api<Projection>('/v1/indicators/victims/projection', web.keys.analyst);
    expectShown(
      await shownCells(page, '[data-projection-table]'),
      new Map(body.series.map((p) => [cellKey('victims', { period: p.period }), p.value])),
    );
    const forecast = await page.evaluate<string[][]>(
      `[...document.querySelectorAll('[data-projection-table] tr.forecast')].map((tr) =>
        [tr.dataset.period, ...['forecast', 'lower', 'upper'].map((n) => tr.querySelector('[data-' + n + ']').textContent)])`,
    );
    expect(forecast).toEqual(
      body.forecast.map((p) => [p.period, EN.format(p.value), EN.format(p.lower), EN.format(p.upper)]),
    );
    expect(forecast.length).toBe(4);
    await page.locator('svg.mosy-plot').waitFor();
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'projection');
    await context.close();
  });
});

type QualityReport = {
  providers: {
    providerId: string;
    volume: { kind: string; period: string; records: { value: number | null } }[];
    events: { kind: string; field: string; value: string; count: number | null }[];
    completeness: {
      kind: string;
      field: string;
      records: { value: number | null };
      unknown: { value: number | null };
    }[];
    timeliness?: {
      kind: string;
      records: { value: number | null };
      within30: { value: number | null };
      within90: { value: number | null };
      within365: { value: number | null };
    }[];
  }[];
};

/** The published counts of one provider's quality, by their `data-cell` key. */
function qualityCells(provider: QualityReport['providers'][number]): Map<string, number | null> {
  const subject = `quality:${provider.providerId}`;
  const map = new Map<string, number | null>();
  for (const v of provider.volume)
    map.set(cellKey(subject, { measure: 'volume', kind: v.kind, period: v.period }), v.records.value);
  for (const e of provider.events)
    // Analysts get one count per field, without the values (coordinators and the provider get each value).
    map.set(
      cellKey(subject, {
        measure: e.kind,
        field: e.field,
        ...(e.value === undefined ? {} : { value: e.value }),
      }),
      e.count,
    );
  for (const c of provider.completeness) {
    map.set(cellKey(subject, { measure: 'unknown', kind: c.kind, field: c.field }), c.unknown.value);
    map.set(cellKey(subject, { measure: 'records', kind: c.kind, field: c.field }), c.records.value);
  }
  for (const t of provider.timeliness ?? []) {
    map.set(cellKey(subject, { measure: 'arrived', kind: t.kind }), t.records.value);
    for (const w of ['within30', 'within90', 'within365'] as const)
      map.set(cellKey(subject, { measure: w, kind: t.kind }), t[w].value);
  }
  return map;
}

describe('providers and data quality', () => {
  it('shows an analyst the API’s figures for the chosen provider', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'analyst');
    const asked: (string | null)[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/v1/reports/quality') asked.push(url.searchParams.get('providers'));
    });
    await page.goto(`${web.app.url}/#/quality`);
    // Every registered provider can be chosen, the first one shown at first.
    const registered = (
      await api<{ providers: { id: string }[] }>('/v1/status/providers', web.keys.analyst)
    ).body.providers
      .map((p) => p.id)
      .sort();
    await page.locator('[data-provider] [data-cell]').first().waitFor();
    expect(
      await page.evaluate<string[]>(
        `[...document.querySelectorAll('#quality-provider option')].map((o) => o.value)`,
      ),
    ).toEqual(registered);
    expect(await page.locator('[data-provider]').getAttribute('data-provider')).toBe(registered[0]);
    await page.getByLabel('Provider', { exact: true }).selectOption('ngo-apoio');
    await page.locator('[data-provider="ngo-apoio"] [data-cell]').first().waitFor();
    expect(new URL(page.url()).hash).toBe('#/quality?provider=ngo-apoio');
    // Only the chosen provider's report was asked for, each time.
    expect(asked).toEqual(registered[0] === 'ngo-apoio' ? ['ngo-apoio'] : [registered[0], 'ngo-apoio']);
    const { body } = await api<QualityReport>('/v1/reports/quality', web.keys.analyst);
    const provider = body.providers.find((p) => p.providerId === 'ngo-apoio')!;
    expect(provider.volume.length).toBeGreaterThan(4);
    expect(provider.events.length).toBeGreaterThan(0);
    expectShown(await shownCells(page, '[data-provider="ngo-apoio"]'), qualityCells(provider));
    await page.locator('svg.mosy-plot').waitFor();
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'quality');
    await context.close();
  });

  it('shows a provider its own figures only, exact', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'provider');
    await page.goto(`${web.app.url}/#/quality?provider=ngo-apoio`);
    const own = web.keys.provider.id;
    await page.locator(`[data-provider="${own}"] [data-cell]`).first().waitFor();
    expect(await page.locator('[data-provider]').count()).toBe(1);
    const { body } = await api<QualityReport>('/v1/reports/quality', web.keys.provider.key);
    expect(body.providers.map((p) => p.providerId)).toEqual([own]);
    expectShown(await shownCells(page, `[data-provider="${own}"]`), qualityCells(body.providers[0]!));
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'quality-provider');
    await context.close();
  });
});

it('made no request to another origin, broke no CSP rule and threw no error', () => {
  expect(web.foreign).toEqual([]);
  expect(web.consoleErrors).toEqual([]);
});
