/**
 * Accepting submissions: the one place where a provider's records enter MoSy. Each record is validated on its own
 * (envelope, then the provider's mapping, so a wrong code is refused with a field-level reason at once) and mapped
 * once, here: the submissions topic carries the mapped record with its identity, not the provider's fields. Then the
 * versions are checked against what was accepted before: a higher version is accepted, the same version is a
 * no-op duplicate, a lower one is refused. Accepted records are published to the submissions topic and only then
 * marked accepted, so a crash in between can at worst accept the same version twice, which the counting rules make
 * a no-op. A rejected record never blocks the others.
 */
import { randomUUID } from 'node:crypto';
import {
  MosyError,
  type CsvFormat,
  latestAcceptedDay,
  mapRecord,
  recordKeyOf,
  validateSubmittedRecord,
  type EventBus,
  type FieldIssue,
  type IntakeLedger,
  type MappedRecord,
  type MappingDocument,
  type QualityEvent,
  type RecordReceipt,
  type Registry,
  type SubmissionMessage,
  type SubmissionReceipt,
} from '@mosy/core';
import { createKeyedMutex } from './keyed-mutex.js';

export interface SubmissionDeps {
  readonly bus: EventBus;
  readonly registry: Registry;
  readonly ledger: IntakeLedger;
  /** @defaultValue Date.now */
  readonly now?: () => number;
  /** Called with each saved receipt (metrics). */
  readonly onReceipt?: (receipt: SubmissionReceipt) => void;
}

export interface IndexedReceipt extends RecordReceipt {
  readonly index: number;
}

export interface SubmissionResult extends SubmissionReceipt {
  readonly records: readonly IndexedReceipt[];
  /** A preview: the receipt the records would get, with nothing accepted, published or kept. */
  readonly dryRun?: true;
}

/** Records validated between two yields to the event loop. */
const YIELD_EVERY = 500;

interface Checked {
  readonly index: number;
  readonly input: unknown;
  /** Set when the record passed envelope and mapping checks: mapped, as it goes on the submissions topic. */
  readonly record: MappedRecord | undefined;
  readonly issues: readonly FieldIssue[];
}

export function createSubmissionHandler({
  bus,
  registry,
  ledger,
  now = Date.now,
  onReceipt,
}: SubmissionDeps) {
  const withProviderLock = createKeyedMutex();
  // A stored mapping version never changes, so each is read once: a small submission then costs one registry read
  // (the provider, whose current version may change) instead of two.
  const mappings = new Map<string, Map<number, MappingDocument>>();
  const mappingOf = async (providerId: string, version: number): Promise<MappingDocument | undefined> => {
    const cached = mappings.get(providerId)?.get(version);
    if (cached !== undefined) return cached;
    const mapping = await registry.getMapping(providerId, version);
    if (mapping === undefined) return undefined;
    let ofProvider = mappings.get(providerId);
    if (ofProvider === undefined) mappings.set(providerId, (ofProvider = new Map<number, MappingDocument>()));
    ofProvider.set(version, mapping);
    return mapping;
  };

  /**
   * `csv`: how a CSV body was read, told back in the receipt. `dryRun`: check as a submission would (versions
   * against what was accepted before included) and answer the receipt, publishing and keeping nothing.
   */
  return async function submit(
    providerId: string,
    inputs: readonly unknown[],
    csv?: CsvFormat,
    options: { readonly dryRun?: boolean } = {},
  ): Promise<SubmissionResult> {
    const provider = await registry.getProvider(providerId);
    if (provider === undefined) throw new MosyError('forbidden', `Provider ${providerId} is not registered.`);
    const mapping = await mappingOf(providerId, provider.mappingVersion);
    if (mapping === undefined) throw new MosyError('internal', `Provider ${providerId} has no mapping.`);
    const receivedAt = now();
    const latestDay = latestAcceptedDay(receivedAt);
    const dryRun = options.dryRun === true;
    const submissionId = dryRun ? 'preview' : `sub_${randomUUID()}`;
    const quality: QualityEvent[] = [];

    const check = (input: unknown, index: number): Checked => {
      const { record, issues } = validateSubmittedRecord(input, index, providerId, latestDay);
      if (record === undefined || issues.length > 0) return { index, input, record: undefined, issues };
      // The one mapping of the record: its issues are the receipt's, its output is what the normalizer gets.
      const mapped = mapRecord(mapping, record);
      if ('issues' in mapped) return { index, input, record: undefined, issues: mapped.issues };
      // The engine has already cut each value to a code's length, so no narrative reaches the coverage report.
      for (const { field, value } of mapped.unmapped)
        quality.push({ providerId, kind: 'unmapped', field, value, count: 1 });
      return { index, input, record: mapped.record, issues: [] };
    };

    // Stage 1, per record and independent of state: envelope and mapping. Large submissions yield to the event
    // loop between slices, so that one 10 000-record request does not stall status and report requests.
    const checked: Checked[] = [];
    for (let start = 0; start < inputs.length; start += YIELD_EVERY) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      inputs
        .slice(start, start + YIELD_EVERY)
        .forEach((input, offset) => checked.push(check(input, start + offset)));
    }
    // Stage 2, under the provider's lock: versions against what was accepted before, publish, then the ledger.
    return withProviderLock(providerId, async () => {
      const valid = checked.flatMap((c) => (c.record === undefined ? [] : [c.record]));
      const latest = new Map(
        await ledger.acceptedVersions(providerId, [...new Set(valid.map((r) => r.recordId))]),
      );
      const receipts: IndexedReceipt[] = [];
      const toPublish: MappedRecord[] = [];
      for (const c of checked) {
        if (c.record === undefined) {
          receipts.push({ index: c.index, ...identify(c.input), status: 'rejected', issues: c.issues });
          continue;
        }
        const { recordId, version } = c.record;
        const previous = latest.get(recordId);
        if (previous !== undefined && version < previous) {
          receipts.push({
            index: c.index,
            recordId,
            version,
            status: 'rejected',
            issues: [
              {
                field: 'version',
                code: 'version-regression',
                message: `Version ${version} is lower than version ${previous}, already accepted for record ${recordId}.`,
              },
            ],
          });
        } else if (previous === version) {
          receipts.push({ index: c.index, recordId, version, status: 'duplicate' });
        } else {
          latest.set(recordId, version);
          toPublish.push(c.record);
          receipts.push({ index: c.index, recordId, version, status: 'accepted' });
        }
      }

      const count = (status: RecordReceipt['status']) => receipts.filter((r) => r.status === status).length;
      const receipt: SubmissionResult = {
        submissionId,
        providerId,
        receivedAt,
        accepted: count('accepted'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        records: receipts,
        ...(csv === undefined ? {} : { csv }),
        ...(dryRun ? { dryRun: true as const } : {}),
      };
      if (dryRun) return receipt;

      if (toPublish.length > 0) {
        await bus.publish(
          'submissions',
          toPublish.map((record) => ({
            key: recordKeyOf(providerId, record.recordId),
            value: {
              submissionId,
              providerId,
              providerType: provider.type,
              mappingVersion: provider.mappingVersion,
              receivedAt,
              record,
            } satisfies SubmissionMessage,
          })),
        );
      }
      for (const record of receipts) {
        for (const issue of record.issues ?? []) {
          quality.push({ providerId, kind: 'rejected', field: issue.field, value: issue.code, count: 1 });
        }
      }
      // Only once the records are on the bus: a crash in between can at worst accept the same version twice. One
      // ledger write, so that a small submission waits for one durable commit of the ledger, not three.
      await ledger.recordSubmission({
        accepted: toPublish.map(({ recordId, version }) => ({ recordId, version })),
        quality,
        receipt,
      });
      onReceipt?.(receipt);
      return receipt;
    });
  };
}

export type SubmitFn = ReturnType<typeof createSubmissionHandler>;

/** Echoes what can be echoed of an invalid record (its id and version when they are well-formed). */
function identify(input: unknown): { recordId: string; version: number } {
  const candidate = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const recordId = typeof candidate.recordId === 'string' ? candidate.recordId.slice(0, 128) : '';
  // A receipt's version is a count (≥ 0, as the document says): a negative or non-integer one is echoed as 0.
  const version =
    Number.isSafeInteger(candidate.version) && (candidate.version as number) >= 0
      ? (candidate.version as number)
      : 0;
  return { recordId, version };
}
