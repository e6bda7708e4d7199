/**
 * Encoding and decoding the messages of one topic with Avro and the schema registry. Writing uses `@mosy/schemas`'
 * serde of the configured schema version (its TypeScript-to-Avro conversion validates the value) and the id that
 * version got when registered at start. Reading takes the writer schema from the registry by the id in the message
 * and resolves it to the latest schema of the subject, so messages written by older producers decode into today's
 * shape; the serde's Avro-to-TypeScript conversion then checks what the types promise.
 */
import { MosyError } from '@mosy/core';
import type { Topic, TopicPayloads } from '@mosy/core';
import { TOPIC_SUBJECTS, loadSchema, topicSerde } from '@mosy/schemas';
import type avro from 'avsc';
import type { SchemaRegistryClient } from './schema-registry.js';
import { valueSubject } from './schema-registry.js';
import { HEADER_BYTES, fromWire, writeHeader } from './wire-format.js';
import type { WireMessage } from './wire-format.js';

/** The Avro codec of one topic. */
export interface TopicCodec<T> {
  /** The registry id of the schema this codec writes. */
  readonly schemaId: number;
  /** The schema version (of `schemas/avro/<subject>/`) this codec writes. */
  readonly writerVersion: number;
  /** The wire-format bytes of `value`; throws a MosyError `internal` if the value does not fit the schema. */
  encode(value: T): Buffer;
  /**
   * The value of a message. Rejects with `undecodable-message` for bytes that are not a message of this topic
   * (bad header, unknown schema id, corrupt Avro), with `unavailable` when the registry cannot be asked.
   */
  decode(value: Buffer | null): Promise<T>;
  /** `encode` of each value, packed into shared buffers (one allocation per ~64 KiB rather than per message). */
  encodeAll(values: readonly T[]): Buffer[];
  /**
   * `decode` of each value, with an outcome per value: the registry is asked once per unknown schema id, the rest
   * is synchronous. Rejects only when the registry cannot be asked (`unavailable`), which is worth a retry.
   */
  decodeAll(values: readonly (Buffer | null)[]): Promise<Decoded<T>[]>;
}

/** The outcome of decoding one message. */
export type Decoded<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: MosyError };

export interface TopicCodecOptions<T extends Topic> {
  readonly topic: T;
  /** The physical topic, whose `<name>-value` subject the schema is registered under. */
  readonly physicalTopic: string;
  readonly registry: SchemaRegistryClient;
  /** @defaultValue the latest version of the topic's subject */
  readonly writerVersion?: number;
}

type Reader<T> = (payload: Buffer) => T;

// Encoded messages are packed into buffers of this size.
const PACK_BYTES = 64 * 1024;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Registers the writer schema of `options.topic` and returns its codec. */
export async function createTopicCodec<T extends Topic>(
  options: TopicCodecOptions<T>,
): Promise<TopicCodec<TopicPayloads[T]>> {
  const { topic, registry } = options;
  const writer = topicSerde(
    topic,
    options.writerVersion === undefined ? {} : { version: options.writerVersion },
  );
  const reader = topicSerde(topic);
  const readerType = loadSchema(TOPIC_SUBJECTS[topic], reader.version).type;
  const schemaId = await registry.register(
    valueSubject(options.physicalTopic),
    loadSchema(TOPIC_SUBJECTS[topic], writer.version).schema,
  );
  const readers = new Map<number, Reader<TopicPayloads[T]>>();

  async function readerFor(id: number): Promise<Reader<TopicPayloads[T]>> {
    const cached = readers.get(id);
    if (cached) return cached;
    const writerType = await registry.writerType(id);
    let resolver: avro.Resolver | undefined;
    try {
      if (typeof writerType.createResolver !== 'function') throw new Error('it is not an Avro schema');
      resolver = writerType.equals(readerType) ? undefined : readerType.createResolver(writerType);
    } catch (error) {
      throw new MosyError(
        'undecodable-message',
        `schema id ${id} cannot be read as ${reader.subject} v${reader.version}: ${messageOf(error)}`,
        { cause: error },
      );
    }
    const read: Reader<TopicPayloads[T]> = (payload) => {
      try {
        return reader.fromAvro(readerType.fromBuffer(payload, resolver));
      } catch (error) {
        if (error instanceof MosyError && error.code === 'undecodable-message') throw error;
        throw new MosyError(
          'undecodable-message',
          `cannot decode ${reader.subject} (schema id ${id}): ${messageOf(error)}`,
          { cause: error },
        );
      }
    };
    readers.set(id, read);
    return read;
  }

  /** Encodes `value` with its header into `buffer` at `offset`; the end offset, or negative if it does not fit. */
  const encodeAt = (value: TopicPayloads[T], buffer: Buffer, offset: number): number => {
    if (buffer.length < offset + HEADER_BYTES) return -HEADER_BYTES;
    const end = writer.encodeInto(value, buffer, offset + HEADER_BYTES);
    if (end >= 0) writeHeader(buffer.subarray(offset), schemaId);
    return end;
  };

  const encodeAll = (values: readonly TopicPayloads[T][]): Buffer[] => {
    const out: Buffer[] = [];
    let buffer = Buffer.allocUnsafe(PACK_BYTES);
    let offset = 0;
    for (const value of values) {
      let end = encodeAt(value, buffer, offset);
      if (end < 0) {
        // A new buffer for the rest; earlier messages keep theirs.
        buffer = Buffer.allocUnsafe(Math.max(PACK_BYTES, 2 * (buffer.length - offset - end)));
        offset = 0;
        end = encodeAt(value, buffer, 0);
        while (end < 0) {
          buffer = Buffer.allocUnsafe(2 * (buffer.length - end));
          end = encodeAt(value, buffer, 0);
        }
      }
      out.push(buffer.subarray(offset, end));
      offset = end;
    }
    return out;
  };

  const decodeAll = async (values: readonly (Buffer | null)[]): Promise<Decoded<TopicPayloads[T]>[]> => {
    const wires = values.map((value): WireMessage | MosyError => {
      try {
        return fromWire(value);
      } catch (error) {
        return error as MosyError;
      }
    });
    const ids = new Set<number>();
    for (const wire of wires)
      if (!(wire instanceof MosyError) && !readers.has(wire.schemaId)) ids.add(wire.schemaId);
    const unknown = new Map<number, MosyError>();
    for (const id of ids) {
      try {
        await readerFor(id);
      } catch (error) {
        if (!(error instanceof MosyError) || error.code !== 'undecodable-message') throw error;
        unknown.set(id, error);
      }
    }
    return wires.map((wire) => {
      if (wire instanceof MosyError) return { ok: false, error: wire };
      const read = readers.get(wire.schemaId);
      if (!read) return { ok: false, error: unknown.get(wire.schemaId)! };
      try {
        return { ok: true, value: read(wire.payload) };
      } catch (error) {
        return { ok: false, error: error as MosyError };
      }
    });
  };

  return {
    schemaId,
    writerVersion: writer.version,
    encode: (value) => encodeAll([value])[0]!,
    encodeAll,
    async decode(value) {
      const [decoded] = await decodeAll([value]);
      if (!decoded!.ok) throw decoded!.error;
      return decoded!.value;
    },
    decodeAll,
  };
}
