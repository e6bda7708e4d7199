/**
 * The report archive port: every version of the quarterly report, its artefacts stored immutably with their
 * SHA-256 checksums, and which versions were published. A version is one (quarter, revision): revision 0 is the
 * first draft, 1, 2… the revisions after late data; it is a draft until published. Nothing stored is ever changed
 * or removed, so an earlier version stays downloadable. Adapters live beside the stores (`@mosy/store-duckdb`,
 * `@mosy/store-clickhouse`) and pass `runReportArchiveContract`.
 */

/** One artefact of a version: a format's content and its checksum (computed by the caller). */
export interface StoredArtefact {
  /** `sdmx-csv`, `csv`, `json`, `metadata-csv`, `metadata-json`. */
  readonly format: string;
  readonly mediaType: string;
  readonly content: string;
  /** Lower-case hex SHA-256 of the UTF-8 content. */
  readonly sha256: string;
}

/** A version to store. */
export interface ReportVersionInput {
  /** The quarter, `2026-Q1`. */
  readonly period: string;
  readonly revision: number;
  /** Epoch ms. */
  readonly builtAt: number;
  /** Who built it: a key id, or `scheduler`. */
  readonly builtBy: string;
  readonly artefacts: readonly StoredArtefact[];
}

/** A stored version, without the artefacts' content. */
export interface ReportVersion {
  readonly period: string;
  readonly revision: number;
  readonly builtAt: number;
  readonly builtBy: string;
  /** Format → SHA-256 of its artefact. */
  readonly checksums: Readonly<Record<string, string>>;
  /** Set once published. */
  readonly published?: { readonly at: number; readonly by: string };
}

export interface ReportArchive {
  /**
   * Stores a version unless one with the same period and revision is stored already, in which case nothing is
   * written: `created` or `exists`. Whatever the concurrent callers, one version per (period, revision) is ever
   * seen by readers.
   */
  put(version: ReportVersionInput): Promise<'created' | 'exists'>;
  /** Stored versions, of one period or all, by period then revision, newest first. */
  list(period?: string): Promise<readonly ReportVersion[]>;
  /** One artefact of a stored version; undefined when there is none. */
  artefact(period: string, revision: number, format: string): Promise<StoredArtefact | undefined>;
  /**
   * Marks a stored version published. A version is published once: later calls change nothing and return false,
   * as does a call for a version not stored.
   */
  publish(period: string, revision: number, at: number, by: string): Promise<boolean>;
}
