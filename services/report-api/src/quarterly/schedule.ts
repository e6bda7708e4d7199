/**
 * The quarterly exports on a schedule, through the `Scheduler` port (BullMQ in the distributed runtime, the local
 * scheduler in the embedded one). The draft job runs on a cron (daily by default) and builds the draft of the
 * quarter that is due at the run's time: the latest quarter closed at least the grace period before. The draft is
 * keyed by its quarter and revision 0 in the report archive, so however many runs, processes, retries and
 * restarts, a quarter gets one draft: later runs, or a run retried after a crash, find it stored. An optional
 * second job revises, on its own rhythm, every quarter whose latest version is published, storing a revision only
 * when late data changed a published cell. Settings come from the environment through `quarterlySettingsFromEnv`,
 * read by the composition roots.
 */
import {
  MosyError,
  checkCronPattern,
  dueQuarter,
  type JobRun,
  type JobSchedule,
  type Scheduler,
} from '@mosy/core';
import { SCHEDULER, type QuarterlyExports } from './exports.js';

export const QUARTERLY_DRAFT_JOB = 'quarterly-draft';
export const QUARTERLY_REVISION_JOB = 'quarterly-revision';

export interface QuarterlySettings {
  /** When the draft job runs. @defaultValue `{ cron: '0 6 * * *' }` (daily, 06:00 UTC) */
  readonly draftSchedule: JobSchedule;
  /** Days after a quarter closes before its draft is built. @defaultValue 15 */
  readonly graceDays: number;
  /** When published quarters are revised automatically; none: only when a coordinator asks. */
  readonly revisionSchedule?: JobSchedule;
}

export const DEFAULT_QUARTERLY: QuarterlySettings = Object.freeze({
  draftSchedule: { cron: '0 6 * * *' },
  graceDays: 15,
});

/**
 * Reads `MOSY_QUARTERLY_CRON` (the draft job's cron, default daily at 06:00 UTC), `MOSY_QUARTERLY_GRACE_DAYS`
 * (whole days ≥ 0, default 15) and `MOSY_QUARTERLY_REVISION_CRON` (optional). An empty value counts as unset.
 * @throws MosyError `invalid-request` naming every variable that is wrong.
 */
export function quarterlySettingsFromEnv(env: NodeJS.ProcessEnv): QuarterlySettings {
  const problems: string[] = [];
  const cron = (name: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    try {
      return checkCronPattern(value, name);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  const draftCron = cron('MOSY_QUARTERLY_CRON', env.MOSY_QUARTERLY_CRON || undefined);
  const revisionCron = cron('MOSY_QUARTERLY_REVISION_CRON', env.MOSY_QUARTERLY_REVISION_CRON || undefined);
  const graceText = env.MOSY_QUARTERLY_GRACE_DAYS || undefined;
  const graceDays = graceText === undefined ? DEFAULT_QUARTERLY.graceDays : Number(graceText);
  if (!Number.isSafeInteger(graceDays) || graceDays < 0 || graceDays > 365)
    problems.push(`MOSY_QUARTERLY_GRACE_DAYS must be whole days from 0 to 365, got "${graceText}"`);
  if (problems.length > 0)
    throw new MosyError('invalid-request', `Invalid configuration: ${problems.join('; ')}.`);
  return {
    draftSchedule: draftCron === undefined ? DEFAULT_QUARTERLY.draftSchedule : { cron: draftCron },
    graceDays,
    ...(revisionCron === undefined ? {} : { revisionSchedule: { cron: revisionCron } }),
  };
}

export interface ScheduleOptions {
  /**
   * The time a run decides from. @defaultValue the run's occurrence (`run.scheduledFor`), which a retry keeps.
   */
  readonly timeOf?: (run: JobRun) => number;
}

/** Registers the draft job, and the revision job when the settings give it a rhythm. */
export async function scheduleQuarterlyExports(
  scheduler: Scheduler,
  exports: QuarterlyExports,
  settings: QuarterlySettings,
  options: ScheduleOptions = {},
): Promise<void> {
  const timeOf = options.timeOf ?? ((run: JobRun) => run.scheduledFor);
  await scheduler.schedule(QUARTERLY_DRAFT_JOB, settings.draftSchedule, async (run) => {
    await exports.draft(dueQuarter(timeOf(run), settings.graceDays), SCHEDULER);
  });
  if (settings.revisionSchedule === undefined) return;
  await scheduler.schedule(QUARTERLY_REVISION_JOB, settings.revisionSchedule, async () => {
    const latest = new Map<string, boolean>();
    for (const version of await exports.list())
      if (!latest.has(version.period)) latest.set(version.period, version.published !== undefined);
    for (const [period, published] of latest) if (published) await exports.revise(period, SCHEDULER);
  });
}
