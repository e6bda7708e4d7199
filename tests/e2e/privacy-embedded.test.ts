/**
 * Privacy canaries through the embedded runtime (`startStandalone` on a temporary data folder, logging at debug to
 * a captured file): after the normalizer, no canary identity value — and no identity value of the synthetic dataset
 * beside them — is in any API response of any GET operation (exports included), in the log output, in any table of
 * the DuckDB file (read back row by row, since DuckDB compresses what it stores), or in any file of the data folder
 * but the submissions log, which may hold identity only until it is consumed plus `MOSY_LOG_CONSUMED_RETENTION_MS`.
 */
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { startStandalone, type Standalone } from '@mosy/standalone';
import { loadCanaries, sweepApi, type CanaryLoad } from './lib/canaries.js';
import { createClient, type Client } from './lib/client.js';
import { dumpDuckDb } from './lib/duckdb-dump.js';
import { findLeaks, tempFile } from './lib/leaks.js';
import { waitIdle } from './lib/load.js';

const RETENTION_MS = 200;

const root = mkdtempSync(join(tmpdir(), 'mosy-privacy-embedded-'));
const dataDir = join(root, 'data');
const logFile = join(root, 'mosy.log');
const logStream = createWriteStream(logFile);
let app: Standalone;
let client: Client;
let load: CanaryLoad;
let closed = false;

const close = async (): Promise<void> => {
  if (closed) return;
  closed = true;
  await app.close();
  await new Promise<void>((resolve) => logStream.end(resolve));
};

beforeAll(async () => {
  const adminToken = `privacy-admin-${Date.now()}`;
  app = await startStandalone({
    dataDir,
    port: 0,
    adminToken,
    pseudonymSecret: 'privacy-pseudonym-secret-of-at-least-32-bytes',
    logger: createLogger({ name: 'mosy', level: 'debug', destination: logStream }),
    logConsumedRetentionMs: RETENTION_MS,
    hardening: { rateLimitPerMinute: 1_000_000 },
    webDir: false,
  });
  client = createClient(app.url);
  load = await loadCanaries(client, adminToken);
  const status = await waitIdle(client, load.keys.coordinator);
  expect(status.records).toBeGreaterThan(load.canaries.length);
}, 120_000);

afterAll(close);

describe('privacy canaries on the embedded runtime', () => {
  it('can find a canary where one is (the search is not blind)', async () => {
    const probe = tempFile('probe.bin', `\u0000${load.needles[0]!}\u0000`);
    expect(await findLeaks(load.needles, [probe])).toHaveLength(1);
  });

  it('finds none in any response of any GET operation, as any role', async () => {
    const { requests, ok } = await sweepApi(client, load);
    console.info(`[privacy embedded] ${requests} GET requests, ${ok} answered 200`);
    expect(ok).toBeGreaterThan(60);
    expect(requests).toBeGreaterThan(ok);
    expect(await findLeaks(load.needles, [tempFile('responses.txt', client.bodies.join('\n'))])).toEqual([]);
  });

  it('finds none in the data folder but the submissions log, and none there once consumed and retained', async () => {
    const leaks = await findLeaks(load.needles, [dataDir]);
    const outsideLog = leaks.filter((l) => !relative(dataDir, l).startsWith(join('log', 'submissions')));
    expect(outsideLog).toEqual([]);
    // The consumed submissions log is deleted within the retention of its last read: poll, with room to spare.
    const deadline = Date.now() + RETENTION_MS + 30_000;
    let left = leaks;
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await findLeaks(load.needles, [dataDir]);
    }
    expect(left).toEqual([]);
  });

  it('finds none in the log output, the data folder or any DuckDB table after a stop', async () => {
    await close();
    expect(await findLeaks(load.needles, [dataDir, logFile])).toEqual([]);
    const dump = await dumpDuckDb(join(dataDir, 'mosy.duckdb'), root);
    // The dump is worth searching only if it holds the records.
    expect(dump.tables).toBeGreaterThan(3);
    expect(dump.rows).toBeGreaterThan(load.accepted);
    // And the intake ledger's own file: its receipts and quality values.
    expect(readFileSync(dump.file, 'utf8')).toContain('intake_ledger.main.submission_receipts ');
    expect(await findLeaks(load.needles, [dump.file])).toEqual([]);
  });
});
