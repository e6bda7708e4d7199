/**
 * One consumer-group member on one topic: fetches with kafkajs's `eachBatch`, decodes, hands the handler chunks of
 * at most `maxBatch` messages, and commits a chunk's offsets only after the handler resolved (auto-commit and
 * auto-resolve are off), so an offset is committed only once its effect is durable. A handler that rejects with a
 * retriable error (or anything that is not a MosyError) gets the same chunk again after an exponential backoff,
 * with heartbeats sent while waiting; nothing is skipped. A non-retriable MosyError sends the chunk to the
 * dead-letter topic with the reason, then commits. Bytes that cannot be decoded go to the dead-letter topic as
 * `undecodable-message`. When the group rebalances, the member finishes the handler call in hand, commits it and
 * gives its partitions up without touching the rest: another member resumes at the committed offset. The batches of
 * a fetch's partitions are handled side by side (`partitionsConsumedConcurrently`), each partition's in order.
 */
import { MosyError, deadLetterOf, isMosyError, versionOf } from '@mosy/core';
import type {
  DeadLetter,
  DeliveredMessage,
  OutgoingMessage,
  Subscription,
  Topic,
  TopicPayloads,
} from '@mosy/core';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicCodec } from './avro-codec.js';
import { kafkaError } from './connection.js';
import type { KafkaBusConfig } from './options.js';

export interface GroupConsumerSetup<T extends Topic> {
  readonly kafka: Kafka;
  readonly config: KafkaBusConfig;
  readonly topic: T;
  readonly group: string;
  readonly codec: TopicCodec<TopicPayloads[T]>;
  readonly handler: (batch: readonly DeliveredMessage<TopicPayloads[T]>[]) => Promise<void>;
  readonly maxBatch: number;
  /** Called on every group join, before any batch of the partitions it gave (kafkajs emits GROUP_JOIN before fetching). */
  readonly onAssigned?: () => void;
  /** Publishes dead letters; resolves once they are durable. */
  readonly deadLetter: (letters: readonly OutgoingMessage<DeadLetter>[]) => Promise<void>;
}

const REBALANCING = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION']);
const isRebalancing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && REBALANCING.has(String((error as { type?: unknown }).type));

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const codeOf = (error: unknown): string => (isMosyError(error) ? error.code : 'internal');

/** Starts a member of `setup.group` on `setup.topic`; resolves once it has joined the group. */
export async function startGroupConsumer<T extends Topic>(
  setup: GroupConsumerSetup<T>,
): Promise<Subscription> {
  const member = new GroupConsumer(setup);
  await member.start();
  return { stop: () => member.stop() };
}

class GroupConsumer<T extends Topic> {
  private readonly consumer: Consumer;
  private readonly physicalTopic: string;
  private stopping = false;
  private wake: () => void = () => undefined;
  private readonly woken = new Promise<void>((resolve) => (this.wake = resolve));
  private stopped: Promise<void> | undefined;
  /** A rebalance noticed by a heartbeat while the handler ran: commit what is done, then give the partitions up. */
  private rebalance: Error | undefined;

  constructor(private readonly s: GroupConsumerSetup<T>) {
    const timing = s.config.consumer;
    this.physicalTopic = s.config.topics[s.topic];
    this.consumer = s.kafka.consumer({
      groupId: s.group,
      sessionTimeout: timing.sessionTimeoutMs,
      rebalanceTimeout: timing.rebalanceTimeoutMs,
      heartbeatInterval: timing.heartbeatIntervalMs,
      maxWaitTimeInMs: timing.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
  }

  async start(): Promise<void> {
    let crash: unknown;
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.rebalance = undefined;
      this.s.onAssigned?.();
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      crash = payload.error;
      this.s.config.logger?.error(
        {
          topic: this.physicalTopic,
          group: this.s.group,
          restart: payload.restart,
          err: messageOf(payload.error),
        },
        'Kafka consumer crashed',
      );
    });
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.physicalTopic], fromBeginning: true });
      // Resolves once the member has joined the group (or crashed trying).
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.s.config.consumer.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.eachBatch(payload),
      });
      if (crash !== undefined) throw asError(crash);
    } catch (error) {
      this.stopping = true;
      await this.consumer.disconnect().catch(() => undefined);
      throw kafkaError(error, `joining group ${this.s.group} on ${this.physicalTopic}`);
    }
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wake();
      // kafkajs stops fetching, waits for the eachBatch in hand (which commits its chunk), then leaves the group.
      await this.consumer.disconnect();
    })();
    return this.stopped;
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { maxBatch } = this.s;
    for (let start = 0; start < batch.messages.length; start += maxBatch) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) return;
      await this.checkRebalance(payload);
      const chunk = batch.messages.slice(start, start + maxBatch);
      if (!(await this.settle(chunk, batch.partition, payload))) return;
      const last = chunk[chunk.length - 1]!.offset;
      payload.resolveOffset(last);
      // The payload's commit, unlike consumer.commitOffsets, still commits after stop() was called: the batch in
      // hand is finished and committed on the way out.
      await payload.commitOffsetsIfNecessary({
        topics: [
          {
            topic: batch.topic,
            partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }],
          },
        ],
      });
      if (this.rebalance !== undefined) throw this.rebalance;
    }
  }

  /**
   * Throws once the group is rebalancing, so that the member rejoins promptly instead of handling more. kafkajs
   * hands over the batches of all partitions of a fetch even after one of them threw, hence the flag, which is
   * cleared when the member has rejoined.
   */
  private async checkRebalance(payload: EachBatchPayload): Promise<void> {
    if (this.rebalance !== undefined) throw this.rebalance;
    try {
      // Sends a request only when the heartbeat interval has passed.
      await payload.heartbeat();
    } catch (error) {
      if (isRebalancing(error)) this.rebalance ??= asError(error);
      throw error;
    }
  }

  /**
   * Handles a chunk until it is done (handled, or dead-lettered); false when the member stopped while waiting to
   * retry, in which case nothing of the chunk may be committed.
   */
  private async settle(
    chunk: readonly KafkaMessage[],
    partition: number,
    payload: EachBatchPayload,
  ): Promise<boolean> {
    const { retryInitialMs, retryMaxMs, logger } = this.s.config;
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        await this.withHeartbeats(payload, () => this.attempt(chunk, partition));
        return true;
      } catch (error) {
        failure = error;
      }
      if (isRebalancing(failure)) this.rebalance ??= asError(failure);
      if (this.rebalance !== undefined) throw this.rebalance;
      const retryInMs = Math.min(retryInitialMs * 2 ** (attempt - 1), retryMaxMs);
      logger?.warn(
        {
          topic: this.physicalTopic,
          group: this.s.group,
          partition,
          firstOffset: chunk[0]?.offset,
          messages: chunk.length,
          attempt,
          retryInMs,
          code: codeOf(failure),
          err: messageOf(failure),
        },
        'batch failed; delivering it again after a backoff',
      );
      if (!(await this.backoff(retryInMs, payload))) return false;
    }
  }

  /** One try at a chunk: decode, hand over, dead-letter what failed for good. Throws when it should be retried. */
  private async attempt(chunk: readonly KafkaMessage[], partition: number): Promise<void> {
    const { topic, codec, config } = this.s;
    const delivered: DeliveredMessage<TopicPayloads[T]>[] = [];
    const letters: OutgoingMessage<DeadLetter>[] = [];
    const stage = config.deadLetterStages[topic];
    const failedAt = Date.now();
    // Anything but an undecodable message (the registry being down) rejects here and is worth retrying.
    const decoded = await codec.decodeAll(chunk.map((m) => m.value));
    chunk.forEach((message, i) => {
      const key = message.key === null ? '' : message.key.toString();
      const outcome = decoded[i]!;
      if (outcome.ok) {
        delivered.push({ key, value: outcome.value, position: `${partition}:${message.offset}` });
        return;
      }
      config.logger?.warn(
        {
          topic: this.physicalTopic,
          group: this.s.group,
          partition,
          offset: message.offset,
          err: outcome.error.message,
        },
        'undecodable message; sent to the dead-letter topic',
      );
      if (stage !== undefined) {
        letters.push(
          deadLetterOf({
            stage,
            key,
            version: 0,
            receivedAt: Number(message.timestamp),
            code: outcome.error.code,
            reason: `${this.physicalTopic} partition ${partition} offset ${message.offset}: ${outcome.error.message}`,
            failedAt,
          }),
        );
      }
    });
    if (delivered.length > 0) {
      try {
        await this.s.handler(delivered);
      } catch (error) {
        if (!isMosyError(error) || error.retriable) throw error;
        config.logger?.error(
          {
            topic: this.physicalTopic,
            group: this.s.group,
            partition,
            firstOffset: chunk[0]?.offset,
            messages: delivered.length,
            code: error.code,
            err: error.message,
          },
          stage === undefined
            ? 'batch failed for good; skipped'
            : 'batch failed for good; sent to the dead-letter topic',
        );
        if (stage !== undefined) {
          for (const m of delivered) {
            letters.push(
              deadLetterOf({
                stage,
                key: m.key,
                ...versionOf(topic, m.value),
                code: error.code,
                reason: error.message,
                failedAt,
              }),
            );
          }
        }
      }
    }
    if (letters.length > 0) await this.s.deadLetter(letters);
  }

  /** Runs `work` while sending heartbeats, so a slow handler does not get the member thrown out of its group. */
  private async withHeartbeats<R>(payload: EachBatchPayload, work: () => Promise<R>): Promise<R> {
    const timer = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        if (isRebalancing(error)) this.rebalance ??= asError(error);
      });
    }, this.s.config.consumer.heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Waits `ms`, heartbeating; false if the member was stopped meanwhile. A heartbeat that reports a rebalance
   * throws out of the batch, uncommitted, so that kafkajs rejoins the group in time.
   */
  private async backoff(ms: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      if (this.stopping || !payload.isRunning()) return false;
      const left = until - Date.now();
      if (left <= 0) return true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>(
          (resolve) =>
            (timer = setTimeout(resolve, Math.min(left, this.s.config.consumer.heartbeatIntervalMs))),
        ),
        this.woken,
      ]);
      clearTimeout(timer);
      if (this.stopping || !payload.isRunning()) return false;
      try {
        await payload.heartbeat();
      } catch (error) {
        if (isRebalancing(error)) this.rebalance ??= asError(error);
        throw error;
      }
    }
  }
}

/** Checks a consumer's `maxBatch`. */
export function checkMaxBatch(maxBatch: number): number {
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
    throw new MosyError('invalid-request', `maxBatch must be a positive integer, not ${maxBatch}`);
  }
  return maxBatch;
}
