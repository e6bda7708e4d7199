/**
 * Back-pressure of the embedded runtime on a full disk: its data folder is a small tmpfs. Half the dataset goes in,
 * then the file system is filled to the last block. A submission must then be refused at once with 503, a
 * problem+json that says the data folder is full, and `Retry-After`, while reads still answer; when the space comes
 * back the same submission is accepted, and every count equals the reference: nothing accepted was lost, nothing
 * counted twice.
 *
 * The runtime frees space by itself a moment after work: it deletes consumed log and journal files after
 * `logConsumedRetentionMs` and checkpoints (shrinking the WAL) after `idleCheckpointMs`. Filled while those timers
 * were still to run, the disk had room again by the time of the submission, which then was rightly accepted: so
 * here they run only long after the test. The refused batch's event (about 5.8 KB) is larger than a page, so it
 * cannot fit in the unused end of the last page of a log file either.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from '@mosy/testkit';
import { createLogger } from '@mosy/http';
import { startStandalone, type Standalone } from '@mosy/standalone';
import { createClient, expectStatus } from './lib/client.js';
import { compareIndicators, fetchCatalogue } from './lib/compare-all.js';
import { issueKey, registerProviders, submitAll, waitIdle } from './lib/load.js';
import { sliceDataset } from './lib/slice.js';
import { mountTmpfs, type Tmpfs } from './lib/tmpfs.js';

const dataset = generateDataset({ seed: 7310, persons: 150 });

describe('the embedded runtime when its data folder is full', () => {
  let fs: Tmpfs | undefined;
  let app: Standalone | undefined;
  afterAll(async () => {
    try {
      fs?.free();
      await app?.close();
    } finally {
      fs?.unmount();
    }
  });

  it('answers 503 with Retry-After and a specific problem, keeps serving reads, and loses nothing', async () => {
    fs = mountTmpfs(mkdtempSync(join(tmpdir(), 'mosy-e2e-disk-full-')), 64);
    const adminToken = 'e2e-admin-disk-full';
    app = await startStandalone({
      dataDir: join(fs.dir, 'data'),
      port: 0,
      adminToken,
      pseudonymSecret: 'e2e-pseudonym-secret-of-at-least-32-bytes',
      logger: createLogger({ name: 'mosy', level: 'silent' }),
      hardening: { rateLimitPerMinute: 1_000_000 },
      webDir: false,
      logConsumedRetentionMs: 600_000,
      idleCheckpointMs: 600_000,
    });
    const client = createClient(app.url);
    const keys = await registerProviders(client, adminToken, dataset);
    const coordinator = (await issueKey(client, adminToken, 'coordinator')).key;
    await submitAll(client, sliceDataset(dataset, 0, 0.5), keys);
    await waitIdle(client, coordinator);

    expect(fs.fill()).toBeGreaterThan(0);
    const provider = dataset.submissions[0]!;
    const batch = sliceDataset(dataset, 0.5, 1).submissions[0]!.records.slice(0, 20);
    const refused = await client.request('POST', '/v1/submissions', {
      key: keys.get(provider.providerId)!,
      json: { records: batch },
    });
    expect(refused.status, refused.text).toBe(503);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 503, code: 'unavailable' });
    expect((refused.body as { detail: string }).detail).toMatch(/data folder is full/);
    const retryAfter = await fetch(`${app.url}/v1/submissions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.get(provider.providerId)!}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ records: batch }),
    });
    expect(retryAfter.status).toBe(503);
    expect(Number(retryAfter.headers.get('retry-after'))).toBeGreaterThan(0);
    // Reads need no space: the status and the indicators still answer.
    expectStatus(
      await client.request('GET', '/v1/status', { key: coordinator }),
      200,
      'status on a full disk',
    );
    expectStatus(
      await client.request('GET', '/v1/indicators/victims/values?by=sex', { key: coordinator }),
      200,
      'a read on a full disk',
    );

    fs.free();
    const load = await submitAll(client, sliceDataset(dataset, 0.5, 1), keys);
    expect(load.rejections).toEqual([]);
    const status = await waitIdle(client, coordinator);
    expect(status.records).toBe(dataset.truth.filter((t) => !t.withdrawn).length);
    const report = await compareIndicators(
      client,
      coordinator,
      await fetchCatalogue(client, coordinator),
      dataset,
      [...dataset.truth],
      'cki',
    );
    expect(report.problems).toEqual([]);
  });
});
