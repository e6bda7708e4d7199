/**
 * Data entry for a small provider in a real browser, against the embedded runtime with its demo data: a record
 * entered while the browser is offline waits in IndexedDB (identity included, as the page says), is sent when the
 * connection returns, is counted (the store holds exactly one more record) and is deleted from the browser; a
 * record the server refuses shows the server's reason next to its field; a CSV file is previewed (the receipt the
 * server would give, with nothing accepted) and then submitted, with the receipt's exact figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from './lib/browser.js';
import { createClient } from './lib/client.js';
import { waitIdle } from './lib/load.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startWebHarness('web-entry');
});

afterAll(async () => {
  await web?.close();
});

const records = async (): Promise<number> =>
  (await waitIdle(createClient(web.app.url), web.adminToken)).records;

const dryRun = async (body: string, contentType: string) => {
  const res = await fetch(`${web.app.url}/v1/submissions?dryRun=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${web.keys.provider.key}`, 'content-type': contentType },
    body,
  });
  expect(res.status).toBe(202);
  return (await res.json()) as {
    accepted: number;
    duplicates: number;
    rejected: number;
    dryRun?: boolean;
    records: { index: number; status: string; issues?: { field: string; message: string }[] }[];
  };
};

/** What this site keeps in IndexedDB: the outbox's records. */
const outbox = (page: Page) =>
  page.evaluate<
    { recordId: string; record: { identity?: Record<string, string> } }[]
  >(`new Promise((resolve, reject) => {
    const open = indexedDB.open('mosy-entry');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const all = db.transaction('outbox').objectStore('outbox').getAll();
      all.onsuccess = () => { db.close(); resolve(all.result); };
    };
  })`);

describe('data entry', () => {
  it('keeps a record entered offline in the browser, sends it when the connection returns, and deletes it once accepted', async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'provider');
    await page.locator('form[data-form="entry"]').waitFor();
    expect(await web.axeViolations(page)).toEqual([]);
    await web.shot(page, 'entry');
    const before = await records();

    await context.setOffline(true);
    await page.locator('[data-online="false"]').waitFor();
    await page.fill('#f-recordId', 'web-offline-1');
    await page.fill('#f-referenceDate', '2025-03-14');
    await page.fill('#f-identity-givenName', 'Zorabel');
    await page.fill('#f-identity-familyName', 'Quintaneira');
    await page.getByRole('button', { name: 'Keep it until the connection returns' }).click();
    await page.locator('[data-result="waiting"]').waitFor();
    await page.locator('[data-waiting="1"]').waitFor();
    const waiting = await outbox(page);
    expect(waiting.map((w) => w.recordId)).toEqual(['web-offline-1']);
    expect(waiting[0]?.record.identity).toEqual({ givenName: 'Zorabel', familyName: 'Quintaneira' });
    expect(await records()).toBe(before);
    expect(await web.axeViolations(page)).toEqual([]);
    await page.locator('#waiting-title').scrollIntoViewIfNeeded();
    await web.shot(page, 'entry-offline');

    await context.setOffline(false);
    await page.locator('[data-waiting="0"]').waitFor();
    expect(await outbox(page)).toEqual([]);
    expect(await records()).toBe(before + 1);
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
    );
    expect(stored).not.toContain('Zorabel');
    await context.close();
  });

  it("shows the server's reason next to the field it concerns", async () => {
    const { context, page } = await web.newPage();
    await web.signIn(page, 'provider');
    await page.locator('form[data-form="entry"]').waitFor();
    const record = {
      recordId: 'web-future',
      version: 1,
      action: 'upsert',
      kind: 'victim',
      referenceDate: '2099-01-01',
      fields: {},
    };
    const preview = await dryRun(JSON.stringify({ records: [record] }), 'application/json');
    const issue = preview.records[0]?.issues?.[0];
    expect(issue?.field).toBe('referenceDate');
    await page.fill('#f-recordId', 'web-future');
    await page.fill('#f-referenceDate', '2099-01-01');
    await page.getByRole('button', { name: 'Send the record' }).click();
    const shown = page.locator('[data-issues-for="referenceDate"] li');
    await shown.waitFor();
    expect(await shown.allTextContents()).toEqual([issue?.message]);
    expect(await page.locator('[data-result="rejected"]').count()).toBe(1);
    expect(await web.axeViolations(page)).toEqual([]);
    await page.locator('#f-referenceDate').scrollIntoViewIfNeeded();
    await web.shot(page, 'entry-rejected');
    await context.close();
  });

  it('previews a CSV file without accepting anything, then submits it', async () => {
    const csv = [
      'recordId,version,action,kind,referenceDate',
      'web-csv-1,1,upsert,victim,2025-02-01',
      'web-csv-2,1,upsert,victim,2025-02-02',
      'web-offline-1,1,upsert,victim,2025-03-14',
      'web-csv-3,1,upsert,alien,2025-02-03',
      '',
    ].join('\n');
    const before = await records();
    const expected = await dryRun(csv, 'text/csv');
    expect([expected.accepted, expected.duplicates, expected.rejected, expected.dryRun]).toEqual([
      2,
      1,
      1,
      true,
    ]);

    const { context, page } = await web.newPage();
    await web.signIn(page, 'provider');
    await page
      .locator('#csv-file')
      .setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Preview the receipt' }).click();
    const counts = async (state: string) => {
      const receipt = page.locator(`[data-receipt="${state}"]`);
      await receipt.waitFor();
      // A string, run in the page: this project's TypeScript has no DOM types.
      return page.evaluate<Record<string, string>>(
        `Object.fromEntries([...document.querySelectorAll('[data-receipt="${state}"] [data-count]')].map((c) => [c.dataset.count, c.dataset.n]))`,
      );
    };
    expect(await counts('preview')).toEqual({ accepted: '2', duplicates: '1', rejected: '1' });
    const reasons = page.locator('table[data-table="rejected"] tbody tr');
    expect(await reasons.count()).toBe(1);
    expect(await reasons.first().getAttribute('data-line')).toBe('5');
    const issue = expected.records.find((r) => r.status === 'rejected')?.issues?.[0];
    expect(await reasons.first().locator('li').first().textContent()).toBe(
      `${issue?.field} ${issue?.message}`,
    );
    expect(await records()).toBe(before);
    expect(await web.axeViolations(page)).toEqual([]);
    await page.locator('[data-receipt="preview"]').scrollIntoViewIfNeeded();
    await web.shot(page, 'entry-csv-preview');

    await page.getByRole('button', { name: 'Submit the file' }).click();
    expect(await counts('submitted')).toEqual({ accepted: '2', duplicates: '1', rejected: '1' });
    expect(await records()).toBe(before + 2);
    await context.close();
  });

  it('made no request to another origin, broke no CSP rule and threw no error', () => {
    expect(web.foreign).toEqual([]);
    // Going offline makes the page's retries fail on purpose; they log no CSP refusal or uncaught error.
    expect(web.consoleErrors).toEqual([]);
  });
});
