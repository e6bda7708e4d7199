/**
 * Confluent's wire format of a schema-registry-encoded message: a zero magic byte, the writer schema's registry id
 * as a big-endian 32-bit integer, then the Avro binary. Readers take the id from each message, so producers with
 * different schema versions can write to one topic side by side.
 */
import { MosyError } from '@mosy/core';

export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

/** A message split into its writer schema id and Avro payload. */
export interface WireMessage {
  readonly schemaId: number;
  readonly payload: Buffer;
}

/** Writes the header for `schemaId` at the start of `buffer` (which must hold at least 5 bytes). */
export function writeHeader(buffer: Buffer, schemaId: number): void {
  buffer[0] = MAGIC_BYTE;
  buffer.writeUInt32BE(schemaId, 1);
}

/** The header followed by `payload`, as one buffer. */
export function toWire(schemaId: number, payload: Uint8Array): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  writeHeader(buffer, schemaId);
  buffer.set(payload, HEADER_BYTES);
  return buffer;
}

/** Splits a message value; throws a MosyError `undecodable-message` if it is not in the wire format. */
export function fromWire(value: Buffer | null): WireMessage {
  if (value === null) throw new MosyError('undecodable-message', 'the message has no value');
  if (value.length < HEADER_BYTES) {
    throw new MosyError(
      'undecodable-message',
      `the message has ${value.length} bytes, fewer than the 5-byte header`,
    );
  }
  if (value[0] !== MAGIC_BYTE) {
    throw new MosyError(
      'undecodable-message',
      `the message starts with byte ${value[0]}, not the magic byte 0`,
    );
  }
  return { schemaId: value.readUInt32BE(1), payload: value.subarray(HEADER_BYTES) };
}
