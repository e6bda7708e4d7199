/**
 * The normalizer service: consumes the submissions topic, whose records ingest has already mapped, derives the
 * person key from the identity with the deployment secret and drops the identity, then publishes normalized
 * records. A message written before ingest mapped (schema v1, v2, still in the log after an upgrade) is mapped here
 * with the provider's mapping at the version the record was accepted under. With fuzzy linkage on, the identity's
 * linkage encoding is derived here too and handed to the linker alone. A record that cannot be normalized goes
 * to the dead-letter topic with the reason; a failure of a dependency (registry, bus) rejects the batch so the bus
 * redelivers it after a backoff. The output is a pure function of the input, so redelivery is harmless.
 */
import {
  MosyError,
  isMappedRecord,
  linkageMessageOf,
  normalize,
  recordKeyOf,
  type DeadLetter,
  type EventBus,
  type IntakeLedger,
  type LinkageEncoder,
  type LinkageMessage,
  type MappingDocument,
  type NormalizedRecord,
  type Registry,
  type Subscription,
} from '@mosy/core';
import type { Logger } from '@mosy/http';

export interface NormalizerDeps {
  readonly bus: EventBus;
  readonly registry: Registry;
  readonly ledger: IntakeLedger;
  /** The deployment's pseudonym secret (≥ 32 bytes); never logged. */
  readonly pseudonymSecret: string;
  readonly logger: Logger;
  /** @defaultValue "normalizer" */
  readonly group?: string;
  readonly maxBatch?: number;
  readonly now?: () => number;
  /**
   * Fuzzy linkage (`MOSY_LINKAGE=fuzzy`): each normalized record's identity is encoded while it is at hand, and the
   * messages go to `sink` (the linker: in process, or the `linkage` topic) before the batch's records are published,
   * never into them. @defaultValue none: persons by the exact pseudonym only
   */
  readonly linkage?: {
    readonly encoder: LinkageEncoder;
    readonly sink: (messages: readonly LinkageMessage[]) => Promise<void>;
  };
  /** Called after each batch is published, with how many records were normalized and dead-lettered. */
  readonly onBatch?: (counts: { normalized: number; deadLetters: number }) => void;
}

export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createNormalizer(deps: NormalizerDeps): Service {
  const { bus, registry, ledger, pseudonymSecret, logger, now = Date.now } = deps;
  // Mapping versions are immutable once stored, so they can be cached for the life of the process.
  const mappings = new Map<string, MappingDocument>();
  let subscription: Subscription | undefined;

  const mappingFor = async (providerId: string, version: number): Promise<MappingDocument> => {
    const cacheKey = `${providerId}@${version}`;
    const cached = mappings.get(cacheKey);
    if (cached !== undefined) return cached;
    const mapping = await registry.getMapping(providerId, version);
    if (mapping === undefined)
      throw new MosyError('not-found', `No mapping ${version} for provider ${providerId}.`);
    mappings.set(cacheKey, mapping);
    return mapping;
  };

  return {
    async start() {
      subscription = await bus.consume(
        'submissions',
        deps.group ?? 'normalizer',
        async (batch) => {
          const records: NormalizedRecord[] = [];
          const linkage: LinkageMessage[] = [];
          const deadLetters: DeadLetter[] = [];
          for (const { value: message } of batch) {
            // Ingest maps every record it writes; only a message from before that (schema v1, v2) needs the mapping.
            let mapping: MappingDocument | undefined;
            if (!isMappedRecord(message.record)) {
              try {
                mapping = await mappingFor(message.providerId, message.mappingVersion);
              } catch (error) {
                if (error instanceof MosyError && error.code === 'not-found') {
                  deadLetters.push(
                    deadLetter(
                      message.providerId,
                      message.record.recordId,
                      message.record.version,
                      message.receivedAt,
                      'not-found',
                      error.message,
                      now(),
                    ),
                  );
                  continue;
                }
                throw error;
              }
            }
            const outcome = normalize(message, pseudonymSecret, mapping === undefined ? {} : { mapping });
            if ('record' in outcome) {
              records.push(outcome.record);
              if (deps.linkage !== undefined)
                linkage.push(linkageMessageOf(deps.linkage.encoder, message.record, message.providerId));
            } else deadLetters.push(outcome.deadLetter);
          }
          if (linkage.length > 0) await deps.linkage?.sink(linkage);
          if (records.length > 0) {
            await bus.publish(
              'records',
              records.map((record) => ({
                key: recordKeyOf(record.providerId, record.recordId),
                value: record,
              })),
            );
          }
          if (deadLetters.length > 0) {
            await bus.publish(
              'deadletter',
              deadLetters.map((d) => ({ key: recordKeyOf(d.providerId, d.recordId), value: d })),
            );
            await ledger.markDeadLettered(
              deadLetters.map(({ providerId, recordId, version }) => ({ providerId, recordId, version })),
            );
            await ledger.recordQuality(
              deadLetters.map((d) => ({
                providerId: d.providerId,
                kind: 'deadletter' as const,
                field: d.code,
                value: '',
                count: 1,
              })),
              now(),
            );
            logger.warn({ count: deadLetters.length }, 'records sent to the dead-letter topic');
          }
          deps.onBatch?.({ normalized: records.length, deadLetters: deadLetters.length });
        },
        deps.maxBatch === undefined ? {} : { maxBatch: deps.maxBatch },
      );
    },
    async stop() {
      await subscription?.stop();
      subscription = undefined;
    },
  };
}

function deadLetter(
  providerId: string,
  recordId: string,
  version: number,
  receivedAt: number,
  code: string,
  reason: string,
  failedAt: number,
): DeadLetter {
  return { stage: 'normalizer', providerId, recordId, version, code, reason, receivedAt, failedAt };
}
