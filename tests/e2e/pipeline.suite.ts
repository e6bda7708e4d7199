/**
 * The end-to-end suite, parametrised by runtime (embedded now, distributed later): it starts a MoSy, registers the
 * synthetic providers through the admin API, submits every record over HTTP (JSON batches, one provider by CSV),
 * waits until `/v1/status` says idle, and then compares every indicator of the catalogue — each CKI breakdown, time
 * frames and intervals, provider subsets, regions, units and filters — with the reference computation over the
 * generator's truth: exactly the same cells and totals. Then bad input, each refused with its own error while
 * nothing accepted is lost, and finally a search for every identity value in every response and every file the
 * runtime wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, type TruthRecord } from '@mosy/testkit';
import { runBadInput } from './lib/bad-input.js';
import { createClient, type Client } from './lib/client.js';
import { compareIndicators, fetchCatalogue } from './lib/compare-all.js';
import { findLeaks, leakNeedles, tempFile } from './lib/leaks.js';
import {
  expectedDuplicates,
  issueKey,
  registerProviders,
  submitAll,
  waitIdle,
  type LoadSummary,
} from './lib/load.js';
import type { CatalogueIndicator } from './lib/queries.js';

/** A started MoSy, whatever runs it. */
export interface RunningSystem {
  /** Base URL of the public HTTP API, without a trailing slash. */
  readonly url: string;
  /** The bootstrap admin token it was started with. */
  readonly adminToken: string;
  /** Stops it; called once. */
  stop(): Promise<void>;
  /** Files and folders it writes (data folders, captured logs), searched for identity after the run. */
  readonly artifacts?: readonly string[];
}

export interface PipelineRuntime {
  readonly name: string;
  start(): Promise<RunningSystem>;
}

export interface PipelineSuiteOptions {
  /** @defaultValue 20260314 */
  readonly seed?: number;
  /** True victims in the synthetic world (about two records each, all kinds together). @defaultValue 1200 */
  readonly persons?: number;
}

/** Registers the suite for one runtime. */
export function runPipelineSuite(runtime: PipelineRuntime, options: PipelineSuiteOptions = {}): void {
  const dataset = generateDataset({ seed: options.seed ?? 20_260_314, persons: options.persons ?? 1200 });
  const truth: TruthRecord[] = [...dataset.truth];
  const current = (): number => truth.filter((t) => !t.withdrawn).length;

  describe(`the pipeline on the ${runtime.name} runtime`, () => {
    let system: RunningSystem | undefined;
    let stopped: Promise<void> | undefined;
    let client: Client;
    let providerKeys: Map<string, string>;
    let coordinatorKey: string;
    let catalogue: CatalogueIndicator[];
    let load: LoadSummary;
    const stop = (): Promise<void> => (stopped ??= system?.stop() ?? Promise.resolve());

    beforeAll(async () => {
      system = await runtime.start();
      client = createClient(system.url);
      providerKeys = await registerProviders(client, system.adminToken, dataset);
      coordinatorKey = (await issueKey(client, system.adminToken, 'coordinator')).key;
      const started = Date.now();
      load = await submitAll(client, dataset, providerKeys);
      const submitted = Date.now();
      await waitIdle(client, coordinatorKey);
      console.info(
        `[${runtime.name}] ${load.accepted + load.duplicates + load.rejected} records in ${load.receipts} submissions: ` +
          `accepted in ${submitted - started} ms, idle after ${Date.now() - started} ms`,
      );
      catalogue = await fetchCatalogue(client, coordinatorKey);
    });

    afterAll(stop);

    it('accepts every record of the dataset, and each re-send as a duplicate', () => {
      const sent = dataset.submissions.reduce((n, s) => n + s.records.length, 0);
      expect(load.rejections).toEqual([]);
      expect(load.duplicates).toBe(expectedDuplicates(dataset));
      expect(load.accepted + load.duplicates).toBe(sent);
    });

    it('holds exactly the current records once idle', async () => {
      const status = await waitIdle(client, coordinatorKey);
      expect(status.records).toBe(current());
    });

    it('answers every query of every indicator of the catalogue exactly like the reference computation', async () => {
      expect(catalogue.length).toBeGreaterThan(0);
      const report = await compareIndicators(client, coordinatorKey, catalogue, dataset, truth, 'full');
      console.info(`[${runtime.name}] ${report.queries} queries compared`);
      expect(report.problems).toEqual([]);
      // The comparison means something only if the answers are not empty and the unspecified buckets occur.
      for (const indicator of catalogue)
        expect(report.baseTotals[indicator.id], indicator.id).toBeGreaterThan(0);
      expect(report.unspecifiedCells).toBeGreaterThan(0);
    });

    it('refuses bad input, each with its own error, and loses nothing already accepted', async () => {
      const outcome = await runBadInput(client, system!.adminToken, dataset, providerKeys, coordinatorKey);
      expect(outcome.checks.filter((c) => !c.startsWith('ok'))).toEqual([]);
      truth.push(...outcome.added);
      const status = await waitIdle(client, coordinatorKey);
      expect(status.records).toBe(current());
      const report = await compareIndicators(client, coordinatorKey, catalogue, dataset, truth, 'cki');
      expect(report.problems).toEqual([]);
    });

    it('leaks no identity value into any response, log or file of the runtime', async () => {
      await stop();
      const needles = leakNeedles(dataset);
      expect(needles.length).toBeGreaterThan(1000);
      // The search itself must be able to find something.
      const canary = tempFile('canary.bin', `\u0000${needles[needles.length - 1]!}\u0000`);
      expect(await findLeaks(needles, [canary])).toHaveLength(1);
      const responses = tempFile('responses.txt', client.bodies.join('\n'));
      expect(await findLeaks(needles, [responses, ...(system!.artifacts ?? [])])).toEqual([]);
    });
  });
}
