/**
 * One consumer group's consumer of one topic in the memory bus: fetch a batch from the log, hand it to the handler,
 * commit, repeat; sleep until the next publish when caught up. The port's failure policy: a handler that fails with a
 * retriable error (or anything but a MosyError) gets the same batch again after a backoff, never skipping; one that
 * fails for good (a non-retriable MosyError) has its batch sent to the dead-letter topic with the reason, and the
 * consumer moves on. The next batch is read while a commit is being written, since the commit's fsync is a
 * consumer's longest wait.
 */
import { deadLetterOf, isMosyError, versionOf } from '@mosy/core';
import type { DeadLetter, DeliveredMessage, OutgoingMessage, Topic, TopicPayloads } from '@mosy/core';
import type { Serde } from '@mosy/schemas';
import type { TopicLog } from './topic-log.js';

/** What a failure report tells about where it happened. */
export interface ErrorContext {
  readonly topic: Topic;
  readonly operation: 'handle' | 'read' | 'commit' | 'retention';
  readonly group?: string;
  /** Failed attempts so far at this batch. */
  readonly attempt?: number;
  /** When the batch is tried again. */
  readonly retryInMs?: number;
}

export interface ConsumerOptions<T extends Topic> {
  readonly topic: T;
  readonly group: string;
  readonly log: TopicLog;
  readonly serde: Serde<TopicPayloads[T]>;
  readonly handler: (batch: readonly DeliveredMessage<TopicPayloads[T]>[]) => Promise<void>;
  readonly maxBatch: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly onError: (error: unknown, context: ErrorContext) => void;
  /** The stage of this topic's dead letters; none (the dead-letter topic): a batch that failed for good is skipped. */
  readonly deadLetterStage: DeadLetter['stage'] | undefined;
  /** Publishes dead letters; resolves once they are durable. */
  readonly deadLetter: (letters: readonly OutgoingMessage<DeadLetter>[]) => Promise<void>;
}

export class Consumer<T extends Topic> {
  private next = 0;
  private stopping = false;
  /** Ends the current wait (for a publish, or before a retry) early; set while waiting. */
  private wake: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly o: ConsumerOptions<T>) {}

  async start(): Promise<void> {
    this.next = await this.o.log.register(this.o.group);
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    // The next batch, read while the previous one's commit is written (a commit waits for an fdatasync).
    let ahead: Promise<{ readonly value: DeliveredMessage<TopicPayloads[T]>[] } | undefined> | undefined;
    while (!this.stopping) {
      if (ahead === undefined && this.next >= this.o.log.end) {
        await this.waitUntil((wake) => this.o.log.onNextAppend(wake));
        continue;
      }
      const from = this.next;
      const batch = await (ahead ?? this.untilDone('read', () => this.fetch(from)));
      ahead = undefined;
      // A batch fetched while stopping is not handed over: stop means no new batch.
      if (batch === undefined || this.stopping) return;
      if ((await this.untilDone('handle', () => this.handle(batch.value))) === undefined) return;
      const next = from + batch.value.length;
      if (next < this.o.log.end) ahead = this.untilDone('read', () => this.fetch(next));
      if ((await this.untilDone('commit', () => this.o.log.commit(this.o.group, next))) === undefined) {
        await ahead;
        return;
      }
      this.next = next;
    }
  }

  /**
   * One try at a batch: throws what should be retried; a failure for good is reported and dead-lettered (or, on the
   * dead-letter topic, skipped), after which the batch counts as done.
   */
  private async handle(batch: readonly DeliveredMessage<TopicPayloads[T]>[]): Promise<void> {
    try {
      await this.o.handler(batch);
    } catch (error) {
      if (!isMosyError(error) || error.retriable) throw error;
      this.o.onError(error, { topic: this.o.topic, group: this.o.group, operation: 'handle' });
      const stage = this.o.deadLetterStage;
      if (stage === undefined) return;
      const failedAt = Date.now();
      await this.o.deadLetter(
        batch.map((m) =>
          deadLetterOf({
            stage,
            key: m.key,
            ...versionOf(this.o.topic, m.value),
            code: error.code,
            reason: error.message,
            failedAt,
          }),
        ),
      );
    }
  }

  private async fetch(from: number): Promise<DeliveredMessage<TopicPayloads[T]>[]> {
    const frames = await this.o.log.read(from, this.o.maxBatch);
    return frames.map((frame, i) => ({
      key: frame.key,
      // What this process published a moment ago is still in memory: decoding its bytes would give an equal value.
      value:
        (this.o.log.recentValue(from + i) as TopicPayloads[T] | undefined) ??
        this.o.serde.decode(frame.value, frame.schemaVersion),
      position: String(from + i),
    }));
  }

  /**
   * Runs `step` until it succeeds, backing off after each failure (never skipping ahead), and returns its result;
   * undefined if the consumer was stopped while waiting to retry. A step in progress is never interrupted, which
   * is how `stop` lets the batch in hand finish and commit.
   */
  private async untilDone<R>(
    operation: ErrorContext['operation'],
    step: () => Promise<R>,
  ): Promise<{ readonly value: R } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { value: await step() };
      } catch (error) {
        const retryInMs = Math.min(this.o.retryInitialMs * 2 ** (attempt - 1), this.o.retryMaxMs);
        this.o.onError(error, { topic: this.o.topic, group: this.o.group, operation, attempt, retryInMs });
        if (this.stopping) return undefined;
        let timer: NodeJS.Timeout | undefined;
        await this.waitUntil((wake) => (timer = setTimeout(wake, retryInMs)));
        clearTimeout(timer);
        if (this.stopping) return undefined;
      }
    }
  }

  /**
   * Waits until `arm`'s callback is called or the consumer is stopped. One callback per wait, rather than a race
   * with a long-lived "stopped" promise, which would collect a reaction for every wait of a long-running consumer.
   */
  private async waitUntil(arm: (wake: () => void) => void): Promise<void> {
    if (this.stopping) return;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      arm(resolve);
    });
    this.wake = undefined;
  }
}
