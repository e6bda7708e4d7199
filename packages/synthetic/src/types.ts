/**
 * The shapes of a synthetic dataset: the providers with their own vocabularies and mapping documents, the records
 * each sends (in send order), and the truth — the canonical current state of every record, decided by the
 * generator before it encoded anything into a provider's vocabulary. Tests compare MoSy's counts with counts
 * computed from the truth by `referenceQuery`.
 */
import type { CanonicalValues, MappingDocument, ProviderType, RecordKind, SubmittedRecord } from '@mosy/core';

/** How a provider's records travel to the submissions endpoint. */
export type Transport = 'json' | 'csv';

export interface SyntheticProvider {
  /** Lower-case letters, digits and dashes. */
  readonly id: string;
  readonly type: ProviderType;
  /** Always starts with `SYNTHETIC DEMO —`. */
  readonly name: string;
  readonly mapping: MappingDocument;
  readonly transport: Transport;
}

export interface ProviderSubmissions {
  readonly providerId: string;
  /** In send order; the versions of one record appear in increasing order. */
  readonly records: readonly SubmittedRecord[];
}

/** The final, canonical state of one record, as MoSy should hold it once every submission is processed. */
export interface TruthRecord {
  readonly providerId: string;
  readonly providerType: ProviderType;
  readonly recordId: string;
  readonly kind: RecordKind;
  /** True when the record's last version is a withdrawal (it then counts nowhere). */
  readonly withdrawn: boolean;
  /** `P<true person id>` when the record carried identity, else `R<providerId>/<recordId>`. */
  readonly personKey: string;
  /** Of the last upsert. */
  readonly referenceDate: string;
  /** Every canonical field that applies to the kind, `UNK` (or `[UNK]`) where unknown. Of the last upsert. */
  readonly fields: CanonicalValues;
  /** The version of the last submitted version (upsert or withdrawal). */
  readonly version: number;
}

export interface SyntheticDataset {
  /** Marks the data as invented: no record describes a real person. */
  readonly synthetic: true;
  readonly seed: number;
  readonly years: readonly number[];
  readonly providers: readonly SyntheticProvider[];
  readonly submissions: readonly ProviderSubmissions[];
  readonly truth: readonly TruthRecord[];
}

export interface GenerateOptions {
  readonly seed: number;
  /** Number of true victims (traffickers are added in proportion). @defaultValue 3000 */
  readonly persons?: number;
  /** Reference years of the records. @defaultValue [2023, 2024, 2025] */
  readonly years?: readonly number[];
}
