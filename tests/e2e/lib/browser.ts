/**
 * What every browser test needs: the embedded runtime with its synthetic demo data, Debian's chromium
 * (deploy/local/chromium.sh) driven by playwright-core, sign-in per role, axe-core and screenshots. Each page's
 * browser test (tests/e2e/web-*.test.ts) starts its own harness, so the files run independently.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createLogger } from '@mosy/http';
import {
  loadDemoIfEmpty,
  spatialTables,
  startStandalone,
  type DemoKeys,
  type Standalone,
  type StandaloneOptions,
} from '@mosy/standalone';
import { createClient } from './client.js';
import { waitIdle } from './load.js';

export type Role = 'provider' | 'analyst' | 'coordinator' | 'admin';

const SCREENSHOTS = new URL('../../../docs/screenshots/', import.meta.url);
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WebHarness {
  readonly app: Standalone;
  readonly keys: DemoKeys;
  readonly adminToken: string;
  readonly browser: Browser;
  /** Requests the pages made to another origin, and CSP refusals or uncaught errors they logged. */
  readonly foreign: string[];
  readonly consoleErrors: string[];
  keyOf(role: Role): string;
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  signIn(page: Page, role: Role): Promise<void>;
  /** Serious and critical axe-core violations of the page as it is now. */
  axeViolations(page: Page): Promise<string[]>;
  /** A screenshot in docs/screenshots/<name>.png. */
  shot(page: Page, name: string): Promise<unknown>;
  close(): Promise<void>;
}

/** `options` go to the embedded runtime (e.g. a reporting country for the exports). */
export async function startWebHarness(
  name: string,
  options: Partial<StandaloneOptions> = {},
): Promise<WebHarness> {
  const adminToken = `e2e-${name}-admin-${Date.now()}`;
  const dataDir = join(mkdtempSync(join(tmpdir(), `mosy-e2e-${name}-`)), 'data');
  const app = await startStandalone({
    dataDir,
    port: 0,
    adminToken,
    pseudonymSecret: 'e2e-pseudonym-secret-of-at-least-32-bytes',
    logger: createLogger({ name: 'mosy', level: 'warn' }),
    // As `npm start` with the demo: the SYNTHETIC population and indicator tables, so rates work.
    spatial: spatialTables({}, true),
    ...options,
  });
  const keys = await loadDemoIfEmpty(app, dataDir);
  if (keys === undefined) throw new Error('no demo data loaded');
  await waitIdle(createClient(app.url), adminToken);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const foreign: string[] = [];
  const consoleErrors: string[] = [];

  const keyOf = (role: Role): string =>
    role === 'admin' ? adminToken : role === 'provider' ? keys.provider.key : keys[role];

  return {
    app,
    keys,
    adminToken,
    browser,
    foreign,
    consoleErrors,
    keyOf,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, locale: 'en-GB' });
      const page = await context.newPage();
      page.on('request', (request) => {
        if (!request.url().startsWith(app.url) && !request.url().startsWith('data:'))
          foreign.push(request.url());
      });
      // A 401 answer logs "Failed to load resource" by design (who is signed in?); CSP refusals and uncaught errors do not.
      page.on('console', (message) => {
        if (/Content.Security.Policy|Refused to/i.test(message.text())) consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      return { context, page };
    },
    async signIn(page, role) {
      await page.goto(app.url);
      await page.getByLabel('API key').fill(keyOf(role));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator(`.who[data-role="${role}"]`).waitFor();
    },
    axeViolations,
    shot,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/** Serious and critical axe-core violations of the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern; the app itself runs no inline script.
  await page.evaluate(AXE_SOURCE);
  // A string, run in the page: this project's TypeScript has no DOM types.
  const results = await page.evaluate<{ id: string; impact: string }[]>(
    'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))',
  );
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/** A screenshot in docs/screenshots/<name>.png. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname });

/**
 * Waits until `expression` (JavaScript run in the page) is true, checking every 100 ms for at most `timeoutMs`.
 * Playwright's `waitForFunction` would evaluate a string again at every poll with `eval`, which the app's CSP (no
 * 'unsafe-eval') refuses; `page.evaluate` goes through the DevTools protocol, which the CSP does not govern.
 */
export async function waitUntil(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
