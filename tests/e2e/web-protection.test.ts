/**
 * Disclosure control as the pages show it: each analyst page below is opened in the same state by an analyst and
 * by a coordinator with exact values (`exact=1`), and every published count is compared through its `data-cell`
 * key (web/src/cells.ts). The analyst's page must show no number for a cell whose exact value is small (nonzero,
 * below the threshold), nor for one the API withheld from the analyst (`data-value="withheld"` shows no digit);
 * each cell the analyst sees must exist on the coordinator's page, so nothing escapes the comparison; and each
 * page must have at least one small exact cell, so the check has something to catch.
 *
 * A new page joins with one line in PAGES: its hash (state included) and the selector that appears once its
 * counts are drawn.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type Role, type WebHarness } from './lib/browser.js';
import { shownCells, type ShownCell } from './lib/cells.js';

interface AnalystPage {
  readonly name: string;
  /** The page and its state, as in the address bar (`#/reports?indicator=victims`). */
  readonly hash: string;
  /** Present once the page's counts are drawn. */
  readonly ready: string;
  /**
   * Present once the coordinator's exact counts are drawn, where `ready` could still find the protected ones: the
   * dashboard is where signing in lands, so opening its exact link changes only the hash of a page already showing
   * the protected values.
   */
  readonly readyExact?: string;
  /**
   * Whether the state shows small exact counts, so the check is known to have something to catch. The dashboard's
   * latest quarters are all large in the demo data; its cells are compared all the same.
   */
  readonly small?: false;
  /** More checks of the analyst's page, as drawn. */
  readonly check?: (page: Page) => Promise<void>;
}

/** The NUTS files of the geo data folder (read where they are), so the map draws regions. */
const GEO_DIR = process.env.MOSY_GEO_DIR ?? fileURLToPath(new URL('../../../shared/geo', import.meta.url));

/** Every region the map draws as withheld is hatched, and there are some (NUTS 2 in one year has them). */
async function withheldHatched(page: Page): Promise<void> {
  const withheld = await page.evaluate<{ region: string; cls: string; fill: string }[]>(
    `[...document.querySelectorAll('svg.map path.region[data-value="withheld"]')].map((e) => ({
      region: e.dataset.region, cls: e.dataset.class, fill: getComputedStyle(e).fill }))`,
  );
  expect(withheld.length).toBeGreaterThan(0);
  for (const r of withheld)
    expect([r.region, r.cls, r.fill]).toEqual([r.region, 'withheld', 'url("#map-withheld")']);
}

const PAGES: readonly AnalystPage[] = [
  {
    name: 'dashboard',
    hash: '#/dashboard',
    ready: 'table.indicators [data-cell]',
    readyExact: 'table.indicators[data-exact="1"] [data-cell]',
    small: false,
  },
  {
    name: 'report',
    hash: '#/reports?indicator=victims&by=sex,ageClass,exploitation&from=2024&to=2024',
    ready: '[data-report-table] [data-cell]',
  },
  {
    name: 'time-frame report',
    hash: '#/reports?indicator=victims&by=exploitation&from=2023&to=2025&interval=quarter&providers=type:NGO',
    ready: '[data-report-table] [data-cell]',
  },
  {
    name: 'projection',
    hash: '#/projection?indicator=convicted',
    ready: '[data-projection-table] [data-cell]',
  },
  { name: 'quality', hash: '#/quality?provider=inspecao-trabalho', ready: '[data-provider] [data-cell]' },
  {
    name: 'map',
    hash: '#/map?level=2&period=2024',
    ready:
      'figure.map-figure[data-level="2"][data-period="2024"][aria-busy="false"] svg.map[data-drawn] [data-cell]',
    check: withheldHatched,
  },
];

/** The default threshold of the embedded runtime the harness starts (MOSY_DISCLOSURE_THRESHOLD unset). */
const THRESHOLD = 5;

let web: WebHarness;

beforeAll(async () => {
  web = await startWebHarness('web-protection', { geoDir: GEO_DIR });
}, 120_000);

afterAll(async () => {
  await web?.close();
});

async function cellsAs(
  role: Role,
  hash: string,
  ready: string,
  check?: (page: Page) => Promise<void>,
): Promise<ShownCell[]> {
  const { context, page } = await web.newPage();
  await web.signIn(page, role);
  await page.goto(`${web.app.url}/${hash}`);
  await page.locator(ready).first().waitFor();
  // A page that draws its counts in several steps has them all once the loading notices are gone (a page may keep
  // other status lines, such as the dashboard's live state).
  await page.locator('main p.status[role="status"]').waitFor({ state: 'detached' });
  const cells = await shownCells(page);
  await check?.(page);
  await context.close();
  return cells;
}

/** Cells of exact values added up, as one cell. */
const sumOf = (cells: readonly { readonly value: string }[]): { readonly value: string } => ({
  value: String(cells.reduce((sum, c) => sum + Number(c.value), 0)),
});

const withExact = (hash: string) => `${hash}${hash.includes('?') ? '&' : '?'}exact=1`;

describe('analyst pages show no value the coordinator’s exact values show as small', () => {
  it.each(PAGES)('$name', async ({ hash, ready, readyExact = ready, small: hasSmall = true, check }) => {
    const analyst = await cellsAs('analyst', hash, ready, check);
    const exact = new Map(
      (await cellsAs('coordinator', withExact(hash), readyExact)).map((c) => [c.cell, c]),
    );
    expect(analyst.length).toBeGreaterThan(0);
    let small = 0;
    for (const cell of analyst) {
      // An analyst's per-field count of unmapped values is the sum of the coordinator's per-value counts.
      const parts = [...exact.values()].filter((c) => c.cell.startsWith(`${cell.cell}|value=`));
      const truth = exact.get(cell.cell) ?? (parts.length === 0 ? undefined : sumOf(parts));
      expect(truth, `${cell.cell} on the coordinator's page`).toBeDefined();
      expect(truth!.value, cell.cell).toMatch(/^\d+$/);
      const n = Number(truth!.value);
      if (n > 0 && n < THRESHOLD) {
        small++;
        expect(cell.value, `${cell.cell}: exact ${n}`).toBe('withheld');
      }
      if (cell.value === 'withheld') expect(cell.text, cell.cell).not.toMatch(/\d/);
      else expect(cell.value, cell.cell).toMatch(/^\d+$/);
    }
    if (hasSmall) expect(small, 'small exact cells on the page').toBeGreaterThan(0);
  });
});
