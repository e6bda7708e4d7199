import { describe, expect, it } from 'vitest';
import type { JobRun } from '@mosy/core';
import { runSchedulerContract } from '@mosy/testkit';
import { createLocalScheduler } from './index.js';
import type { LocalSchedulerOptions } from './index.js';

runSchedulerContract({
  create: () => {
    const scheduler = createLocalScheduler({ retryDelayMs: 20, onError: () => undefined });
    return Promise.resolve({ scheduler, close: () => scheduler.close() });
  },
});

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A clock and timers that move only when told, running due timers in order and letting promises settle. */
class FakeClock {
  time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start: string) {
    this.time = Date.parse(start);
  }

  readonly now = (): number => this.time;

  readonly setTimer = (callback: () => void, delayMs: number): (() => void) => {
    const timer: Timer = { at: this.time + delayMs, seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  async advanceTo(iso: string | number): Promise<void> {
    const target = typeof iso === 'number' ? iso : Date.parse(iso);
    for (;;) {
      await settle();
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
    await settle();
  }

  async advanceBy(ms: number): Promise<void> {
    await this.advanceTo(this.time + ms);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const iso = (t: number): string => new Date(t).toISOString();

function setup(start: string, options: Partial<LocalSchedulerOptions> = {}) {
  const clock = new FakeClock(start);
  const errors: { attempt: number; final: boolean }[] = [];
  const scheduler = createLocalScheduler({
    now: clock.now,
    setTimer: clock.setTimer,
    onError: (_e, run, final) => errors.push({ attempt: run.attempt, final }),
    ...options,
  });
  return { clock, scheduler, errors };
}

describe('local scheduler on a fake clock', () => {
  it('runs an interval job on the grid anchored at scheduling time', async () => {
    const { clock, scheduler } = setup('2026-03-14T10:00:00.000Z');
    const runs: JobRun[] = [];
    await scheduler.schedule('tick', { everyMs: 60_000 }, (r) => {
      runs.push(r);
      return Promise.resolve();
    });
    await clock.advanceTo('2026-03-14T10:03:30.000Z');
    expect(runs.map((r) => [iso(r.scheduledFor), r.attempt])).toEqual([
      ['2026-03-14T10:01:00.000Z', 1],
      ['2026-03-14T10:02:00.000Z', 1],
      ['2026-03-14T10:03:00.000Z', 1],
    ]);
    expect(scheduler.status('tick')?.nextRunAt).toBe(Date.parse('2026-03-14T10:04:00.000Z'));
  });

  it('runs the quarterly export at 06:00 UTC on the first day of each quarter, across long waits', async () => {
    const { clock, scheduler } = setup('2026-01-15T12:00:00.000Z');
    const runs: number[] = [];
    await scheduler.schedule('eu-export', { cron: '0 6 1 1,4,7,10 *' }, (r) => {
      runs.push(r.scheduledFor);
      return Promise.resolve();
    });
    await clock.advanceTo('2027-01-02T00:00:00.000Z');
    expect(runs.map(iso)).toEqual([
      '2026-04-01T06:00:00.000Z',
      '2026-07-01T06:00:00.000Z',
      '2026-10-01T06:00:00.000Z',
      '2027-01-01T06:00:00.000Z',
    ]);
  });

  it('retries a failing run with doubling delays and the same occurrence', async () => {
    const { clock, scheduler, errors } = setup('2026-03-14T10:00:00.000Z', { retryDelayMs: 1000 });
    const attempts: { at: number; run: JobRun }[] = [];
    await scheduler.schedule('flaky', { everyMs: 3_600_000 }, (run) => {
      attempts.push({ at: clock.now(), run });
      return run.attempt < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve();
    });
    await clock.advanceTo('2026-03-14T11:00:10.000Z');
    const scheduledFor = Date.parse('2026-03-14T11:00:00.000Z');
    expect(attempts.map((a) => [a.at - scheduledFor, a.run.attempt, a.run.scheduledFor])).toEqual([
      [0, 1, scheduledFor],
      [1000, 2, scheduledFor],
      [3000, 3, scheduledFor],
    ]);
    expect(errors).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: false },
    ]);
    expect(scheduler.status('flaky')?.lastRun).toEqual({
      scheduledFor,
      attempts: 3,
      succeeded: true,
      finishedAt: scheduledFor + 3000,
    });
  });

  it('records a run as failed after 3 attempts and keeps the schedule', async () => {
    const { clock, scheduler, errors } = setup('2026-03-14T10:00:00.000Z', { retryDelayMs: 10 });
    let calls = 0;
    await scheduler.schedule('broken', { everyMs: 60_000 }, () => {
      calls++;
      return Promise.reject(new Error('always'));
    });
    await clock.advanceTo('2026-03-14T10:01:30.000Z');
    expect(calls).toBe(3);
    expect(errors.map((e) => e.final)).toEqual([false, false, true]);
    expect(scheduler.status('broken')?.lastRun).toMatchObject({ attempts: 3, succeeded: false });
    await clock.advanceTo('2026-03-14T10:02:30.000Z');
    expect(calls).toBe(6);
  });

  it('skips occurrences while a run is still going, then carries on at the next grid point', async () => {
    const { clock, scheduler } = setup('2026-03-14T10:00:00.000Z');
    const runs: number[] = [];
    let release: () => void = () => undefined;
    await scheduler.schedule('slow', { everyMs: 60_000 }, (r) => {
      runs.push(r.scheduledFor);
      return runs.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    });
    await clock.advanceTo('2026-03-14T10:03:30.000Z');
    expect(runs).toHaveLength(1);
    expect(scheduler.status('slow')).toMatchObject({ running: true, skipped: 2 });
    release();
    await clock.advanceTo('2026-03-14T10:04:30.000Z');
    expect(runs.map(iso)).toEqual(['2026-03-14T10:01:00.000Z', '2026-03-14T10:04:00.000Z']);
  });

  it('does not start a scheduled run while runNow of the same job is going', async () => {
    const { clock, scheduler } = setup('2026-03-14T10:00:00.000Z');
    let calls = 0;
    let release: () => void = () => undefined;
    await scheduler.schedule('export', { everyMs: 60_000 }, () => {
      calls++;
      return calls === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    });
    const manual = scheduler.runNow('export');
    await clock.advanceTo('2026-03-14T10:01:30.000Z');
    expect(calls).toBe(1);
    release();
    await manual;
    await clock.advanceTo('2026-03-14T10:02:30.000Z');
    expect(calls).toBe(2);
  });

  it('unschedule and replacement cancel the timer they supersede', async () => {
    const { clock, scheduler } = setup('2026-03-14T10:00:00.000Z');
    const seen: string[] = [];
    await scheduler.schedule('job', { everyMs: 60_000 }, () => Promise.resolve(void seen.push('old')));
    await scheduler.schedule('job', { cron: '*/5 * * * *' }, () => Promise.resolve(void seen.push('new')));
    expect(clock.pending).toBe(1);
    await clock.advanceTo('2026-03-14T10:10:30.000Z');
    expect(seen).toEqual(['new', 'new']);
    await scheduler.unschedule('job');
    expect(clock.pending).toBe(0);
    expect(scheduler.status('job')).toBeUndefined();
    await clock.advanceTo('2026-03-14T11:00:00.000Z');
    expect(seen).toHaveLength(2);
  });

  it('close ends a retry wait at once, rejecting runNow with the handler error, and refuses new work', async () => {
    const { clock, scheduler } = setup('2026-03-14T10:00:00.000Z', { retryDelayMs: 60_000 });
    await scheduler.schedule('job', { everyMs: 3_600_000 }, () => Promise.reject(new Error('down')));
    const manual = scheduler.runNow('job');
    await clock.advanceBy(0);
    await scheduler.close();
    await expect(manual).rejects.toThrow('down');
    expect(clock.pending).toBe(0);
    await expect(scheduler.schedule('x', { everyMs: 1000 }, () => Promise.resolve())).rejects.toMatchObject({
      code: 'unavailable',
    });
    await expect(scheduler.runNow('job')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('rejects an invalid interval and leaves no job behind', async () => {
    const { scheduler } = setup('2026-03-14T10:00:00.000Z');
    for (const everyMs of [0, -5, 1.5, Number.NaN]) {
      await expect(scheduler.schedule('bad', { everyMs }, () => Promise.resolve())).rejects.toMatchObject({
        code: 'invalid-request',
      });
    }
    expect(scheduler.status('bad')).toBeUndefined();
  });
});
