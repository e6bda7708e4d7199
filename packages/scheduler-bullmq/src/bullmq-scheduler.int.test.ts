import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobRun, Scheduler } from '@mosy/core';
import { runSchedulerContract } from '@mosy/testkit';
import { createBullMqScheduler } from './index.js';
import type { BullMqSchedulerOptions } from './index.js';

const REDIS_URL = process.env.MOSY_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = 'mosy-test';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    expect(await client.ping()).toBe('PONG');
  } catch (error) {
    throw new Error(`Redis is not reachable at ${REDIS_URL} (start it with deploy/local/up.sh redis)`, {
      cause: error,
    });
  } finally {
    client.disconnect();
  }
});

/** Deletes every key of a test queue. */
async function obliterate(queueName: string): Promise<void> {
  const queue = new Queue(queueName, { connection: parse(REDIS_URL), prefix: PREFIX });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

function parse(url: string): { host: string; port: number; db: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0) };
}

/** A scheduler on a fresh queue (or the given one) with short retry delays, and its disposal. */
function open(queueName = `test-${randomUUID()}`, extra: Partial<BullMqSchedulerOptions> = {}) {
  const scheduler = createBullMqScheduler({
    connection: { url: REDIS_URL },
    prefix: PREFIX,
    queueName,
    attempts: 3,
    backoffMs: 20,
    ...extra,
  });
  return { scheduler, queueName };
}

runSchedulerContract({
  create: () => {
    const { scheduler, queueName } = open();
    return Promise.resolve({
      scheduler,
      close: async () => {
        await scheduler.close();
        await obliterate(queueName);
      },
    });
  },
});

describe('BullMQ scheduler', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function track(queueName: string, ...schedulers: Scheduler[]): void {
    cleanup.push(() => obliterate(queueName));
    for (const s of schedulers) cleanup.push(() => s.close());
  }

  it('runs each occurrence once across two instances on one queue', { timeout: 30_000 }, async () => {
    const queueName = `test-${randomUUID()}`;
    const a = open(queueName).scheduler;
    const b = open(queueName).scheduler;
    track(queueName, a, b);
    const runs: { instance: string; run: JobRun }[] = [];
    const recorder = (instance: string) => (run: JobRun) => {
      runs.push({ instance, run });
      return Promise.resolve();
    };
    const every = 200;
    // Both processes register the job at start, as a composition root would.
    const start = Date.now();
    await a.schedule('tick', { everyMs: every }, recorder('a'));
    await b.schedule('tick', { everyMs: every }, recorder('b'));
    await sleep(3000);
    await a.unschedule('tick');
    const end = Date.now();
    await sleep(300);
    const times = runs.map((r) => r.run.scheduledFor).sort((x, y) => x - y);
    // No occurrence twice, all on one grid (BullMQ skips, rather than bunches, slots that a busy machine missed),
    // all first attempts.
    expect(new Set(times).size).toBe(times.length);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.filter((gap) => gap <= 0 || gap % every !== 0)).toEqual([]);
    expect(runs.every((r) => r.run.attempt === 1 && r.run.name === 'tick')).toBe(true);
    // One run per occurrence leaves no room for more runs than occurrences between scheduling and unscheduling
    // (about 15 in 3 s; the first comes one interval after scheduling); two uncoordinated timers would make twice
    // as many.
    expect(times.every((t) => t > start && t <= end)).toBe(true);
    expect(times.length).toBeLessThanOrEqual(Math.floor((end - start) / every));
    expect(times.length).toBeGreaterThanOrEqual(8);
  });

  it(
    'runNow waits for a run that another instance takes, and rejects with its last error',
    { timeout: 30_000 },
    async () => {
      const queueName = `test-${randomUUID()}`;
      const a = open(queueName).scheduler;
      let release = (): void => undefined;
      let holding = false;
      const ran: string[] = [];
      await a.schedule('hold', { everyMs: 3_600_000 }, async () => {
        holding = true;
        await new Promise<void>((resolve) => (release = resolve));
      });
      await a.schedule('ok', { everyMs: 3_600_000 }, () => {
        ran.push('a');
        return Promise.resolve();
      });
      await a.schedule('bad', { everyMs: 3_600_000 }, () => Promise.reject(new Error('a fails')));
      // Only A's worker exists, so A takes `hold` and is busy (concurrency 1) until released.
      const held = a.runNow('hold');
      while (!holding) await sleep(10);
      const b = open(queueName).scheduler;
      track(queueName, a, b);
      await b.schedule('ok', { everyMs: 3_600_000 }, () => {
        ran.push('b');
        return Promise.resolve();
      });
      await b.schedule('bad', { everyMs: 3_600_000 }, (run) =>
        Promise.reject(new Error(`b attempt ${run.attempt} fails`)),
      );
      await a.runNow('ok');
      expect(ran).toEqual(['b']);
      await expect(a.runNow('bad')).rejects.toThrow('b attempt 3 fails');
      release();
      await held;
    },
  );

  it('keeps a scheduled occurrence on its retries', { timeout: 30_000 }, async () => {
    const { scheduler, queueName } = open();
    track(queueName, scheduler);
    const runs: JobRun[] = [];
    const before = Date.now();
    await scheduler.schedule('flaky', { everyMs: 300 }, (run) => {
      runs.push(run);
      return run.attempt === 1 ? Promise.reject(new Error('first attempt fails')) : Promise.resolve();
    });
    const deadline = Date.now() + 10_000;
    while (runs.length < 2 && Date.now() < deadline) await sleep(10);
    await scheduler.unschedule('flaky');
    expect(runs.slice(0, 2).map((r) => r.attempt)).toEqual([1, 2]);
    expect(runs[1]!.scheduledFor).toBe(runs[0]!.scheduledFor);
    // The first occurrence is one interval after scheduling, not at once.
    expect(runs[0]!.scheduledFor).toBeGreaterThanOrEqual(before + 300);
    expect(runs[0]!.scheduledFor).toBeLessThanOrEqual(Date.now());
  });

  it('stores a cron schedule in UTC with its next occurrence', { timeout: 30_000 }, async () => {
    const { scheduler, queueName } = open();
    track(queueName, scheduler);
    await scheduler.schedule('eu-export', { cron: '0 6 1 1,4,7,10 *' }, () => Promise.resolve());
    const queue = new Queue(queueName, { connection: parse(REDIS_URL), prefix: PREFIX });
    cleanup.push(() => queue.close());
    const stored = await queue.getJobScheduler('eu-export');
    // The first day of the next quarter at 06:00 UTC, found independently of any cron parser.
    const now = new Date();
    let expected = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1, 6);
    if (expected <= now.getTime())
      expected = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 + 3, 1, 6);
    expect(stored).toMatchObject({ pattern: '0 6 1 1,4,7,10 *', tz: 'UTC', next: expected });
    await scheduler.unschedule('eu-export');
    expect(await queue.getJobScheduler('eu-export')).toBeUndefined();
  });

  it('rejects runNow with the handler error of the last attempt', { timeout: 30_000 }, async () => {
    const { scheduler, queueName } = open();
    track(queueName, scheduler);
    const failure = new Error('attempt fails');
    let calls = 0;
    await scheduler.schedule('broken', { everyMs: 3_600_000 }, () => {
      calls++;
      return Promise.reject(failure);
    });
    await expect(scheduler.runNow('broken')).rejects.toBe(failure);
    expect(calls).toBe(3);
  });

  it('leaves a caller-owned Redis client open on close', { timeout: 30_000 }, async () => {
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queueName = `test-${randomUUID()}`;
    const scheduler = createBullMqScheduler({ connection: client, prefix: PREFIX, queueName, backoffMs: 20 });
    cleanup.push(async () => {
      await obliterate(queueName);
      await client.quit();
    });
    const runs: JobRun[] = [];
    await scheduler.schedule('once', { everyMs: 3_600_000 }, (run) => {
      runs.push(run);
      return Promise.resolve();
    });
    await scheduler.runNow('once');
    await scheduler.close();
    await scheduler.close();
    expect(runs).toHaveLength(1);
    expect(await client.ping()).toBe('PONG');
  });
});
