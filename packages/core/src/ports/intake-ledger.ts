/**
 * The intake ledger port: what ingest and the normalizer remember about submissions, apart from the counts
 * themselves — the highest accepted version of each record (to refuse versions going backwards at the door),
 * submission receipts, and data-quality events (rejects, dead letters, unmapped values) per provider.
 * Nothing here holds identity or raw free text: unmapped values are provider vocabulary codes, truncated.
 */
import type { FieldIssue } from '../errors.js';

export interface RecordReceipt {
  readonly recordId: string;
  readonly version: number;
  /** `duplicate`: this record and version were accepted before; nothing changes. */
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly issues?: readonly FieldIssue[];
}

/** How a CSV submission was read: its separator and the encoding of its bytes (detected, or named by the client). */
export interface CsvFormat {
  readonly separator: ',' | ';' | '\t';
  readonly encoding: 'utf-8' | 'windows-1252';
}

export interface SubmissionReceipt {
  readonly submissionId: string;
  readonly providerId: string;
  readonly receivedAt: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly records: readonly RecordReceipt[];
  /** For a CSV submission, how it was read. */
  readonly csv?: CsvFormat;
}

export type QualityEventKind = 'rejected' | 'deadletter' | 'unmapped' | 'defaulted';

/** One data-quality observation, aggregated by (provider, kind, field, value). */
export interface QualityEvent {
  readonly providerId: string;
  readonly kind: QualityEventKind;
  /** The canonical or source field concerned, or the error code for rejects and dead letters. */
  readonly field: string;
  /** The unmapped provider value (truncated to 64 characters), or '' where none applies. */
  readonly value: string;
  readonly count: number;
}

export interface QualityCount extends QualityEvent {
  readonly lastSeen: number;
}

/** When a provider last submitted, from its saved receipts (the operations dashboard). */
export interface ProviderActivity {
  readonly providerId: string;
  /** Submissions saved (each request is one, whatever it held). */
  readonly submissions: number;
  /** `receivedAt` of the latest one, epoch milliseconds. */
  readonly lastSubmittedAt: number;
}

/**
 * How much of a provider's accepted data is still in the pipeline (the operations dashboard): records whose accepted
 * version is higher than the one the indicator store holds, leaving out those dead-lettered at that version (by the
 * normalizer, or by the bus when the normalizer or the aggregator gave up on them: they will never arrive).
 */
export interface ProviderBacklog {
  readonly providerId: string;
  readonly pending: number;
}

/** One record version sent to the dead-letter topic (0: a message that could not be decoded, of unknown version). */
export interface DeadLetteredVersion {
  readonly providerId: string;
  readonly recordId: string;
  readonly version: number;
}

/** Everything a submission writes to the ledger, for `IntakeLedger.recordSubmission`. */
export interface SubmissionEntry {
  /** The records put on the bus, under `receipt.providerId`. */
  readonly accepted: readonly { readonly recordId: string; readonly version: number }[];
  readonly quality: readonly QualityEvent[];
  readonly receipt: SubmissionReceipt;
}

export interface IntakeLedger {
  /** The highest accepted version of each given record of a provider (absent: never accepted). */
  acceptedVersions(providerId: string, recordIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /**
   * What one submission leaves behind once its accepted records are on the bus: their versions raised (never
   * lowered), its quality events counted at `receipt.receivedAt` (as `recordQuality`) and its receipt saved (saving
   * a receipt of the same provider and submission id again replaces it).
   * A store with transactions writes all three in one, so a small submission waits for one durable commit, not three.
   */
  recordSubmission(submission: SubmissionEntry): Promise<void>;
  getReceipt(providerId: string, submissionId: string): Promise<SubmissionReceipt | undefined>;
  /** Adds counts; events with the same (provider, kind, field, value) are summed. */
  recordQuality(events: readonly QualityEvent[], at: number): Promise<void>;
  /** Aggregated quality counts, for one provider or all. */
  quality(providerId?: string): Promise<readonly QualityCount[]>;
  /** Per provider that has saved any receipt, sorted by provider id; a receipt saved again counts once. */
  activity(): Promise<readonly ProviderActivity[]>;
  /**
   * Remembers the highest version of each record that was dead-lettered, by the normalizer or by the bus (never
   * lowers it). A version of 0 (a message that could not be decoded names none) marks the version accepted at that
   * moment, the latest the message can carry: ingest marks a version just after publishing it, so only a message
   * dead-lettered within that moment leaves its record counted as pending.
   */
  markDeadLettered(records: readonly DeadLetteredVersion[]): Promise<void>;
  /**
   * Optional: the backlog of each given provider, one row per given provider (0 when nothing waits), sorted by
   * provider id. Needs the indicator store's current records in the same database; one set-based query per call.
   */
  backlog?(providerIds: readonly string[]): Promise<readonly ProviderBacklog[]>;
}
