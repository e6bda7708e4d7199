/**
 * Builders for bus messages other than normalized records (those are in builders.ts): a valid `SubmissionMessage`
 * and `DeadLetter` from a few overrides, so a test states only what it is about. Defaults: provider `prov-a`
 * (POLICE), record `r1` version 1, an upsert of a victim dated `2026-03-14` with two provider fields and no identity.
 */
import type { DeadLetter, SubmissionMessage, SubmittedRecord } from '@mosy/core';

/** Anything of a message may be overridden; `record` is merged over the default record. */
export type SubmissionMessageOverrides = Partial<Omit<SubmissionMessage, 'record'>> & {
  readonly record?: Partial<SubmittedRecord>;
};

/** A valid submission message with `overrides` applied. */
export function buildSubmissionMessage(overrides: SubmissionMessageOverrides = {}): SubmissionMessage {
  const record: SubmittedRecord = {
    recordId: 'r1',
    version: 1,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2026-03-14',
    fields: { sex: 'F', age: 17 },
    ...overrides.record,
  };
  return {
    submissionId: 'sub-1',
    providerId: 'prov-a',
    providerType: 'POLICE',
    mappingVersion: 1,
    receivedAt: Date.UTC(2026, 3, 1),
    ...overrides,
    record,
  };
}

/** A valid dead letter with `overrides` applied. */
export function buildDeadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    stage: 'normalizer',
    providerId: 'prov-a',
    recordId: 'r1',
    version: 1,
    code: 'unmapped-value',
    reason: 'fields.sex: "w" is not mapped',
    receivedAt: Date.UTC(2026, 3, 1),
    failedAt: Date.UTC(2026, 3, 1) + 250,
    ...overrides,
  };
}
