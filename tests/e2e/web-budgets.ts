/**
 * The web app's performance budgets, measured in a real browser (`npm run budgets`, not part of the tests: timings
 * belong to a script, not to assertions on a busy machine). It starts the embedded runtime with the demo data
 * through the browser-test harness and measures, with a cold cache each time:
 *
 * - first load: from navigation to the dashboard's numbers on screen for a signed-in analyst (target < 1 s), and
 *   the shell's load event;
 * - the JavaScript of web/dist gzipped, all chunks (the map's boundary files are data served by /v1/geo, not
 *   JavaScript, so none is counted) and the entry chunk alone (target < 300 kB);
 * - when the app has a map page: the time from choosing NUTS 3 to the map's `performance.mark('mosy:map-drawn')`
 *   (target < 1 s).
 *
 * Medians of RUNS runs go to docs/web-budgets.json and to the terminal.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Cookie, Page } from 'playwright-core';
import { startWebHarness } from './lib/browser.js';

const RUNS = 5;
const DIST = new URL('../../web/dist/', import.meta.url);
const OUT = new URL('../../docs/web-budgets.json', import.meta.url);
const TARGETS = { firstLoadMs: 1000, javascriptGzipKb: 300, nuts3MapMs: 1000 };

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]!);
};
const kb = (bytes: number): number => Math.round(bytes / 102.4) / 10;

function javascriptSizes() {
  const assets = new URL('assets/', DIST);
  const entry = /src="\/assets\/([^"]+\.js)"/.exec(readFileSync(new URL('index.html', DIST), 'utf8'))?.[1];
  const files = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, gzipKb: kb(gzipSync(readFileSync(new URL(file, assets))).length) }));
  return {
    totalGzipKb: Math.round(files.reduce((n, f) => n + f.gzipKb, 0) * 10) / 10,
    entryGzipKb: files.find((f) => f.file === entry)?.gzipKb ?? null,
    files,
  };
}

/** What the predicates below use of the page's globals (this project's TypeScript has no DOM types). */
interface PageGlobals {
  document: { querySelector(selector: string): unknown };
  budgetStart?: number;
}

/**
 * Milliseconds from navigation start until `selector` is in the page, checked at every frame. The predicates are
 * functions, not strings: Playwright would evaluate a string with `eval`, which the app's CSP refuses; they run
 * in the page, so they reach its globals through `globalThis` alone.
 */
const timeUntil = (page: Page, selector: string): Promise<number> =>
  page
    .waitForFunction(
      (s) => (globalThis as unknown as PageGlobals).document.querySelector(s) !== null && performance.now(),
      selector,
      {
        polling: 'raf',
        timeout: 60_000,
      },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);

/** Milliseconds from `budgetStart` to the map's `mosy:map-drawn` mark, once it is there. */
const mapDrawn = (page: Page): Promise<number> =>
  page
    .waitForFunction(
      () => {
        const mark = performance.getEntriesByName('mosy:map-drawn')[0];
        return (
          mark !== undefined && mark.startTime - ((globalThis as unknown as PageGlobals).budgetStart ?? 0)
        );
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);

// The NUTS boundary files, as web-map.test.ts finds them: without them the map falls back to countries only.
const geoDir = process.env.MOSY_GEO_DIR ?? fileURLToPath(new URL('../../../shared/geo', import.meta.url));
const web = await startWebHarness('budgets', { geoDir });
try {
  const { context: signInContext, page: signInPage } = await web.newPage();
  await web.signIn(signInPage, 'analyst');
  const cookies: Cookie[] = await signInContext.cookies();
  await signInContext.close();

  const fresh = async () => {
    const { context, page } = await web.newPage();
    await context.addCookies(cookies);
    return { context, page };
  };

  const dashboard: number[] = [];
  const loadEvent: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await fresh();
    await page.goto(`${web.app.url}/#/dashboard`, { waitUntil: 'commit' });
    dashboard.push(await timeUntil(page, 'table.indicators [data-cell]'));
    loadEvent.push(await page.evaluate<number>("performance.getEntriesByType('navigation')[0].loadEventEnd"));
    await context.close();
  }

  let map: { nuts3MapMs: number; runs: number[] } | { skipped: string };
  const { context: probe, page: probePage } = await fresh();
  await probePage.goto(`${web.app.url}/#/dashboard`);
  await probePage.locator('nav a[data-page]').first().waitFor();
  const mapReady = await probePage.evaluate<boolean>(
    "(() => { const a = document.querySelector('nav a[data-page=\"map\"]'); return a !== null && a.querySelector('.badge') === null; })()",
  );
  await probe.close();
  if (!mapReady) map = { skipped: 'the app has no map page yet' };
  else {
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { context, page } = await fresh();
      await page.goto(`${web.app.url}/#/map`);
      await mapDrawn(page);
      const level = page.locator('main select[name="level"]');
      if ((await level.locator('option[value="3"]').count()) === 0) {
        map = { skipped: 'the map offers no NUTS 3 level (is the geo data folder configured?)' };
        await context.close();
        break;
      }
      await page.evaluate("performance.clearMarks('mosy:map-drawn'); window.budgetStart = performance.now()");
      await level.selectOption('3');
      runs.push(await mapDrawn(page));
      await context.close();
    }
    map ??= { nuts3MapMs: median(runs), runs: runs.map(Math.round) };
  }

  const figures = {
    measuredAt: new Date().toISOString(),
    runs: RUNS,
    targets: TARGETS,
    firstLoad: {
      dashboardNumbersMs: median(dashboard),
      loadEventMs: median(loadEvent),
      runs: dashboard.map(Math.round),
    },
    javascript: javascriptSizes(),
    map,
  };
  // Formatted as the repository's JSON is (`npm run lint` checks docs/ with prettier).
  writeFileSync(OUT, await format(JSON.stringify(figures), { parser: 'json' }));
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await web.close();
}
