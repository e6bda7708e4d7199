/**
 * The map page in a real browser, against the embedded runtime with its demo data and the NUTS 2024 files of the
 * geo data folder (read where they are, never copied). At NUTS 2 every region with a count shows the API's number
 * in the class the legend's breaks give it, the breaks being the quantiles of the API's numbers; a withheld region
 * (there is one at NUTS 2 in a single year) is hatched, never coloured as zero; the flow view draws exactly the
 * API's flows whose ends are on the map, as thick as their counts; a region selected by click or by keyboard shows
 * the API's breakdown; the EuroGeographics notice is shown; after a change the map is busy from the first frame. A
 * second runtime without the geo folder draws the country-level fallback (world-atlas). axe-core finds no serious or critical violation, nothing leaves the
 * origin, and the screenshots map.png and map-flows.png go to docs/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from './lib/browser.js';

const GEO_DIR = process.env.MOSY_GEO_DIR ?? fileURLToPath(new URL('../../../shared/geo', import.meta.url));
const NUTS = join(GEO_DIR, 'nuts', '2024');

interface Entry {
  readonly key: Record<string, string>;
  readonly value: number | null;
}
interface Table {
  readonly cells: Entry[];
  readonly margins: Entry[];
  readonly disclosure: { method: string; threshold?: number };
}

/** Region ids of a NUTS TopoJSON file, and label-point ids of a GeoJSON one, read from the geo folder. */
const topologyIds = (file: string, object: string): Set<string> =>
  new Set(
    (
      JSON.parse(readFileSync(join(NUTS, file), 'utf8')) as {
        objects: Record<string, { geometries: { properties: { id: string } }[] }>;
      }
    ).objects[object]!.geometries.map((g) => g.properties.id),
  );
const pointIds = (file: string): Set<string> =>
  new Set(
    (
      JSON.parse(readFileSync(join(NUTS, file), 'utf8')) as { features: { properties: { id: string } }[] }
    ).features.map((f) => f.properties.id),
  );

/** The quantile (linear interpolation between order statistics, R's type 7) of sorted numbers. */
const quantile = (sorted: readonly number[], p: number): number => {
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (i - lo);
};

/** Lower class bounds: the smallest positive count, then the quintiles rounded up to counts, distinct. */
function expectedBreaks(values: readonly number[]): number[] {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const bounds = [sorted[0]!];
  for (let j = 1; j < 5; j++) {
    const q = Math.ceil(quantile(sorted, j / 5) - 1e-9);
    if (q > bounds[bounds.length - 1]! && q <= sorted[sorted.length - 1]!) bounds.push(q);
  }
  return bounds;
}

const expectedClass = (value: number | null | undefined, bounds: readonly number[]): string => {
  if (value === null) return 'withheld';
  if (value === undefined || value === 0) return 'zero';
  return `c${bounds.filter((b) => value >= b).length - 1}`;
};

interface DrawnRegion {
  readonly region: string;
  readonly cls: string;
  readonly value?: string;
  readonly cell?: string;
  readonly fill: string;
}

const drawnRegions = (page: Page) =>
  page.evaluate<DrawnRegion[]>(
    `[...document.querySelectorAll('svg.map [data-region]')].map((e) => ({
      region: e.dataset.region, cls: e.dataset.class, value: e.dataset.value, cell: e.dataset.cell,
      fill: getComputedStyle(e).fill,
    }))`,
  );

const drawn = (page: Page, selector: string) =>
  page.locator(`figure.map-figure${selector}[aria-busy="false"] svg.map[data-drawn]`).waitFor();

let web: WebHarness;
/** A second runtime, without the geo data folder. */
let fallback: WebHarness;
let nuts2: Set<string>;
let countries: Set<string>;

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${web.app.url}${path}`, {
    headers: { authorization: `Bearer ${web.keys.analyst}` },
  });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

async function openMap(): Promise<Page> {
  const { page } = await web.newPage();
  // Tall enough for the whole map in the screenshots.
  await page.setViewportSize({ width: 1280, height: 1280 });
  await web.signIn(page, 'analyst');
  await page.goto(`${web.app.url}/#/map`);
  await drawn(page, '[data-level="2"][data-view="regions"]');
  // The periods load beside the map, not for it: a map drawn first left a slider with no period to move to.
  await page.locator('label.period[data-periods="done"]').waitFor();
  return page;
}

/**
 * Every region the API counts and the map draws has the API's value and the class of the page's breaks, which are
 * the API numbers' quantiles; every other drawn region is zero; the rest are listed as not drawn.
 */
async function expectRegionsAsApi(page: Page, report: Table): Promise<DrawnRegion[]> {
  const byCode = new Map(report.cells.map((c) => [c.key.regionOfIdentification!, c.value]));
  const breaks = (await page.locator('.legend ul[data-breaks]').getAttribute('data-breaks')) ?? '';
  const bounds = breaks === '' ? [] : breaks.split(',').map(Number);
  expect(bounds).toEqual(expectedBreaks([...byCode.values()].map((v) => v ?? 0)));
  const regions = await drawnRegions(page);
  const onMap = new Set(regions.map((r) => r.region));
  for (const r of regions) {
    const value = byCode.get(r.region);
    expect(r.cls, r.region).toBe(expectedClass(value, bounds));
    expect(r.value, r.region).toBe(
      value === undefined ? undefined : value === null ? 'withheld' : String(value),
    );
  }
  const listed = await page.evaluate<Record<string, string>>(
    `Object.fromEntries([...document.querySelectorAll('.not-drawn tr[data-region]')].map((tr) =>
      [tr.dataset.region, tr.querySelector('[data-value]').dataset.value]))`,
  );
  expect(listed).toEqual(
    Object.fromEntries(
      [...byCode]
        .filter(([code]) => !onMap.has(code))
        .map(([code, v]) => [code, v === null ? 'withheld' : String(v)]),
    ),
  );
  return regions;
}

/**
 * The flow lines are exactly the API's flows whose two ends are places on the map (NUTS 2 label points, countries),
 * withheld ones included, each as thick as √(count / largest drawn), and the table of the largest flows shows the
 * API's numbers.
 */
async function expectFlowsAsApi(page: Page, origin: 'citizenship' | 'countryOfRecruitment'): Promise<void> {
  const report = await api<Table>(`/v1/reports/simple/victims?by=${origin},regionOfExploitation&geoLevel=2`);
  const nutsPoints = pointIds('nutspt_2.geojson');
  const country = (code: string) => (code === 'GR' ? 'EL' : code);
  const place = (code: string) => nutsPoints.has(code) || countries.has(country(code));
  // A flow between two places drawn at one point (a country to itself, coded only to the country) has no line.
  const expected = report.cells.filter(
    (c) =>
      c.value !== 0 &&
      place(c.key[origin]!) &&
      place(c.key.regionOfExploitation!) &&
      country(c.key[origin]!) !== c.key.regionOfExploitation,
  );
  const largest = Math.max(...expected.map((c) => c.value ?? 0));
  const width = (v: number | null) =>
    Math.round((v === null ? 1.5 : 1.5 + 12.5 * Math.sqrt(v / largest)) * 10) / 10;
  const lines = await page.evaluate<{ flow: string; value: string; width: string }[]>(
    `[...document.querySelectorAll('svg.map path.flow')].map((p) => ({
      flow: p.dataset.flow, value: p.dataset.value, width: p.getAttribute('stroke-width') }))`,
  );
  expect(lines.length).toBeGreaterThan(10);
  expect(Object.fromEntries(lines.map((l) => [l.flow, [l.value, Number(l.width)]]))).toEqual(
    Object.fromEntries(
      expected.map((c) => [
        `${c.key[origin]}>${c.key.regionOfExploitation}`,
        [c.value === null ? 'withheld' : String(c.value), width(c.value)],
      ]),
    ),
  );
  const rows = await page.evaluate<{ flow: string; value: string }[]>(
    `[...document.querySelectorAll('.flows-table tr[data-flow]')].map((tr) => ({
      flow: tr.dataset.flow, value: tr.querySelector('[data-value]').dataset.value }))`,
  );
  const published = report.cells
    .filter((c) => c.value !== null && c.value > 0)
    .sort((a, b) => b.value! - a.value!)
    .slice(0, rows.length);
  expect(rows.map((r) => Number(r.value))).toEqual(published.map((c) => c.value));
  for (const r of rows) {
    const [from, to] = r.flow.split('>');
    const cell = report.cells.find((c) => c.key[origin] === from && c.key.regionOfExploitation === to);
    expect(String(cell?.value), r.flow).toBe(r.value);
  }
}

beforeAll(async () => {
  nuts2 = topologyIds('nutsrg_2.topojson', 'nutsrg');
  // Countries as reports write them: NUTS level 0 (EL for Greece), the world layer outside NUTS (UK is GB there).
  countries = new Set([
    ...pointIds('nutspt_0.geojson'),
    ...[...topologyIds('cntrg_world.topojson', 'cntrg')].map((id) => (id === 'UK' ? 'GB' : id)),
  ]);
  // Both runtimes start together: loading the demo data is mostly waiting, which they can share.
  [web, fallback] = await Promise.all([
    startWebHarness('web-map', { geoDir: GEO_DIR }),
    startWebHarness('web-map-fallback'),
  ]);
});

afterAll(async () => {
  await Promise.all([web?.close(), fallback?.close()]);
});

describe('the map page', () => {
  it('colours NUTS 2 regions by the classes of their API counts and credits EuroGeographics', async () => {
    const page = await openMap();
    const report = await api<Table>('/v1/reports/geo/victims?level=2');
    const regions = await expectRegionsAsApi(page, report);
    // Known regions of the demo data (Norte, Berlin, Attiki) are drawn with their counts; Mazowiecki has none.
    const at = (id: string) => regions.find((r) => r.region === id);
    for (const id of ['PT11', 'DE30', 'EL30']) expect(at(id)?.value, id).toMatch(/^\d+$/);
    expect(at('PL91')?.cls).toBe('zero');
    expect(regions.filter((r) => r.region.length === 4 && nuts2.has(r.region)).length).toBe(nuts2.size);
    expect(await page.locator('figcaption.attribution').textContent()).toContain(
      '© EuroGeographics for the administrative boundaries',
    );
    expect(
      await page.evaluate<number>("performance.getEntriesByName('mosy:map-drawn').length"),
    ).toBeGreaterThan(0);
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'map');
    // Zoomed, the regions with counts fill the drawing (960 × 680, 12 units of margin) and nothing else sets the frame.
    await page.getByLabel('Zoom to the regions counted').check();
    await page.locator('svg.map[data-drawn$="|zoom"]').waitFor();
    const box = await page.evaluate<{ x0: number; y0: number; x1: number; y1: number }>(
      `[...document.querySelectorAll('svg.map .regions [data-value]:not([data-value="0"])')]
        .map((e) => e.getBBox())
        .reduce((u, b) => ({ x0: Math.min(u.x0, b.x), y0: Math.min(u.y0, b.y),
          x1: Math.max(u.x1, b.x + b.width), y1: Math.max(u.y1, b.y + b.height) }),
          { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity })`,
    );
    for (const inside of [box.x0 - 12, box.y0 - 12, 948 - box.x1, 668 - box.y1])
      expect(inside).toBeGreaterThan(-1);
    expect(Math.min(Math.abs(box.x1 - box.x0 - 936), Math.abs(box.y1 - box.y0 - 656))).toBeLessThan(1);
    await page.context().close();
  });

  it('hatches a region whose count is withheld, never colouring it as zero', async () => {
    const page = await openMap();
    // One year at a time makes small regional counts, some under the threshold.
    const periods = (
      await api<{ cells: { period?: string }[] }>('/v1/indicators/victims/values?interval=year')
    ).cells
      .map((c) => c.period ?? '')
      .filter((p) => /^\d{4}$/.test(p))
      .sort();
    let found = 0;
    for (const [index, period] of periods.entries()) {
      await page.locator('input[name="period"]').focus();
      await page.keyboard.press('ArrowRight');
      await drawn(page, `[data-period="${period}"]`);
      expect(Number(await page.locator('input[name="period"]').inputValue())).toBe(index + 1);
      const report = await api<Table>(`/v1/reports/geo/victims?level=2&from=${period}&to=${period}`);
      const regions = await expectRegionsAsApi(page, report);
      const withheld = report.cells.filter(
        (c) => c.value === null && nuts2.has(c.key.regionOfIdentification!),
      );
      for (const c of withheld) {
        const region = regions.find((r) => r.region === c.key.regionOfIdentification)!;
        expect(region.cls).toBe('withheld');
        expect(region.value).toBe('withheld');
        expect(region.fill).toBe('url("#map-withheld")');
      }
      found += withheld.length;
    }
    expect(found).toBeGreaterThan(0);
    expect(await page.locator('.legend li[data-class="withheld"]').textContent()).toBe(
      `Fewer than the threshold (5): withheld`,
    );
    await page.context().close();
  });

  it("opens the map a link names, and shows a withheld region's total in its breakdown as withheld, not 0", async () => {
    const { page } = await web.newPage();
    await page.setViewportSize({ width: 1280, height: 1280 });
    await web.signIn(page, 'analyst');
    await page.goto(`${web.app.url}/#/map?level=2&period=2024`);
    await drawn(page, '[data-level="2"][data-period="2024"][data-view="regions"]');
    const report = await api<Table>('/v1/reports/geo/victims?level=2&from=2024&to=2024');
    await expectRegionsAsApi(page, report);
    const region = report.cells.find((c) => c.value === null && nuts2.has(c.key.regionOfIdentification!))!.key
      .regionOfIdentification!;
    await page.locator(`svg.map [data-region="${region}"]`).click();
    await page.locator(`section.breakdown[data-region="${region}"] table[data-by="sex"]`).waitFor();
    const breakdown = await api<Table>(
      `/v1/reports/geo/victims?level=2&by=sex&geo=${region}&from=2024&to=2024`,
    );
    const margin = breakdown.margins.find(
      (m) => Object.keys(m.key).length === 1 && m.key.regionOfIdentification === region,
    );
    expect(margin?.value, region).toBeNull();
    const total = page.locator('section.breakdown tfoot [data-cell]');
    expect(await total.getAttribute('data-value')).toBe('withheld');
    expect(await total.textContent()).not.toMatch(/\d/);
    // The same count as the region's on the map: same key, withheld there too.
    expect(await total.getAttribute('data-cell')).toBe(
      await page.locator(`svg.map [data-region="${region}"]`).getAttribute('data-cell'),
    );
    await page.context().close();
  });

  it('writes its settings into the URL, so a bookmarked link opens the same map', async () => {
    const page = await openMap();
    expect(new URL(page.url()).hash).toBe('#/map?indicator=victims&level=2');
    const entries = await page.evaluate<number>('history.length');
    await page.locator('select[name="geoField"]').selectOption('regionOfExploitation');
    await page.locator('input[name="period"]').fill('1');
    await page.getByLabel('Flows', { exact: true }).check();
    await page.locator('select[name="flowOrigin"]').selectOption('countryOfRecruitment');
    await page.locator('form.map-controls input[type="checkbox"]').first().check();
    const period = (await page.locator('output[data-period]').getAttribute('data-period')) ?? '';
    expect(period).toMatch(/^\d{4}$/);
    const map = `[data-geo-field="regionOfExploitation"][data-period="${period}"][data-view="flows"][data-flow-origin="countryOfRecruitment"]`;
    await drawn(page, map);
    const link = page.url();
    expect(new URL(link).hash).toBe(
      `#/map?indicator=victims&level=2&geoField=regionOfExploitation&period=${period}&view=flows&origin=countryOfRecruitment&zoom=1`,
    );
    // Changing settings replaced the history entry rather than adding one per step.
    expect(await page.evaluate<number>('history.length')).toBe(entries);

    const shared = await page.context().newPage();
    await shared.goto(link);
    await drawn(shared, map);
    expect(await shared.locator('select[name="geoField"]').inputValue()).toBe('regionOfExploitation');
    expect(await shared.locator('select[name="flowOrigin"]').inputValue()).toBe('countryOfRecruitment');
    expect(await shared.locator('output[data-period]').getAttribute('data-period')).toBe(period);
    expect(await shared.locator('form.map-controls input[type="checkbox"]').first().isChecked()).toBe(true);
    expect(shared.url()).toBe(link);
    await page.context().close();
  });

  it('says it is busy from the first frame after a setting changes, never over the previous map', async () => {
    const page = await openMap();
    // The figure as first drawn after the change: the render the change asks for runs before these microtasks, and
    // the page's effects (which ask for the new map) after them.
    const first = await page.evaluate<string>(`new Promise((resolve) => {
      const select = document.querySelector('select[name="geoField"]');
      select.value = 'regionOfExploitation';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      queueMicrotask(() => queueMicrotask(() => {
        const figure = document.querySelector('figure.map-figure');
        resolve(figure.getAttribute('aria-busy') + ' ' + figure.dataset.geoField);
      }));
    })`);
    // The previous map, busy; it once said aria-busy="false" there until the effects ran.
    expect(first).toBe('true regionOfIdentification');
    await drawn(page, '[data-geo-field="regionOfExploitation"]');
    await page.context().close();
  });

  it('draws the API’s flows to the region of exploitation, as thick as their counts', async () => {
    const page = await openMap();
    await page.getByLabel('Flows', { exact: true }).check();
    await drawn(page, '[data-view="flows"][data-flow-origin="citizenship"]');
    await expectFlowsAsApi(page, 'citizenship');
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'map-flows');
    await page.locator('select[name="flowOrigin"]').selectOption('countryOfRecruitment');
    await drawn(page, '[data-view="flows"][data-flow-origin="countryOfRecruitment"]');
    await expectFlowsAsApi(page, 'countryOfRecruitment');
    await page.context().close();
  });

  it("shows a region's breakdown, chosen by keyboard or by click, with the API's numbers", async () => {
    const page = await openMap();
    const breakdown = async (region: string, by: string) => {
      await page.locator(`section.breakdown[data-region="${region}"] table[data-by="${by}"]`).waitFor();
      const shown = await page.evaluate<Record<string, string>>(
        `Object.fromEntries([...document.querySelectorAll('section.breakdown tbody tr')].map((tr) =>
          [tr.dataset.code, tr.querySelector('[data-value]').dataset.value]))`,
      );
      const report = await api<Table>(`/v1/reports/geo/victims?level=2&by=${by}&geo=${region}`);
      expect(shown).toEqual(
        Object.fromEntries(
          report.cells
            .filter((c) => c.key.regionOfIdentification === region)
            .map((c) => [c.key[by], c.value === null ? 'withheld' : String(c.value)]),
        ),
      );
      const total = report.margins.find(
        (m) => Object.keys(m.key).length === 1 && m.key.regionOfIdentification === region,
      );
      expect(await page.locator('section.breakdown tfoot [data-value]').getAttribute('data-value')).toBe(
        String(total?.value),
      );
    };

    await page.locator('svg.map [data-region="PT11"]').focus();
    await page.keyboard.press('Enter');
    await breakdown('PT11', 'sex');
    // The region's count and the breakdown's total are the same count: same key, same value.
    const region = page.locator('svg.map [data-region="PT11"]');
    const total = page.locator('section.breakdown tfoot [data-cell]');
    expect(await total.getAttribute('data-cell')).toBe(await region.getAttribute('data-cell'));
    expect(await total.getAttribute('data-value')).toBe(await region.getAttribute('data-value'));
    await page.locator('section.breakdown select').selectOption('ageGroup');
    await breakdown('PT11', 'ageGroup');

    await page.locator('svg.map [data-region="PT19"]').click();
    await breakdown('PT19', 'sex');
    expect(await page.locator('svg.map [data-region="PT19"]').getAttribute('aria-pressed')).toBe('true');
    expect(await web.axeViolations(page)).toEqual([]);
    await page.context().close();
    expect(web.foreign).toEqual([]);
    expect(web.consoleErrors).toEqual([]);
  });
});

describe('the map without the geo data folder', () => {
  it('draws countries from world-atlas, coloured by the API’s country counts, and credits Natural Earth', async () => {
    const { page, context } = await fallback.newPage();
    await fallback.signIn(page, 'analyst');
    await page.goto(`${fallback.app.url}/#/map`);
    await page
      .locator(
        'figure.map-figure[data-source="world-atlas"][data-level="0"][aria-busy="false"] svg.map[data-drawn]',
      )
      .waitFor();
    expect(await page.locator('select[name="level"] option').allTextContents()).toEqual([
      'Countries (NUTS 0)',
    ]);
    const res = await fetch(`${fallback.app.url}/v1/reports/geo/victims?level=0`, {
      headers: { authorization: `Bearer ${fallback.keys.analyst}` },
    });
    const report = (await res.json()) as Table;
    const byCode = new Map(report.cells.map((c) => [c.key.regionOfIdentification!, c.value]));
    const bounds = ((await page.locator('.legend ul[data-breaks]').getAttribute('data-breaks')) ?? '')
      .split(',')
      .map(Number);
    expect(bounds).toEqual(expectedBreaks([...byCode.values()].map((v) => v ?? 0)));
    const regions = await drawnRegions(page);
    for (const code of ['PT', 'EL', 'ES', 'NG', 'BR']) {
      const region = regions.find((r) => r.region === code);
      expect(region?.cls, code).toBe(expectedClass(byCode.get(code), bounds));
      expect(region?.value, code).toBe(String(byCode.get(code)));
    }
    expect(await page.locator('figcaption.attribution').textContent()).toContain('Natural Earth');
    expect(await fallback.axeViolations(page)).toEqual([]);
    await context.close();
    expect(fallback.foreign).toEqual([]);
    expect(fallback.consoleErrors).toEqual([]);
  });
});
