/**
 * The spatial layer of the map in a real browser, against the embedded runtime with its demo data, the NUTS 2024
 * files of the geo data folder and the SYNTHETIC population table the demo loads. At NUTS 3 with the hot-spot
 * layer on, every region's outline class is the API's Gi* class for the same query, the legend counts the API's
 * classes and says the test ran on rates with the synthetic population; the context chart draws the API's rate
 * ratios and intervals; the corridors are the API's, in its order, with its directions; the rates measure colours
 * regions with the API's rates. While the context is loading the panel says so (never "no rate ratios"). axe-core
 * finds no serious or critical violation, nothing leaves the origin, and the screenshot map-hotspots.png goes to
 * docs/screenshots/.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, waitUntil, type WebHarness } from './lib/browser.js';

const GEO_DIR = process.env.MOSY_GEO_DIR ?? fileURLToPath(new URL('../../../shared/geo', import.meta.url));

interface Hotspots {
  measure: string;
  population: { source: string; year: number } | null;
  regions: { id: string; status: string; rate?: number; gi?: { class: string } }[];
}
interface Context {
  rateRatios: {
    typology: string;
    group: string;
    ratio: number | null;
    lower: number | null;
    upper: number | null;
  }[];
}
interface Corridors {
  corridors: { origin: string; destination: string; direction: string }[];
}

let web: WebHarness;
let page: Page;

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${web.app.url}${path}`, {
    headers: { authorization: `Bearer ${web.keys.analyst}` },
  });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  web = await startWebHarness('spatial', { geoDir: GEO_DIR });
  ({ page } = await web.newPage());
  await page.setViewportSize({ width: 1280, height: 1400 });
  await web.signIn(page, 'analyst');
  await page.goto(`${web.app.url}/#/map`);
  await page.locator('figure.map-figure[aria-busy="false"] svg.map[data-drawn]').waitFor();
  await page.getByRole('combobox', { name: 'Regions', exact: true }).selectOption('3');
  await page.locator('figure.map-figure[data-level="3"][aria-busy="false"] svg.map[data-drawn]').waitFor();
  await page.getByLabel('Hot and cold spots', { exact: true }).check();
  await page.locator('g.hotspots[data-analysis]').waitFor();
  // The panel's sections load on their own: wait until the context and the corridors are in (not just begun).
  await page.locator('.context[aria-busy="false"]').waitFor();
  await page.locator('.spatial-panel[data-corridors="ok"]').waitFor();
}, 90_000);

afterAll(async () => {
  await web.close();
});

describe('the hot-spot layer', () => {
  it("outlines every region with the API's Gi* class and counts the classes in the legend", async () => {
    const answer = await api<Hotspots>('/v1/spatial/hotspots/victims?level=3&field=regionOfIdentification');
    expect(answer.measure).toBe('rate');
    const drawn = await page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('g.hotspots [data-hotspot-region]')].map((e) =>
        [e.dataset.hotspotRegion, e.dataset.hotspot]))`,
    );
    const expected = Object.fromEntries(
      answer.regions.map((r) => [r.id, r.status === 'analysed' ? (r.gi?.class ?? '') : 'not-analysed']),
    );
    expect(Object.keys(drawn).length).toBeGreaterThan(20);
    expect(drawn).toEqual(expected);
    for (const cls of ['hot', 'cold', 'not-significant', 'not-analysed']) {
      const count = await page
        .locator(`[data-hotspot-class="${cls}"] [data-count]`)
        .getAttribute('data-count');
      expect([cls, Number(count)]).toEqual([cls, Object.values(expected).filter((c) => c === cls).length]);
    }
    await expect(page.locator('[data-measure="rate"]').textContent()).resolves.toContain(
      'SYNTHETIC demo population',
    );
  });

  it("draws the API's rate ratios with their intervals, and the caution", async () => {
    const context = await api<Context>('/v1/spatial/context/victims?field=regionOfIdentification');
    const shown = context.rateRatios.filter((r) => r.ratio !== null);
    expect(shown.length).toBeGreaterThan(0);
    const rows = await page.evaluate<
      { typology: string; group: string; ratio: string; lower: string; upper: string }[]
    >(
      `[...document.querySelectorAll('.rate-ratios g.ratio')].map((g) => ({ typology: g.dataset.typology,
        group: g.dataset.group, ratio: g.dataset.ratio, lower: g.dataset.lower, upper: g.dataset.upper }))`,
    );
    expect(rows).toEqual(
      shown.map((r) => ({
        typology: r.typology,
        group: r.group,
        ratio: String(r.ratio),
        lower: String(r.lower),
        upper: String(r.upper),
      })),
    );
    await expect(page.locator('.caution').textContent()).resolves.toMatch(
      /^A correlation between places is not a cause/,
    );
  });

  it('says it is loading, never that there are no ratios, while the context is on its way', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/spatial/context/**', async (route) => {
      await held;
      await route.continue();
    });
    const layer = page.getByRole('checkbox', { name: 'Hot and cold spots', exact: true });
    await layer.uncheck();
    await layer.check();
    const context = page.locator('.context');
    await page.locator('.context[aria-busy="true"]').waitFor();
    await expect(context.textContent()).resolves.toContain('Loading…');
    await expect(context.textContent()).resolves.not.toContain('No rate ratios');
    release();
    await page.locator('.context[aria-busy="false"] .rate-ratios g.ratio').first().waitFor();
    await page.unroute('**/v1/spatial/context/**');
  });

  it("lists the API's corridors in its order with its directions", async () => {
    const answer = await api<Corridors>('/v1/spatial/corridors/victims?origin=citizenship&level=3&limit=10');
    // The test before turned the layer off and on, and waited for the context only: the corridors came again on
    // their own, and this read them while they were loading (no list yet).
    await page.locator('.spatial-panel[data-corridors="ok"]').waitFor();
    const listed = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.corridors [data-corridor]')].map((li) => li.dataset.corridor + ' ' + li.dataset.direction)`,
    );
    expect(listed).toEqual(answer.corridors.map((c) => `${c.origin}>${c.destination} ${c.direction}`));
  });

  it('is clean for axe-core, requests nothing from another origin, and is photographed', async () => {
    expect(await web.axeViolations(page)).toEqual([]);
    expect(web.foreign).toEqual([]);
    expect(web.consoleErrors).toEqual([]);
    // Tall enough for the legend, the context chart and the corridors beside the map.
    await page.setViewportSize({ width: 1280, height: 2100 });
    await web.shot(page, 'map-hotspots');
    await page.setViewportSize({ width: 1280, height: 1400 });
  });

  it("colours regions by the API's rates when the rates measure is chosen", async () => {
    const answer = await api<Hotspots>(
      '/v1/spatial/hotspots/victims?level=3&field=regionOfIdentification&measure=rate',
    );
    await page.getByRole('combobox', { name: 'Measure', exact: true }).selectOption('rates');
    await page.locator('figure.map-figure[aria-busy="false"] svg.map[data-drawn]').waitFor();
    await waitUntil(
      page,
      `[...document.querySelectorAll('svg.map path.region[data-cell]')].some((e) => e.dataset.cell.includes('measure=rate'))`,
    );
    const values = await page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('svg.map path.region[data-value]')].map((e) =>
        [e.dataset.region, e.dataset.value]))`,
    );
    const withRate = answer.regions.filter((r) => r.status !== 'no-population');
    expect(Object.keys(values).length).toBeGreaterThan(20);
    for (const r of withRate)
      expect([r.id, values[r.id]]).toEqual([r.id, r.status === 'withheld' ? 'withheld' : String(r.rate)]);
  });
});
