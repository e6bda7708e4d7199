/**
 * The indicator store port: keeps the current state of every normalized record and answers indicator queries.
 * Adapters: `@mosy/store-duckdb` (embedded) and `@mosy/store-clickhouse`. Both pass `runIndicatorStoreContract`.
 */
import type { NormalizedRecord } from '../records.js';
import type { StoreQuery, StoreResult } from '../query/model.js';
import type { RecordKind } from '../taxonomy/codes.js';

export interface ApplyOutcome {
  /** Records that changed the current state (a new higher version, or a withdrawal). */
  readonly applied: number;
  /** Records that changed nothing: a version equal to or lower than the current one (replays, late arrivals). */
  readonly ignored: number;
}

/**
 * How late a provider's current records of one kind arrived (data quality): the lag of a record is the number of
 * whole days from the last day of its reference period to the UTC day it was received, 0 when it arrived earlier.
 */
export interface Timeliness {
  readonly providerId: string;
  readonly kind: RecordKind;
  readonly records: number;
  /** Sum of the lags, so the mean is exact: `lagDaysSum / records`. */
  readonly lagDaysSum: number;
  /** Records with a lag of at most 30, 90 and 365 days. */
  readonly within30: number;
  readonly within90: number;
  readonly within365: number;
}

export interface IndicatorStore {
  /** Creates or upgrades the schema; versioned and idempotent. */
  migrate(): Promise<void>;
  /**
   * Applies a batch of normalized records by the counting rules: per (provider, recordId) the highest version wins
   * and a withdrawal removes the record from every count. Idempotent: applying the same records again, in any order
   * or after a crash mid-batch, yields the same state. Resolves once the effect is durable.
   */
  apply(records: readonly NormalizedRecord[]): Promise<ApplyOutcome>;
  /** Answers a validated query over the current records (see `query/model.ts` for the semantics). */
  query(query: StoreQuery): Promise<StoreResult>;
  /**
   * Optional: `query` broken down by each of `parts` (each some of `query.by`, in order, and `'period'` for its
   * interval), as `query` with that part's breakdowns would answer (the cells and margins of a report), in fewer
   * reads than a query per part: from one snapshot where the store has snapshots, else each part exact as of its
   * own read; resolves undefined where the store has no such read for the query (say, with a list breakdown), and
   * the caller then asks `query` per part.
   */
  queryParts?(
    query: StoreQuery,
    parts: readonly (readonly string[])[],
  ): Promise<readonly StoreResult[] | undefined>;
  /** Number of current (not withdrawn) records; for status pages and the demo loader. */
  countRecords(): Promise<number>;
  /**
   * Optional: the timeliness of the given providers' current records, one row per provider and kind that has any,
   * sorted by provider then kind. Stores without it leave timeliness out of the quality report.
   */
  timeliness?(providerIds: readonly string[]): Promise<readonly Timeliness[]>;
  /**
   * Optional: the caller was just given records to apply that another writer may have been writing (a replica that
   * died or gave its partitions up). The next `apply` first waits for any write that writer left running, so that it
   * reads the stored versions after it. Stores whose writes cannot outlive their writer leave it out.
   */
  takeOver?(): void;
  close(): Promise<void>;
}

/** Where a store reports what it survived (a rolling-counts build that failed): metadata only, never a record. */
export interface StoreLogger {
  warn(fields: object, message: string): void;
}
