/**
 * The contract every `Scheduler` adapter passes (`@mosy/scheduler-local`, `@mosy/scheduler-bullmq`), called by
 * each adapter's tests as `runSchedulerContract({ create })`. It runs on the real clock with short intervals and
 * bounded waits, so it needs no fake timers and runs unchanged against Redis. Cron timing, which would need
 * minutes, is checked through `nextCronRun` (`scheduler-cron-contract.ts`): every adapter must find the same
 * occurrences. The factory should configure short retry delays: the retry tests wait for every attempt.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRun, Scheduler } from '@mosy/core';
import { describeCronOccurrences } from './scheduler-cron-contract.js';

export interface SchedulerContractOptions {
  /** A fresh scheduler with no jobs, and how to dispose of it (called after every test, also after `close`). */
  readonly create: () => Promise<{ readonly scheduler: Scheduler; readonly close: () => Promise<void> }>;
  /** The `everyMs` of the repeating jobs in the suite. @defaultValue 200 */
  readonly intervalMs?: number;
  /** Longest wait for runs to happen. @defaultValue 10_000 */
  readonly waitMs?: number;
  /** Timeout of each test. @defaultValue 30_000 */
  readonly timeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(what: string, waitMs: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${waitMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

const HOUR = 3_600_000;

export function runSchedulerContract(options: SchedulerContractOptions): void {
  const interval = options.intervalMs ?? 200;
  const waitMs = options.waitMs ?? 10_000;
  const timeout = options.timeoutMs ?? 30_000;

  describe('Scheduler contract', () => {
    let scheduler: Scheduler;
    let close: () => Promise<void>;
    /** A prefix for this test's job names. */
    let run: string;

    beforeEach(async () => {
      ({ scheduler, close } = await options.create());
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await close();
    });

    const recorder = () => {
      const runs: JobRun[] = [];
      const handler = (r: JobRun): Promise<void> => {
        runs.push(r);
        return Promise.resolve();
      };
      return { runs, handler };
    };

    it(
      'runs a repeating job on its grid: first attempts, occurrences a whole number of intervals apart',
      { timeout },
      async () => {
        const name = `every-${run}`;
        const { runs, handler } = recorder();
        const before = Date.now();
        await scheduler.schedule(name, { everyMs: interval }, handler);
        await eventually('3 runs', waitMs, () => runs.length >= 3);
        await scheduler.unschedule(name);
        const [a, b, c] = runs;
        for (const r of [a!, b!, c!]) {
          expect(r.name).toBe(name);
          expect(r.attempt).toBe(1);
          expect(r.scheduledFor).toBeGreaterThan(before - interval);
        }
        for (const [x, y] of [
          [a!, b!],
          [b!, c!],
        ] as const) {
          expect(y.scheduledFor).toBeGreaterThan(x.scheduledFor);
          expect((y.scheduledFor - x.scheduledFor) % interval).toBe(0);
        }
      },
    );

    it(
      'runNow runs a job at once, outside its schedule, and resolves when the handler has finished',
      { timeout },
      async () => {
        const name = `now-${run}`;
        const runs: JobRun[] = [];
        let finished = false;
        await scheduler.schedule(name, { everyMs: HOUR }, async (r) => {
          runs.push(r);
          await sleep(100);
          finished = true;
        });
        const before = Date.now();
        await scheduler.runNow(name);
        const after = Date.now();
        expect(finished).toBe(true);
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ name, attempt: 1 });
        expect(runs[0]!.scheduledFor).toBeGreaterThanOrEqual(before - 1000);
        expect(runs[0]!.scheduledFor).toBeLessThanOrEqual(after);
      },
    );

    it('accepts a cron schedule, and runNow runs it', { timeout }, async () => {
      const name = `cron-${run}`;
      const { runs, handler } = recorder();
      await scheduler.schedule(name, { cron: '0 6 1 1,4,7,10 *' }, handler);
      await scheduler.runNow(name);
      expect(runs.map((r) => [r.name, r.attempt])).toEqual([[name, 1]]);
    });

    it('rejects a schedule that is not valid', { timeout }, async () => {
      const handler = (): Promise<void> => Promise.resolve();
      await expect(scheduler.schedule(`bad-${run}`, { cron: 'every day' }, handler)).rejects.toThrow();
      await expect(scheduler.schedule(`bad-${run}`, { cron: '61 * * * *' }, handler)).rejects.toThrow();
      await expect(scheduler.schedule(`bad-${run}`, { cron: '0 0 * *' }, handler)).rejects.toThrow();
      await expect(scheduler.schedule(`bad-${run}`, { everyMs: 0 }, handler)).rejects.toThrow();
      await expect(scheduler.runNow(`bad-${run}`)).rejects.toMatchObject({ code: 'not-found' });
    });

    it('rejects runNow of a job that is not scheduled, with not-found', { timeout }, async () => {
      await expect(scheduler.runNow(`missing-${run}`)).rejects.toMatchObject({ code: 'not-found' });
    });

    it('retries a failed run with the same occurrence until an attempt succeeds', { timeout }, async () => {
      const name = `retry-${run}`;
      const runs: JobRun[] = [];
      await scheduler.schedule(name, { everyMs: HOUR }, (r) => {
        runs.push(r);
        return r.attempt === 1 ? Promise.reject(new Error('first attempt fails')) : Promise.resolve();
      });
      await scheduler.runNow(name);
      expect(runs.map((r) => r.attempt)).toEqual([1, 2]);
      expect(runs[1]!.scheduledFor).toBe(runs[0]!.scheduledFor);
    });

    it('gives up after a few attempts: runNow rejects and nothing runs after', { timeout }, async () => {
      const name = `fail-${run}`;
      const runs: JobRun[] = [];
      await scheduler.schedule(name, { everyMs: HOUR }, (r) => {
        runs.push(r);
        return Promise.reject(new Error(`attempt ${r.attempt} fails`));
      });
      await expect(scheduler.runNow(name)).rejects.toThrow(/fails/);
      const attempts = runs.length;
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(runs.map((r) => r.attempt)).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));
      expect(new Set(runs.map((r) => r.scheduledFor)).size).toBe(1);
      await sleep(3 * interval);
      expect(runs).toHaveLength(attempts);
    });

    it('unschedule stops the runs of a job', { timeout }, async () => {
      const name = `stop-${run}`;
      const { runs, handler } = recorder();
      await scheduler.schedule(name, { everyMs: interval }, handler);
      await eventually('a first run', waitMs, () => runs.length >= 1);
      await scheduler.unschedule(name);
      const count = runs.length;
      await sleep(4 * interval);
      expect(runs).toHaveLength(count);
      await expect(scheduler.runNow(name)).rejects.toMatchObject({ code: 'not-found' });
      await scheduler.unschedule(name);
    });

    it('scheduling a name again replaces its schedule and handler', { timeout }, async () => {
      const name = `replace-${run}`;
      const first = recorder();
      const second = recorder();
      await scheduler.schedule(name, { everyMs: interval }, first.handler);
      await eventually('a run of the first handler', waitMs, () => first.runs.length >= 1);
      await scheduler.schedule(name, { everyMs: interval }, second.handler);
      const count = first.runs.length;
      await eventually('2 runs of the second handler', waitMs, () => second.runs.length >= 2);
      expect(first.runs).toHaveLength(count);
    });

    describeCronOccurrences(() => scheduler);

    it('close waits for a running handler and stops the schedules', { timeout }, async () => {
      const name = `close-${run}`;
      let finished = false;
      let started = false;
      const { runs, handler } = recorder();
      await scheduler.schedule(name, { everyMs: HOUR }, async () => {
        started = true;
        await sleep(300);
        finished = true;
      });
      await scheduler.schedule(`${name}-every`, { everyMs: interval }, handler);
      const running = scheduler.runNow(name).catch(() => undefined);
      await eventually('the handler to start', waitMs, () => started);
      await scheduler.close();
      expect(finished).toBe(true);
      const count = runs.length;
      await sleep(3 * interval);
      expect(runs).toHaveLength(count);
      await running;
    });
  });
}
