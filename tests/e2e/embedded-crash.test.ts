/**
 * Crash safety of the embedded runtime, as an operator would meet it: the built CLI (`services/standalone/dist/
 * main.js`, so `npm run build` must have run — `npm test` builds first) runs as a child process on a temporary data
 * folder and is killed with SIGKILL in one of two states, each reached on purpose:
 * - **with a normalizer backlog**: providers submit one at a time, and after each answer the process is frozen
 *   (SIGSTOP) and its log folder read; it is killed at the first answer that left submissions unread;
 * - **with everything read but not yet deleted**: everything is submitted and normalized while the log keeps
 *   consumed files for a minute (MOSY_LOG_CONSUMED_RETENTION_MS), then it is killed, with identity still on disk.
 * It is then restarted on the same folder; once idle every count must equal the reference: nothing lost, nothing
 * counted twice. Re-sending everything afterwards must accept nothing. No identity value may be left in the data
 * folder: after the restart, before it answers, when nothing was left to read; while it runs idle; and after it
 * stops. The child's stdout and stderr and every response are searched too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDataset, type SyntheticDataset } from '@mosy/testkit';
import { inspectLog } from '@mosy/bus-memory';
import { AGGREGATOR_GROUP, NORMALIZER_GROUP } from '@mosy/standalone';
import { createClient } from './lib/client.js';
import { compareIndicators, fetchCatalogue } from './lib/compare-all.js';
import { findLeaks, leakNeedles, tempFile } from './lib/leaks.js';
import { issueKey, registerProviders, submitAll, submitBatch, waitIdle } from './lib/load.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../services/standalone/dist/main.js');

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  /** Exit code or signal, once it exited. */
  readonly exited: Promise<string>;
}

/** Starts the CLI on a data folder and waits until it prints its URL. Output is appended to `output`. */
async function startChild(env: Record<string, string>, output: string[]): Promise<Child> {
  const child = spawn(process.execPath, [MAIN], {
    // Polling at full speed with one key; the rate limit has its own unit test.
    env: {
      ...process.env,
      PORT: '0',
      MOSY_DEMO: '0',
      LOG_LEVEL: 'debug',
      MOSY_RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<string>((done) =>
    child.once('exit', (code, signal) => done(signal ?? `exit ${String(code)}`)),
  );
  const url = await new Promise<string>((found, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`no URL printed within 60 s:\n${seen}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output.push(text);
      seen += text;
      const match = /running at (http:\/\/[^\s)]+)/.exec(seen);
      if (match !== null) {
        clearTimeout(timer);
        found(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((how) => {
      clearTimeout(timer);
      fail(new Error(`the CLI exited (${how}) before printing its URL:\n${seen}`));
    });
  });
  return { process: child, url, exited };
}

/** What re-sending a whole dataset to a system that accepted all of it must answer. */
function resendOutcome(dataset: SyntheticDataset): { duplicates: number; rejected: number } {
  let duplicates = 0;
  let rejected = 0;
  for (const { records } of dataset.submissions) {
    const last = new Map<string, number>();
    for (const r of records) last.set(r.recordId, Math.max(last.get(r.recordId) ?? 0, r.version));
    for (const r of records) {
      if (r.version === last.get(r.recordId)) duplicates++;
      else rejected++;
    }
  }
  return { duplicates, rejected };
}

type KillState = 'normalizer backlog' | 'everything read';

/** The backlog of each stage as the log folder holds it now (read-only: the process may still hold it). */
async function backlogOnDisk(logDir: string): Promise<{ normalizer: number; aggregator: number }> {
  const lag = async (topic: string, group: string): Promise<number> => {
    const log = await inspectLog(logDir, topic);
    return log.endOffset - (log.committed.get(group) ?? log.startOffset);
  };
  return {
    normalizer: await lag('submissions', NORMALIZER_GROUP),
    aggregator: await lag('records', AGGREGATOR_GROUP),
  };
}

/**
 * Runs `submit` and kills the child at the first moment its log folder shows submissions the normalizer has not
 * read: each time the submissions log is written, the child is frozen (SIGSTOP) at once, the folder is read, and the
 * child is killed if the backlog is there, or let go (SIGCONT) to write more. The normalizer reads within
 * milliseconds, but it cannot while frozen, so what the folder shows at the freeze is what the kill leaves.
 */
async function killWithNormalizerBacklog(
  child: Child,
  logDir: string,
  submit: (isKilled: () => boolean) => Promise<void>,
): Promise<void> {
  let killed = false;
  let frozen = false;
  let checking: Promise<void> = Promise.resolve();
  const watcher = watch(join(logDir, 'submissions', 'segments'), () => {
    if (killed || frozen) return;
    frozen = child.process.kill('SIGSTOP');
    checking = backlogOnDisk(logDir).then((backlog) => {
      if (backlog.normalizer > 0) {
        killed = child.process.kill('SIGKILL');
      } else {
        child.process.kill('SIGCONT');
        frozen = false;
      }
    });
  });
  try {
    // A request cut off by the kill fails; any other failure is the test's.
    await submit(() => killed).catch((error: unknown) => {
      if (!killed) throw error;
    });
    await checking;
  } finally {
    watcher.close();
  }
  if (!killed) throw new Error('the normalizer had read every submission each time the child was frozen');
}

/** Polls until `check` holds, failing with `what` after `waitMs`. */
async function until(what: string, check: () => Promise<boolean>, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${waitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the embedded runtime killed mid-pipeline', () => {
  it.each<KillState>(['normalizer backlog', 'everything read'])(
    'recovers on restart with nothing lost, nothing counted twice and no identity left (killed with %s)',
    async (state) => {
      if (!existsSync(MAIN))
        throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does).`);
      const dataset = generateDataset({ seed: 4711, persons: 1500 });
      const truth = dataset.truth;
      const needles = leakNeedles(dataset);
      const root = mkdtempSync(join(tmpdir(), 'mosy-e2e-crash-'));
      const dataDir = join(root, 'data');
      const logDir = join(dataDir, 'log');
      const adminToken = `e2e-admin-${Date.now()}`;
      const env = {
        MOSY_DATA_DIR: dataDir,
        MOSY_ADMIN_TOKEN: adminToken,
        MOSY_PSEUDONYM_SECRET: 'e2e-crash-pseudonym-secret-of-32-bytes-or-more',
        // A consumed log file stays for a minute while the runtime runs: the "everything read" kill comes well
        // within it, and only opening the log after the crash can delete it.
        ...(state === 'everything read' ? { MOSY_LOG_CONSUMED_RETENTION_MS: '60000' } : {}),
      };
      const output: string[] = [];
      const bodies: string[] = [];

      let child = await startChild(env, output);
      let client = createClient(child.url, bodies);
      const keys = await registerProviders(client, adminToken, dataset);
      const coordinatorKey = (await issueKey(client, adminToken, 'coordinator')).key;

      if (state === 'normalizer backlog') {
        // Largest provider first: its request leaves the most for the normalizer to read.
        const bySize = [...dataset.submissions].sort((a, b) => b.records.length - a.records.length);
        await killWithNormalizerBacklog(child, logDir, async (isKilled) => {
          for (const { providerId, records } of bySize) {
            const provider = dataset.providers.find((p) => p.id === providerId)!;
            await submitBatch(client, keys.get(providerId)!, records.slice(0, 10_000), provider.transport);
            if (isKilled()) return;
          }
        });
      } else {
        await submitAll(client, dataset, keys, 10_000);
        await waitIdle(client, coordinatorKey);
        child.process.kill('SIGKILL');
      }
      expect(await child.exited).toBe('SIGKILL');
      const backlog = await backlogOnDisk(logDir);
      console.info(`[crash] killed with ${state}: backlog ${JSON.stringify(backlog)}`);
      if (state === 'normalizer backlog') {
        expect(backlog.normalizer).toBeGreaterThan(0);
      } else {
        expect(backlog).toEqual({ normalizer: 0, aggregator: 0 });
        // Read, but still on disk: the state the restart must clean up.
        expect((await findLeaks(needles, [logDir])).length).toBeGreaterThan(0);
      }

      child = await startChild(env, output);
      client = createClient(child.url, bodies);
      if (state === 'everything read') {
        // Nothing was left to read, so nothing will be committed again: the restart itself deleted it.
        expect(await findLeaks(needles, [dataDir])).toEqual([]);
      }
      // Every provider sends everything again, as a provider whose request failed would: what was accepted before
      // the kill answers duplicate (earlier versions: version going backwards), the rest is accepted now.
      const completion = await submitAll(client, dataset, keys, 10_000);
      expect(completion.rejections.filter((r) => !/: version-regression version$/.test(r))).toEqual([]);
      const status = await waitIdle(client, coordinatorKey);
      expect(status.records).toBe(truth.filter((t) => !t.withdrawn).length);
      const catalogue = await fetchCatalogue(client, coordinatorKey);
      const report = await compareIndicators(client, coordinatorKey, catalogue, dataset, truth, 'cki');
      expect(report.problems).toEqual([]);

      // Everything is accepted now, and the ledger must remember it across the crash: sending it all again accepts
      // nothing — each record's last version is a duplicate, every earlier one a version going backwards.
      const again = await submitAll(client, dataset, keys, 1000);
      const resent = resendOutcome(dataset);
      expect({ accepted: again.accepted, duplicates: again.duplicates, rejected: again.rejected }).toEqual({
        accepted: 0,
        ...resent,
      });
      expect(again.rejections.filter((r) => !/: version-regression version$/.test(r))).toEqual([]);
      await waitIdle(client, coordinatorKey);
      const after = await compareIndicators(client, coordinatorKey, catalogue, dataset, truth, 'cki');
      expect(after.problems).toEqual([]);
      if (state === 'normalizer backlog') {
        // Idle and running: what the normalizer read is deleted within the default second, without a stop.
        await until(
          'no identity in the data folder',
          async () => (await findLeaks(needles, [dataDir])).length === 0,
          10_000,
        );
      }

      child.process.kill('SIGTERM');
      expect(await child.exited).toMatch(/^(exit 0|SIGTERM)$/);
      const logs = join(root, 'output.log');
      writeFileSync(logs, output.join(''));
      const responses = tempFile('responses.txt', bodies.join('\n'));
      expect(await findLeaks(needles, [dataDir, logs, responses])).toEqual([]);
    },
  );
});
