/**
 * The dead letters an `EventBus` adapter writes when it gives up on messages: a handler that failed for good (a
 * non-retriable MosyError), or bytes that cannot be decoded. Shared by every adapter, so a dead letter reads the
 * same whichever runtime wrote it. A dead letter names the record (provider and record
 * id from the bus key `provider/recordId`, version from the value when it could be decoded), the stage, the
 * error code and reason; never the payload, which may carry identity.
 */
import type { DeadLetter } from '../records.js';
import type { OutgoingMessage, Topic, TopicPayloads } from './event-bus.js';

/**
 * The stage named in the dead letters of each topic's consumers. The dead-letter topic has none: a consumer of it
 * that fails for good reports and skips the batch, rather than write dead letters about dead letters.
 */
export const DEFAULT_DEAD_LETTER_STAGES: Readonly<Partial<Record<Topic, DeadLetter['stage']>>> = {
  submissions: 'normalizer',
  records: 'aggregator',
};

/** The provider and record id of a bus key `provider/recordId`; a key without `/` is all record id. */
export function parseRecordKey(key: string): { readonly providerId: string; readonly recordId: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { providerId: '', recordId: key }
    : { providerId: key.slice(0, slash), recordId: key.slice(slash + 1) };
}

/** The record version and receipt time a decoded message carries. */
export function versionOf<T extends Topic>(
  topic: T,
  value: TopicPayloads[T],
): { readonly version: number; readonly receivedAt: number } {
  if (topic === 'submissions') {
    const m = value as TopicPayloads['submissions'];
    return { version: m.record.version, receivedAt: m.receivedAt };
  }
  if (topic === 'linkage') return { version: (value as TopicPayloads['linkage']).version, receivedAt: 0 };
  const m = value as TopicPayloads['records'] | TopicPayloads['deadletter'];
  return { version: m.version, receivedAt: m.receivedAt };
}

export interface DeadLetterInput {
  readonly stage: DeadLetter['stage'];
  readonly key: string;
  /** From the decoded value; 0 when the message could not be decoded. */
  readonly version: number;
  /** From the decoded value, else the message's Kafka timestamp. */
  readonly receivedAt: number;
  readonly code: string;
  readonly reason: string;
  readonly failedAt: number;
}

/** The dead-letter message for one failed message, keyed like it. */
export function deadLetterOf(input: DeadLetterInput): OutgoingMessage<DeadLetter> {
  const { providerId, recordId } = parseRecordKey(input.key);
  return {
    key: input.key,
    value: {
      stage: input.stage,
      providerId,
      recordId,
      version: input.version,
      code: input.code,
      reason: input.reason,
      receivedAt: input.receivedAt,
      failedAt: input.failedAt,
    },
  };
}
