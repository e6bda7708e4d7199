/**
 * The quarterly exports: building, storing, publishing and revising the quarterly Common Key Indicators report.
 * A build counts every table of the report for a quarter and its year to date (`count.ts`), builds and renders it
 * in core, and stores its artefacts with their SHA-256 checksums in the report archive, keyed by quarter and
 * revision: building a version that is stored already stores nothing, so a scheduled build retried after a crash,
 * or run by two processes, leaves one draft. The first version of a quarter (revision 0) is the scheduled draft; a
 * coordinator publishes it; late data after publication give revision 1, 2…, each diffed against the published
 * version it revises and stored only when some published cell changed. Every build that stored a version, every
 * publication and every download is in the audit log.
 */
import { createHash } from 'node:crypto';
import {
  INDICATORS,
  MosyError,
  QUARTERLY_FORMATS,
  buildQuarterlyReport,
  parseQuarter,
  quarterlyArtefacts,
  quarterlyTables,
  type AuditLog,
  type IndicatorStore,
  type Quarter,
  type QuarterlyFormat,
  type Registry,
  type ReportArchive,
  type ReportCell,
  type ReportVersion,
  type StoredArtefact,
} from '@mosy/core';
import { countTable, providerCoverage } from './count.js';

/** Who acts: an API key (id and role), or the scheduler. */
export interface Actor {
  readonly keyId: string;
  readonly role: string;
}

/** The scheduler as an actor in the audit log. */
export const SCHEDULER: Actor = { keyId: 'scheduler', role: 'system' };

export interface QuarterlyExportsDeps {
  readonly store: IndicatorStore;
  readonly registry: Registry;
  readonly archive: ReportArchive;
  readonly audit: AuditLog;
  /** ISO alpha-2: the report's `geo` and the citizenship groups are relative to it. */
  readonly reportingCountry: string;
  /** The suppression threshold. */
  readonly threshold: number;
  readonly now: () => number;
}

/** The outcome of a build: the version the archive holds, and whether this build stored it. */
export interface BuildOutcome {
  readonly version: ReportVersion;
  readonly created: boolean;
}

export interface QuarterlyExports {
  /** The draft of a quarter (revision 0), built and stored unless the quarter has a version already. */
  draft(quarter: Quarter, by: Actor): Promise<BuildOutcome>;
  /**
   * A revision of a published quarter: the next revision, diffed against the latest published version, stored
   * only when a published cell changed (else `created: false` and the latest version).
   * @throws MosyError `not-found` without a version of the quarter, `conflict` when its latest is not published.
   */
  revise(period: string, by: Actor): Promise<BuildOutcome>;
  /** Publishes a stored draft. @throws MosyError `not-found`, or `conflict` when it is published already. */
  publish(period: string, revision: number, by: Actor): Promise<ReportVersion>;
  list(period?: string): Promise<readonly ReportVersion[]>;
  /** One artefact, for a preview (not audited). @throws MosyError `not-found` */
  read(period: string, revision: number, format: QuarterlyFormat): Promise<StoredArtefact>;
  /** One artefact, the download audited. @throws MosyError `not-found` */
  download(period: string, revision: number, format: QuarterlyFormat, by: Actor): Promise<StoredArtefact>;
}

/** A quarter of this node's own report (`2026-Q1`), not a hub copy. */
const isQuarterPeriod = (period: string): boolean => /^[0-9]{4}-Q[1-4]$/.test(period);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The observations of a stored version, from its JSON artefact. */
async function observationsOf(archive: ReportArchive, version: ReportVersion): Promise<ReportCell[]> {
  const json = await archive.artefact(version.period, version.revision, 'json');
  if (json === undefined)
    throw new MosyError(
      'internal',
      `The version ${version.period} r${version.revision} has no JSON artefact.`,
    );
  return (JSON.parse(json.content) as { observations: ReportCell[] }).observations;
}

export function createQuarterlyExports(deps: QuarterlyExportsDeps): QuarterlyExports {
  const { archive, audit } = deps;
  const specs = quarterlyTables(INDICATORS);

  const record = (by: Actor, action: string, period: string, revision: number, query = ''): Promise<void> =>
    audit.record({
      at: deps.now(),
      keyId: by.keyId,
      role: by.role,
      action,
      resource: `/v1/exports/quarterly/${period}/${revision}`,
      query,
    });

  async function read(period: string, revision: number, format: QuarterlyFormat): Promise<StoredArtefact> {
    const artefact = await archive.artefact(period, revision, format);
    if (artefact === undefined)
      throw new MosyError('not-found', `No ${format} artefact of version ${revision} of ${period}.`);
    return artefact;
  }

  async function versionOf(period: string, revision: number): Promise<ReportVersion> {
    const version = (await archive.list(period)).find((v) => v.revision === revision);
    if (version === undefined)
      throw new MosyError('not-found', `No version ${revision} of the quarterly report ${period}.`);
    return version;
  }

  /** Counts, builds and renders a version; undefined when it revises and no published cell changed. */
  async function build(quarter: Quarter, revision: number, previous?: readonly ReportCell[]) {
    const tables = [];
    for (const spec of specs) tables.push(await countTable(deps.store, spec, quarter, deps.reportingCountry));
    const builtAt = deps.now();
    const report = buildQuarterlyReport({
      reportingCountry: deps.reportingCountry,
      quarter,
      revision,
      builtAt: new Date(builtAt).toISOString(),
      threshold: deps.threshold,
      tables,
      providers: await providerCoverage(deps.store, deps.registry, quarter),
      ...(previous === undefined ? {} : { previous }),
    });
    if (previous !== undefined && report.metadata.revision.changes.length === 0) return undefined;
    const rendered = quarterlyArtefacts(report);
    const artefacts = QUARTERLY_FORMATS.map((format) => ({
      format,
      ...rendered[format],
      sha256: sha256(rendered[format].content),
    }));
    return { period: quarter.period, revision, builtAt, artefacts };
  }

  async function store(
    built: NonNullable<Awaited<ReturnType<typeof build>>>,
    by: Actor,
  ): Promise<BuildOutcome> {
    const outcome = await archive.put({ ...built, builtBy: by.keyId });
    if (outcome === 'created') await record(by, 'quarterly-build', built.period, built.revision);
    return { version: await versionOf(built.period, built.revision), created: outcome === 'created' };
  }

  return {
    async draft(quarter, by) {
      const [latest] = await archive.list(quarter.period);
      if (latest !== undefined) return { version: latest, created: false };
      return store((await build(quarter, 0))!, by);
    },

    async revise(period, by) {
      const quarter = parseQuarter(period);
      const versions = await archive.list(period);
      const latest = versions[0];
      if (latest === undefined)
        throw new MosyError('not-found', `The quarterly report ${period} has no version to revise.`);
      if (latest.published === undefined)
        throw new MosyError(
          'conflict',
          `Revision ${latest.revision} of ${period} is a draft: publish it before asking for a revision.`,
        );
      const built = await build(quarter, latest.revision + 1, await observationsOf(archive, latest));
      return built === undefined ? { version: latest, created: false } : store(built, by);
    },

    async publish(period, revision, by) {
      const version = await versionOf(period, revision);
      if (version.published !== undefined)
        throw new MosyError('conflict', `Version ${revision} of ${period} is published already.`);
      if (!(await archive.publish(period, revision, deps.now(), by.keyId)))
        throw new MosyError('conflict', `Version ${revision} of ${period} is published already.`);
      await record(by, 'quarterly-publish', period, revision);
      return versionOf(period, revision);
    },

    // The archive of a node that is also a hub holds the hub's copies of national reports (`hub/<country>/…`).
    list: async (period) => (await archive.list(period)).filter((v) => isQuarterPeriod(v.period)),

    read,

    async download(period, revision, format, by) {
      const artefact = await read(period, revision, format);
      await record(by, 'quarterly-download', period, revision, `format=${format}`);
      return artefact;
    },
  };
}
