/**
 * The hub's store of national reports, over the report archive: a node's revision of a quarter is a version of the
 * archive's period `hub/<country>/<period>` with one artefact, the observations as JSON (with their SHA-256), so it
 * is stored immutably and once whatever the concurrent re-sends. The latest revision of a country's quarter holds;
 * a re-sent revision changes nothing and an older one is refused (`conflict`). A withdrawal marks the latest
 * revision with the archive's `publish` flag (read here as "withdrawn at, by"): the archive never forgets, and a
 * newer revision published afterwards is live again.
 */
import { createHash } from 'node:crypto';
import {
  MosyError,
  citizenshipFlows,
  countryComparisons,
  decideRevision,
  euTotals,
  type NationalReport,
  type ReportArchive,
  type ReportCell,
  type ReportVersion,
} from '@mosy/core';

const FORMAT = 'hub-observations';
const archivePeriod = (country: string, period: string): string => `hub/${country}/${period}`;
const HUB_PERIOD = /^hub\/([A-Z]{2})\/([0-9]{4}-Q[1-4])$/;

/** Whether an archive period is one the hub stored (the node's own exports leave these out). */
export const isHubPeriod = (period: string): boolean => HUB_PERIOD.test(period);

export interface HubDeps {
  readonly archive: ReportArchive;
  readonly now: () => number;
}

export interface HubReceipt {
  readonly country: string;
  readonly period: string;
  readonly revision: number;
  readonly outcome: 'stored' | 'same';
}

export function createHub(deps: HubDeps) {
  const { archive } = deps;

  async function latest(country: string, period: string): Promise<ReportVersion | undefined> {
    return (await archive.list(archivePeriod(country, period)))[0];
  }

  /** The live reports of a quarter: each country's latest revision, unless withdrawn. */
  async function reportsOf(period: string): Promise<NationalReport[]> {
    const newest = new Map<string, ReportVersion>();
    for (const version of await archive.list()) {
      const match = HUB_PERIOD.exec(version.period);
      if (match?.[2] !== period) continue;
      const held = newest.get(match[1]!);
      if (held === undefined || version.revision > held.revision) newest.set(match[1]!, version);
    }
    const reports: NationalReport[] = [];
    for (const [country, version] of [...newest].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (version.published !== undefined) continue;
      const artefact = await archive.artefact(version.period, version.revision, FORMAT);
      if (artefact === undefined)
        throw new MosyError('internal', `The hub's copy of ${version.period} r${version.revision} is empty.`);
      const observations = JSON.parse(artefact.content) as ReportCell[];
      reports.push({ country, period, revision: version.revision, observations });
    }
    return reports;
  }

  const summary = (reports: readonly NationalReport[]) =>
    reports.map(({ country, revision }) => ({ country, revision }));

  return {
    /** @throws MosyError `conflict` for a revision older than the one held. */
    async receive(
      country: string,
      period: string,
      revision: number,
      observations: readonly ReportCell[],
      by: string,
    ): Promise<HubReceipt> {
      const held = await latest(country, period);
      const decision = decideRevision(held?.revision, revision);
      if (decision === 'older')
        throw new MosyError(
          'conflict',
          `The hub holds revision ${held!.revision} of ${country} ${period}; revision ${revision} is older and is refused.`,
        );
      if (decision === 'same') return { country, period, revision, outcome: 'same' };
      const content = JSON.stringify(observations);
      const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
      const outcome = await archive.put({
        period: archivePeriod(country, period),
        revision,
        builtAt: deps.now(),
        builtBy: by,
        artefacts: [{ format: FORMAT, mediaType: 'application/json', content, sha256 }],
      });
      return { country, period, revision, outcome: outcome === 'created' ? 'stored' : 'same' };
    },

    /** @throws MosyError `not-found` when the hub holds no live report of that country's quarter. */
    async withdraw(country: string, period: string, by: string) {
      const held = await latest(country, period);
      if (held === undefined || held.published !== undefined)
        throw new MosyError('not-found', `The hub holds no report of ${country} for ${period}.`);
      await archive.publish(held.period, held.revision, deps.now(), by);
      return { country, period, revision: held.revision };
    },

    async totals(period: string) {
      const reports = await reportsOf(period);
      return { period, reports: summary(reports), totals: euTotals(reports) };
    },

    async comparison(period: string) {
      const reports = await reportsOf(period);
      return { period, reports: summary(reports), comparisons: countryComparisons(reports) };
    },

    async flows(period: string) {
      const reports = await reportsOf(period);
      return { period, reports: summary(reports), flows: citizenshipFlows(reports) };
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
