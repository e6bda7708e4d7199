/**
 * Crash safety of the embedded runtime, as an operator would meet it: the built CLI (`services/standalone/dist/
 * main.js`, so `npm run build` must have run — `npm test` builds first) runs as a child process on a temporary data
 * folder. Every record is submitted, and the moment the last submission is accepted the process is killed with
 * SIGKILL — with a backlog in the pipeline, which the test reads from the bus log — then restarted on the same folder;
 * once idle every count must equal the reference: nothing lost, nothing counted twice. Re-sending everything
 * afterwards must accept nothing. The child's stdout and stderr and the data folder are then searched for identity.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDataset, type SyntheticDataset } from '@mosy/testkit';
import { createMemoryEventBus } from '@mosy/bus-memory';
import { AGGREGATOR_GROUP, NORMALIZER_GROUP } from '@mosy/standalone';
import { createClient } from './lib/client.js';
import { compareIndicators, fetchCatalogue } from './lib/compare-all.js';
import { findLeaks, leakNeedles, tempFile } from './lib/leaks.js';
import { issueKey, registerProviders, submitAll, waitIdle } from './lib/load.js';

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
    env: { ...process.env, PORT: '0', MOSY_DEMO: '0', LOG_LEVEL: 'debug', ...env },
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

describe('the embedded runtime killed mid-pipeline', () => {
  it('recovers on restart with nothing lost and nothing counted twice', async () => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does).`);
    const dataset = generateDataset({ seed: 4711, persons: 1500 });
    const truth = dataset.truth;
    const root = mkdtempSync(join(tmpdir(), 'mosy-e2e-crash-'));
    const dataDir = join(root, 'data');
    const adminToken = `e2e-admin-${Date.now()}`;
    const env = {
      MOSY_DATA_DIR: dataDir,
      MOSY_ADMIN_TOKEN: adminToken,
      MOSY_PSEUDONYM_SECRET: 'e2e-crash-pseudonym-secret-of-32-bytes-or-more',
    };
    const output: string[] = [];
    const bodies: string[] = [];

    let child = await startChild(env, output);
    let client = createClient(child.url, bodies);
    const keys = await registerProviders(client, adminToken, dataset);
    const coordinatorKey = (await issueKey(client, adminToken, 'coordinator')).key;
    // One request per provider, all at once, and SIGKILL the moment the first is answered: that provider's records
    // are accepted and in the pipeline, the other requests are cut off in flight.
    const answered = bodies.length;
    const sending = submitAll(client, dataset, keys, 10_000).then(
      () => 'all answered',
      () => 'cut off',
    );
    while (bodies.length === answered) await new Promise((resolve) => setTimeout(resolve, 1));
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    console.info(`[crash] submissions: ${await sending}`);
    // The pipeline drains fast, and a status request would give it the time to: the backlog left at the kill is
    // read from the log folder itself, by the same lag that /v1/status reports.
    const bus = await createMemoryEventBus({ dir: join(dataDir, 'log') });
    const backlog = {
      normalizer: await bus.lag('submissions', NORMALIZER_GROUP),
      aggregator: await bus.lag('records', AGGREGATOR_GROUP),
    };
    await bus.close();
    console.info(`[crash] killed with a backlog of ${JSON.stringify(backlog)}`);
    // Killed while work was pending, or the test proves little.
    expect(backlog.normalizer + backlog.aggregator).toBeGreaterThan(0);

    child = await startChild(env, output);
    client = createClient(child.url, bodies);
    // Every provider sends everything again, as a provider whose request failed would: what was accepted before the
    // kill answers duplicate (earlier versions: version going backwards), the rest is accepted now.
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

    child.process.kill('SIGTERM');
    expect(await child.exited).toMatch(/^(exit 0|SIGTERM)$/);
    const logs = join(root, 'output.log');
    writeFileSync(logs, output.join(''));
    const responses = tempFile('responses.txt', bodies.join('\n'));
    expect(await findLeaks(leakNeedles(dataset), [dataDir, logs, responses])).toEqual([]);
  });
});
