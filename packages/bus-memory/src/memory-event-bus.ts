/**
 * `MemoryEventBus`: the EventBus port as a durable log inside the process, for the standalone deployment. Each
 * logical topic is a folder of segment files (`<dir>/<topic>/segments`) holding Avro-encoded frames, with the
 * committed offset of each consumer group beside it (`<dir>/<topic>/offsets`). Publishing resolves after fsync;
 * consumers are woken by publishes (no polling) and commit after their handler resolves, so a crash loses no
 * published message and delivers at most the uncommitted batch again. One consumer per group and topic.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DEAD_LETTER_STAGES, MosyError } from '@mosy/core';
import type { ConsumeOptions, DeadLetter, EventBus, Topic, TopicPayloads } from '@mosy/core';
import { topicSerde } from '@mosy/schemas';
import type { Serde } from '@mosy/schemas';
import { Consumer } from './consumer.js';
import type { ErrorContext } from './consumer.js';
import { lockDir } from './dir-lock.js';
import { FrameBatch } from './frame.js';
import { TopicLog, closedError } from './topic-log.js';
import type { LogStats } from './topic-log.js';

export interface MemoryEventBusOptions {
  /** The folder of the log, one sub-folder per topic; created if missing. Only one bus may open it at a time. */
  readonly dir: string;
  /** A segment file is closed and a new one started when an append would take it past this size. @defaultValue 64 MiB */
  readonly segmentBytes?: number;
  /** fsync appends and offset commits before acknowledging them. Only tests should turn it off. @defaultValue true */
  readonly fsync?: boolean;
  /**
   * A fully consumed active segment is deleted once it is at least this old, so that an idle pipeline keeps no
   * consumed message on disk. Older, fully consumed segments are deleted at once. @defaultValue 1000
   */
  readonly consumedRetentionMs?: number;
  /** Delay before the first redelivery of a batch whose handler failed; doubled on each failure. @defaultValue 200 */
  readonly retryInitialMs?: number;
  /** Cap of the redelivery delay. @defaultValue 5000 */
  readonly retryMaxMs?: number;
  /**
   * The stage named in the dead letters of each topic's consumers; a topic without one (the dead-letter topic) skips a
   * batch that failed for good. @defaultValue submissions: `normalizer`, records: `aggregator`
   */
  readonly deadLetterStages?: Partial<Record<Topic, DeadLetter['stage']>>;
  /**
   * Told about the dead letters a consumer wrote (a batch that failed for good), once they are on the dead-letter
   * topic: the runtime marks their record versions in the intake ledger. Rejecting has the batch handled again.
   * @defaultValue none
   */
  readonly onDeadLetters?: (letters: readonly DeadLetter[]) => Promise<void>;
  /**
   * Told about each handler failure (a retriable one is redelivered: `retryInMs` says when; one that failed for good
   * has none) and each background failure. @defaultValue stderr
   */
  readonly onError?: (error: unknown, context: ErrorContext) => void;
}

/** The EventBus port plus a look at each topic's log, for status pages and tests. */
export interface MemoryEventBus extends EventBus {
  stats(topic: Topic): LogStats;
}

const TOPICS: readonly Topic[] = ['submissions', 'records', 'deadletter', 'linkage'];
const DEFAULT_MAX_BATCH = 1000;

const defaultOnError = (error: unknown, context: ErrorContext): void => {
  const detail = error instanceof Error ? error.message : String(error);
  const where = context.group === undefined ? context.topic : `${context.topic}/${context.group}`;
  const retry =
    context.retryInMs !== undefined
      ? `, retrying in ${context.retryInMs} ms`
      : context.operation === 'handle'
        ? ', failed for good: not retried'
        : '';
  console.error(`[bus-memory] ${context.operation} failed on ${where}${retry}: ${detail}`);
};

/** Opens (creating) the log in `options.dir`, recovering from a crash, and returns the bus. */
export async function createMemoryEventBus(options: MemoryEventBusOptions): Promise<MemoryEventBus> {
  const fsync = options.fsync ?? true;
  const onError = options.onError ?? defaultOnError;
  const retryInitialMs = options.retryInitialMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 5000;
  const deadLetterStages = { ...DEFAULT_DEAD_LETTER_STAGES, ...options.deadLetterStages };
  await mkdir(options.dir, { recursive: true });
  const lock = await lockDir(options.dir);
  const logs = new Map<Topic, TopicLog>();
  try {
    for (const topic of TOPICS) {
      const log = await TopicLog.open({
        dir: join(options.dir, topic),
        segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
        fsync,
        consumedRetentionMs: options.consumedRetentionMs ?? 1000,
        now: Date.now,
        onBackgroundError: (error) => onError(error, { topic, operation: 'retention' }),
      });
      logs.set(topic, log);
    }
  } catch (error) {
    await Promise.all([...logs.values()].map((log) => log.close()));
    await lock.release();
    throw error;
  }
  const serdes = new Map<Topic, Serde<TopicPayloads[Topic]>>(TOPICS.map((t) => [t, topicSerde(t)]));
  const consumers = new Map<string, { stop(): Promise<void> }>();
  let closing: Promise<void> | undefined;

  const logOf = (topic: Topic): TopicLog => {
    const log = logs.get(topic);
    if (!log) throw new MosyError('invalid-request', `unknown topic "${String(topic)}"`);
    return log;
  };
  const serdeOf = <T extends Topic>(topic: T): Serde<TopicPayloads[T]> =>
    serdes.get(topic) as Serde<TopicPayloads[T]>;
  const ensureOpen = (): void => {
    if (closing) throw closedError();
  };

  const bus: MemoryEventBus = {
    async publish(topic, messages) {
      ensureOpen();
      const log = logOf(topic);
      if (messages.length === 0) return;
      const serde = serdeOf(topic);
      // Encoding first: a message that does not fit the schema fails the publish before anything is written.
      const frames = new FrameBatch(messages.length * 256);
      for (const m of messages) {
        frames.add(serde.version, m.key, (buffer, offset) => serde.encodeInto(m.value, buffer, offset));
      }
      await log.append(
        frames.data,
        frames.frameLengths,
        messages.map((m) => m.value),
      );
    },

    async consume(topic, group, handler, consumeOptions: ConsumeOptions = {}) {
      ensureOpen();
      const log = logOf(topic);
      const id = `${topic}\u0000${group}`;
      if (consumers.has(id)) {
        throw new MosyError(
          'conflict',
          `group "${group}" already has a consumer of topic "${topic}" in this process`,
        );
      }
      const maxBatch = consumeOptions.maxBatch ?? DEFAULT_MAX_BATCH;
      if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
        throw new MosyError('invalid-request', `maxBatch must be a positive integer, not ${maxBatch}`);
      }
      const consumer = new Consumer({
        topic,
        group,
        log,
        serde: serdeOf(topic),
        handler,
        maxBatch,
        retryInitialMs,
        retryMaxMs,
        onError,
        deadLetterStage: deadLetterStages[topic],
        deadLetter: async (letters) => {
          await bus.publish('deadletter', letters);
          await options.onDeadLetters?.(letters.map((letter) => letter.value));
        },
      });
      consumers.set(id, consumer);
      try {
        await consumer.start();
      } catch (error) {
        consumers.delete(id);
        throw error;
      }
      return {
        async stop() {
          await consumer.stop();
          if (consumers.get(id) === consumer) consumers.delete(id);
        },
      };
    },

    lag(topic, group) {
      return new Promise((resolve) => {
        ensureOpen();
        const log = logOf(topic);
        resolve(log.end - (log.committed(group) ?? log.start));
      });
    },

    stats(topic) {
      return logOf(topic).stats();
    },

    close() {
      closing ??= (async () => {
        await Promise.all([...consumers.values()].map((c) => c.stop()));
        consumers.clear();
        await Promise.all([...logs.values()].map((log) => log.close()));
        await lock.release();
      })();
      return closing;
    },
  };
  return bus;
}
