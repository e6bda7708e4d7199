/**
 * The event bus port: topics of typed messages between the services. Adapters: `@mosy/bus-memory` (a durable
 * in-process log) and `@mosy/bus-kafka`. Both pass the contract suite `runEventBusContract` in `@mosy/testkit`.
 */
import type { LinkageMessage } from '../linkage/message.js';
import type { DeadLetter, NormalizedRecord, SubmissionMessage } from '../records.js';

/** What each logical topic carries. Adapters map the logical names to configured physical names. */
export interface TopicPayloads {
  readonly submissions: SubmissionMessage;
  readonly records: NormalizedRecord;
  readonly deadletter: DeadLetter;
  /**
   * Fuzzy linkage's messages from the normalizers to the one linker (docs/linkage.md): one partition and one key,
   * so every replica's messages form one ordered stream. Carries keyed encodings, never an identity.
   */
  readonly linkage: LinkageMessage;
}
export type Topic = keyof TopicPayloads;

export interface OutgoingMessage<T> {
  /** Messages with the same key are delivered in the order they were published. */
  readonly key: string;
  readonly value: T;
}

export interface DeliveredMessage<T> extends OutgoingMessage<T> {
  /** Position in the topic (partition-qualified where the adapter has partitions); for logs and metrics. */
  readonly position: string;
}

export interface ConsumeOptions {
  /** Largest batch handed to the handler. @defaultValue 1000 */
  readonly maxBatch?: number;
  /**
   * Called, synchronously, each time this member is given partitions (a group join), before any batch of them is
   * handed over: another member may have been handling them (the aggregator's store then waits for that member's
   * writes, `IndicatorStore.takeOver`). A bus with one consumer per group (no partitions) never calls it.
   */
  readonly onAssigned?: () => void;
}

export interface Subscription {
  /** Stops fetching, waits for the batch in hand to finish and commits it. */
  stop(): Promise<void>;
}

export interface EventBus {
  /**
   * Appends messages to a topic. Resolves only once they are durable (fsync'd, or acknowledged by all in-sync
   * replicas): a message whose publish resolved is never lost. Order is kept per key.
   */
  publish<T extends Topic>(topic: T, messages: readonly OutgoingMessage<TopicPayloads[T]>[]): Promise<void>;
  /**
   * Delivers the topic to `handler` in batches, at least once, for a consumer group. A batch's position is committed
   * only after the handler resolves. When it rejects:
   * - with a retriable error (a `MosyError` whose `retriable` is true, or anything that is not a `MosyError`), the
   *   same batch is delivered again after an exponential backoff, for as long as it takes; nothing is skipped;
   * - with a non-retriable `MosyError` (the batch itself is at fault: retrying cannot help), each of its messages
   *   goes to the dead-letter topic (`deadLetterOf`: the record, the stage, the error's code and message as the
   *   reason, never the payload), then the batch is committed and the consumer moves on. On the dead-letter topic
   *   itself, such a batch is reported and skipped.
   * Handlers must therefore be idempotent. Instances in the same group share the topic's partitions. An adapter with
   * partitions may run the handler on several batches at once, never on two that hold messages of the same key.
   */
  consume<T extends Topic>(
    topic: T,
    group: string,
    handler: (batch: readonly DeliveredMessage<TopicPayloads[T]>[]) => Promise<void>,
    options?: ConsumeOptions,
  ): Promise<Subscription>;
  /** Messages published to the topic and not yet committed by the group (the backlog). */
  lag(topic: Topic, group: string): Promise<number>;
  /** Stops every subscription and releases the connection or files. */
  close(): Promise<void>;
}
