// The quarterly draft job on the local scheduler with its clock advanced day by day through most of a year: each
// quarter's draft is built once, on the first run after its grace period, and a restart in the middle of a build
// (the process stops while counting) leaves no draft and no audit entry until the restarted scheduler builds it,
// once. The settings are read and checked as the composition roots read them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuarter, type IndicatorStore } from '@mosy/core';
import { createLocalScheduler, type LocalScheduler } from '@mosy/scheduler-local';
import type { DuckDbStores } from '@mosy/store-duckdb';
import { buildNormalizedRecord } from '@mosy/testkit';
import { openQuarterlyStores } from '../test-support/quarterly.js';
import { createQuarterlyExports } from './exports.js';
import {
  DEFAULT_QUARTERLY,
  QUARTERLY_DRAFT_JOB,
  QUARTERLY_REVISION_JOB,
  quarterlySettingsFromEnv,
  scheduleQuarterlyExports,
} from './schedule.js';

/** A clock and one-shot timers that move only when told. */
class Clock {
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  constructor(public time: number) {}
  readonly now = (): number => this.time;
  readonly setTimer = (callback: () => void, delayMs: number): (() => void) => {
    const timer = { at: this.time + delayMs, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  /** Fires every timer due by `target` in order, waiting after each for the job's run to finish. */
  async advanceTo(target: number, scheduler: LocalScheduler, job = QUARTERLY_DRAFT_JOB): Promise<void> {
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.callback();
      await until(() => scheduler.status(job)?.running === false);
    }
    this.time = target;
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

let stores: DuckDbStores;
beforeEach(async () => {
  stores = await openQuarterlyStores();
});
afterEach(async () => {
  await stores.close();
});

function start(clock: Clock, store: IndicatorStore = stores.store) {
  const scheduler = createLocalScheduler({
    now: clock.now,
    setTimer: clock.setTimer,
    attempts: 1,
    onError: () => undefined,
  });
  const exports = createQuarterlyExports({
    store,
    registry: stores.registry,
    archive: stores.archive,
    audit: stores.audit,
    reportingCountry: 'PT',
    threshold: 5,
    now: clock.now,
  });
  return { scheduler, exports };
}

const builds = async () =>
  (await stores.audit.list())
    .filter((e) => e.action === 'quarterly-build')
    .map((e) => `${e.resource.split('/')[4]} ${new Date(e.at).toISOString()}`)
    .reverse();

describe('the quarterly draft job on the local scheduler', () => {
  it('builds each quarter’s draft once, on the first daily run after its grace period', async () => {
    const clock = new Clock(Date.parse('2025-01-01T00:00:00Z'));
    const { scheduler, exports } = start(clock);
    await scheduleQuarterlyExports(scheduler, exports, DEFAULT_QUARTERLY);
    await clock.advanceTo(Date.parse('2025-10-20T00:00:00Z'), scheduler);
    await scheduler.close();
    expect(await builds()).toEqual([
      '2024-Q3 2025-01-01T06:00:00.000Z',
      '2024-Q4 2025-01-16T06:00:00.000Z',
      '2025-Q1 2025-04-16T06:00:00.000Z',
      '2025-Q2 2025-07-16T06:00:00.000Z',
      '2025-Q3 2025-10-16T06:00:00.000Z',
    ]);
    expect((await stores.archive.list()).map((v) => `${v.period} r${v.revision}`)).toEqual([
      '2025-Q3 r0',
      '2025-Q2 r0',
      '2025-Q1 r0',
      '2024-Q4 r0',
      '2024-Q3 r0',
    ]);
  }, 120_000);

  it('builds the draft once when the scheduler restarts in the middle of a build', async () => {
    const clock = new Clock(Date.parse('2025-04-15T12:00:00Z'));
    // The first process stops while counting: its store fails every query after the 20th of the build.
    let queries = 0;
    let stopped = false;
    const dying: IndicatorStore = {
      ...stores.store,
      query: async (q) => {
        if (++queries > 20) {
          stopped = true;
          throw new Error('the process stopped');
        }
        return stores.store.query(q);
      },
    };
    const first = start(clock, dying);
    await scheduleQuarterlyExports(first.scheduler, first.exports, DEFAULT_QUARTERLY);
    await clock.advanceTo(Date.parse('2025-04-16T12:00:00Z'), first.scheduler);
    expect(stopped).toBe(true);
    await first.scheduler.close();
    expect(await stores.archive.list()).toEqual([]);
    expect(await builds()).toEqual([]);

    const second = start(clock);
    await scheduleQuarterlyExports(second.scheduler, second.exports, DEFAULT_QUARTERLY);
    await clock.advanceTo(Date.parse('2025-04-20T12:00:00Z'), second.scheduler);
    await second.scheduler.close();
    expect(await builds()).toEqual(['2025-Q1 2025-04-17T06:00:00.000Z']);
    expect((await stores.archive.list()).map((v) => `${v.period} r${v.revision}`)).toEqual(['2025-Q1 r0']);
  }, 60_000);
});

describe('the quarterly revision job on the local scheduler', () => {
  it('revises a published quarter on its rhythm once late data change it, and only then', async () => {
    const clock = new Clock(Date.parse('2025-04-16T12:00:00Z'));
    const { scheduler, exports } = start(clock);
    await scheduleQuarterlyExports(scheduler, exports, {
      ...DEFAULT_QUARTERLY,
      draftSchedule: { cron: '0 6 1 1,4,7,10 *' },
      revisionSchedule: { cron: '0 6 * * *' },
    });
    await exports.draft(parseQuarter('2025-Q1'), { keyId: 'key-coordinator', role: 'coordinator' });
    await exports.publish('2025-Q1', 0, { keyId: 'key-coordinator', role: 'coordinator' });
    await clock.advanceTo(Date.parse('2025-04-18T12:00:00Z'), scheduler, QUARTERLY_REVISION_JOB);
    expect((await stores.archive.list('2025-Q1')).map((v) => v.revision)).toEqual([0]);
    await stores.store.apply(
      Array.from({ length: 6 }, (_, i) =>
        buildNormalizedRecord({
          providerId: 'police',
          recordId: `late${i}`,
          referenceDate: '2025-02-03',
          fields: { status: 'IDENTIFIED', sex: 'F', citizenship: ['PT'] },
        }),
      ),
    );
    await clock.advanceTo(Date.parse('2025-04-21T12:00:00Z'), scheduler, QUARTERLY_REVISION_JOB);
    await scheduler.close();
    const versions = await stores.archive.list('2025-Q1');
    expect(versions.map((v) => [v.revision, v.builtBy, v.published !== undefined])).toEqual([
      [1, 'scheduler', false],
      [0, 'key-coordinator', true],
    ]);
    // A draft is not revised again: the revision waits for its publication.
    expect(await builds()).toEqual(['2025-Q1 2025-04-16T12:00:00.000Z', '2025-Q1 2025-04-19T06:00:00.000Z']);
  }, 60_000);
});

describe('quarterlySettingsFromEnv', () => {
  it('defaults to a daily run and 15 days of grace, and names every wrong variable', () => {
    expect(quarterlySettingsFromEnv({})).toEqual(DEFAULT_QUARTERLY);
    expect(
      quarterlySettingsFromEnv({
        MOSY_QUARTERLY_CRON: '0 3 * * 1',
        MOSY_QUARTERLY_GRACE_DAYS: '30',
        MOSY_QUARTERLY_REVISION_CRON: '0 4 1 * *',
      }),
    ).toEqual({
      draftSchedule: { cron: '0 3 * * 1' },
      graceDays: 30,
      revisionSchedule: { cron: '0 4 1 * *' },
    });
    expect(() =>
      quarterlySettingsFromEnv({ MOSY_QUARTERLY_CRON: '0 6 * *', MOSY_QUARTERLY_GRACE_DAYS: '-1' }),
    ).toThrow(/MOSY_QUARTERLY_CRON.*5 fields.*MOSY_QUARTERLY_GRACE_DAYS must be whole days/);
    expect(() => quarterlySettingsFromEnv({ MOSY_QUARTERLY_REVISION_CRON: 'MON' })).toThrow(
      /MOSY_QUARTERLY_REVISION_CRON/,
    );
  });
});
