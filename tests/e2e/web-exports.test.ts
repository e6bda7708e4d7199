/**
 * The Exports page in a real browser, on the embedded runtime with its demo data and Portugal as the reporting
 * country: a coordinator builds the draft of a closed quarter, previews it, downloads an artefact and publishes the
 * draft; what the page shows equals what the API answers (versions, checksums, observations, withheld values), the
 * download's bytes have the SHA-256 the archive lists, and the build, download and publication are in the audit
 * log. axe-core finds no serious or critical violation; the page stays on its origin under the CSP.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from './lib/browser.js';

const PERIOD = '2025-Q2';
let web: WebHarness;

beforeAll(async () => {
  web = await startWebHarness('web-exports', {
    report: { disclosure: { threshold: 5, adHoc: 'perturb' }, reportingCountry: 'PT' },
  });
}, 120_000);

afterAll(async () => {
  await web?.close();
});

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${web.app.url}${path}`, {
    headers: { authorization: `Bearer ${web.keyOf('coordinator')}` },
  });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

interface Version {
  period: string;
  revision: number;
  checksums: Record<string, string>;
  published?: { at: number; by: string };
}

describe('exports page', () => {
  it('builds, previews, downloads and publishes the quarterly report as the API says', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'coordinator');
    await page.goto(`${web.app.url}/#/exports`);
    await page.locator('[data-empty]').waitFor();
    expect(await web.axeViolations(page)).toEqual([]);

    await page.getByLabel('Quarter').fill(PERIOD);
    await page.getByRole('button', { name: 'Build draft' }).click();
    const row = page.locator(`[data-version="${PERIOD}/0"]`);
    await row.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-message]').textContent()).toBe(`The draft of ${PERIOD} was built.`);
    expect(await row.locator('[data-state]').textContent()).toBe('draft');
    const { versions } = await api<{ versions: Version[] }>('/v1/exports/quarterly');
    expect(versions.map((v) => `${v.period}/${v.revision}`)).toEqual([`${PERIOD}/0`]);

    await row.getByRole('button', { name: 'Preview' }).click();
    await page.locator('[data-preview]').waitFor();
    const preview = await api<{
      observations: { value: number | null }[];
      metadata: { disclosure: { withheld: number } };
    }>(`/v1/exports/quarterly/${PERIOD}/0`);
    const en = new Intl.NumberFormat('en');
    expect(await page.locator('[data-observations]').textContent()).toBe(
      en.format(preview.observations.length),
    );
    expect(await page.locator('[data-withheld]').textContent()).toBe(
      en.format(preview.metadata.disclosure.withheld),
    );
    expect(preview.observations.some((o) => o.value === null)).toBe(true);
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'exports');

    const link = row.getByRole('link', { name: 'SDMX-CSV' });
    const href = await link.getAttribute('href');
    const download = await page.request.get(`${web.app.url}${href}`);
    expect(download.status()).toBe(200);
    const body = await download.text();
    expect(body.startsWith('DATAFLOW,LAST UPDATE,freq,unit,')).toBe(true);
    const sha = createHash('sha256').update(body, 'utf8').digest('hex');
    expect(sha).toBe(versions[0]!.checksums['sdmx-csv']);
    expect(await link.getAttribute('title')).toBe(`SHA-256 ${sha}`);

    await row.getByRole('button', { name: 'Publish' }).click();
    await row.locator('[data-state]', { hasText: 'published' }).waitFor();
    const after = await api<{ versions: Version[] }>('/v1/exports/quarterly');
    expect(after.versions[0]!.published).toEqual({ at: expect.any(Number), by: expect.any(String) });
    expect(await row.getByRole('button', { name: 'Revise' }).isVisible()).toBe(true);

    const audit = await api<{ entries: { action: string; resource: string }[] }>('/v1/audit?limit=20');
    const actions = audit.entries.filter((e) => e.action.startsWith('quarterly-')).map((e) => e.action);
    expect(actions).toEqual(['quarterly-publish', 'quarterly-download', 'quarterly-build']);
    expect(web.foreign).toEqual([]);
    expect(web.consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
