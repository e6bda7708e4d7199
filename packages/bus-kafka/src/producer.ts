/**
 * Publishing: one idempotent kafkajs producer per bus, acks from all in-sync replicas, messages keyed so that all
 * versions of a record land on one partition in order. A publish is sent in as few produce requests as the
 * broker's size limit allows, one after the other, and resolves only when every one was acknowledged; publishes
 * are sent in the order they were called.
 */
import { MosyError } from '@mosy/core';
import kafkajs from 'kafkajs';
import type { Kafka, Producer } from 'kafkajs';
import { kafkaError } from './connection.js';
import type { KafkaBusConfig } from './options.js';

const { Partitioners } = kafkajs;

/** A message ready for Kafka: key and wire-format value. */
export interface EncodedMessage {
  readonly key: string;
  readonly value: Buffer;
}

// A record's framing in a record batch (length, attributes, deltas, header count) plus the batch header shared
// by the records of a partition, rounded up: close enough to keep a request under the broker's limit.
const RECORD_OVERHEAD_BYTES = 32;
const BATCH_OVERHEAD_BYTES = 128;

/** The estimated size of `messages` in one produce request. */
export function estimateBytes(messages: readonly EncodedMessage[]): number {
  let bytes = BATCH_OVERHEAD_BYTES;
  for (const m of messages) bytes += Buffer.byteLength(m.key) + m.value.length + RECORD_OVERHEAD_BYTES;
  return bytes;
}

interface PendingPublish {
  readonly topic: string;
  readonly messages: readonly EncodedMessage[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Splits `messages` into consecutive chunks of at most `maxBytes` (estimated wire size), keeping their order. A
 * message larger than `maxBytes` gets a chunk of its own, which the broker may refuse.
 */
export function chunkBySize(messages: readonly EncodedMessage[], maxBytes: number): EncodedMessage[][] {
  const chunks: EncodedMessage[][] = [];
  let current: EncodedMessage[] = [];
  let bytes = BATCH_OVERHEAD_BYTES;
  for (const message of messages) {
    const size = Buffer.byteLength(message.key) + message.value.length + RECORD_OVERHEAD_BYTES;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = BATCH_OVERHEAD_BYTES;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The bus's producer. */
export interface Publisher {
  /**
   * Sends `messages` to the physical `topic`; resolves once all are acknowledged by all in-sync replicas. Rejects
   * with `unavailable` when they are not within `publishTimeoutMs`, or at once when the queue is full.
   */
  send(topic: string, messages: readonly EncodedMessage[]): Promise<void>;
  /** Bytes of publishes waiting behind the one in flight (at most `maxQueuedBytes`, or one publish). */
  queuedBytes(): number;
  disconnect(): Promise<void>;
}

// The broker no longer accepts this producer's sequence numbers: after a request that failed on the client but
// was written by the broker, kafkajs rolls its sequence back and the next request is out of order. Only a new
// producer id gets the partition accepting again.
const BROKEN_PRODUCER_STATE = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

function brokenProducerState(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    depth < 10 && typeof current === 'object' && current !== null;
    depth++
  ) {
    if (BROKEN_PRODUCER_STATE.has(String((current as { type?: unknown }).type))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Connects an idempotent producer. Publishes are sent one after the other, in call order (kafkajs's idempotent
 * producer keeps one sequence number per partition and is not safe with concurrent sends); those that arrive while
 * one is in flight are sent together when they fit one request, so concurrent publishers still fill requests. A
 * request that fails rejects every publish in it. A producer whose sequence state the broker refuses is replaced
 * and the request sent once more: at least once, never lost.
 */
export async function connectPublisher(kafka: Kafka, config: KafkaBusConfig): Promise<Publisher> {
  const create = (): Producer =>
    kafka.producer({
      idempotent: true,
      // One request in flight per connection keeps a retried request from overtaking the next one.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 300, retries: config.publishRetries },
    });
  let producer = create();
  try {
    await producer.connect();
  } catch (error) {
    throw kafkaError(error, `connecting to Kafka at ${config.brokers.join(',')}`);
  }
  /** Publishes waiting for the one in flight; sent together when they fit one request (group commit). */
  const pending: PendingPublish[] = [];
  let queuedBytes = 0;
  let draining: Promise<void> | undefined;

  async function sendChunk(topic: string, chunk: EncodedMessage[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send({ topic, acks: -1, messages: chunk });
        return;
      } catch (error) {
        if (attempt > 1 || !brokenProducerState(error)) {
          throw kafkaError(error, `publishing ${chunk.length} messages to ${topic}`);
        }
        config.logger?.warn(
          { topic, messages: chunk.length, err: error instanceof Error ? error.message : String(error) },
          'producer state refused by the broker; reconnecting with a new producer id and sending again',
        );
        const broken = producer;
        producer = create();
        await broken.disconnect().catch(() => undefined);
        try {
          await producer.connect();
        } catch (connectError) {
          throw kafkaError(connectError, `reconnecting to Kafka at ${config.brokers.join(',')}`);
        }
      }
    }
  }

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const first = pending.shift()!;
      const group = [first];
      let bytes = first.bytes;
      while (
        pending[0] &&
        pending[0].topic === first.topic &&
        bytes + pending[0].bytes <= config.maxRequestBytes
      ) {
        bytes += pending[0].bytes;
        group.push(pending.shift()!);
      }
      queuedBytes -= bytes;
      const messages = group.length === 1 ? first.messages : group.flatMap((p) => p.messages);
      try {
        for (const chunk of chunkBySize(messages, config.maxRequestBytes))
          await sendChunk(first.topic, chunk);
        for (const p of group) p.resolve();
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
    // Cleared in the same tick as the emptiness check, so a publish that arrives later starts a new drain.
    draining = undefined;
  }

  return {
    send(topic, messages) {
      const bytes = estimateBytes(messages);
      if (pending.length > 0 && queuedBytes + bytes > config.maxQueuedBytes) {
        return Promise.reject(
          new MosyError(
            'unavailable',
            `Kafka is not keeping up: ${queuedBytes} bytes are already waiting to be published to ${topic}`,
          ),
        );
      }
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          // Still queued: it is never sent. In flight: its outcome no longer matters to the caller.
          const queued = pending.indexOf(entry);
          if (queued >= 0) {
            pending.splice(queued, 1);
            queuedBytes -= bytes;
          }
          reject(
            new MosyError(
              'unavailable',
              `Kafka did not acknowledge ${messages.length} messages to ${topic} within ${config.publishTimeoutMs} ms`,
            ),
          );
        }, config.publishTimeoutMs);
        const entry: PendingPublish = {
          topic,
          messages,
          bytes,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(kafkaError(error, `publishing ${messages.length} messages to ${topic}`));
          },
        };
        pending.push(entry);
        queuedBytes += bytes;
        draining ??= drain();
      });
    },
    queuedBytes: () => queuedBytes,
    async disconnect() {
      await draining;
      await producer.disconnect();
    },
  };
}
