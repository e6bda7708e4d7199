/**
 * The linkage store port: where the linker (fuzzy person linkage, docs/linkage.md) keeps what it needs apart from
 * the indicator tables. `linkage_encodings` holds each linked record's encoding in linking order, so a restarted
 * linker rebuilds its index; an unlinked record keeps only its version there (so a replayed or late lower version
 * cannot link it again), its encoding deleted. `person_links` holds each linked record's person key, which the
 * persons count uses in place of the exact pseudonym. Adapters live beside the stores and pass
 * `runLinkageStoreContract`.
 */
import type { LinkageEncoding } from '../linkage/encoder.js';

/** A record as the linkage store holds it. */
export interface StoredLinkage {
  readonly providerId: string;
  readonly recordId: string;
  readonly version: number;
  /** Absent for an unlinked record (its encoding was deleted). */
  readonly encoding?: LinkageEncoding;
  /** The record's current person key in `person_links`; absent when it has none. */
  readonly personKey?: string;
}

/** One record's new state: linked with an encoding and a person key, or unlinked. */
export interface LinkageChange {
  readonly providerId: string;
  readonly recordId: string;
  readonly version: number;
  /** With `personKey`: the record is (re)linked; without both: unlinked, its encoding and link deleted. */
  readonly encoding?: LinkageEncoding;
  readonly personKey?: string;
}

/** A linked record whose person key changed (a merge, or a re-grouping on rebuild); its encoding stays. */
export interface PersonRelink {
  readonly providerId: string;
  readonly recordId: string;
  readonly personKey: string;
}

export interface LinkageWrite {
  /** In linking order: each moves its record to the end of the linking order. At most one per record. */
  readonly changes: readonly LinkageChange[];
  /** Person-key changes of records not in `changes`. */
  readonly relinks: readonly PersonRelink[];
  /** Re-groupings (merges) this write records, and the person-key changes of earlier records they made. */
  readonly merges: number;
  readonly revisedRecords: number;
}

export interface LinkageTotals {
  /** Re-groupings recorded so far. */
  readonly merges: number;
  /** Person-key changes of earlier records they made. */
  readonly revisedRecords: number;
}

export interface LinkageStore {
  /** Every record held, linked or not, in linking order (oldest first). */
  load(): Promise<readonly StoredLinkage[]>;
  /** Applies a write as a whole; resolves once it is durable. Rewriting the same state again changes nothing. */
  write(write: LinkageWrite): Promise<void>;
  /** The re-groupings recorded so far. */
  totals(): Promise<LinkageTotals>;
  /**
   * A value that changes with every write, by any process: a linker compares it with the one its own last write or
   * rebuild left, and rebuilds when another process (the linker before a fail-over) wrote since.
   */
  position(): Promise<string>;
  /**
   * Deletes every encoding, link and re-grouping count (linkage switched back to exact: the persons count returns
   * to the exact pseudonym, and no encoding outlives the mode that needed it). Resolves to the records that had
   * rows.
   */
  clear(): Promise<number>;
}
