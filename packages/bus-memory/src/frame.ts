/**
 * The on-disk frame of one message in a segment file. A frame is `u32 bodyLength | u32 crc32(body) | body`, and
 * the body is `u16 schemaVersion | u32 keyLength | key (UTF-8) | value (Avro binary)`, all big-endian. The CRC lets
 * recovery tell a complete frame from the torn tail of a write interrupted by a crash; the schema version lets a
 * newer reader resolve values written by an older one.
 */
import * as zlib from 'node:zlib';

export const FRAME_HEADER_BYTES = 8;
const BODY_HEADER_BYTES = 6;
/** A length above this is garbage, not a message: no message is anywhere near it. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function tableCrc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// A namespace import, because a named import of a missing export fails at link time on Node < 20.15.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 (IEEE); zlib's native one where Node has it (20.15+), else a table-driven fallback. */
export const crc32: (data: Uint8Array) => number = nativeCrc32 ?? tableCrc32;

/**
 * Frames of a batch of messages, packed into one growing buffer as they are added: one write to the file, and no
 * per-message buffer (encoding is most of a publish's CPU time).
 */
export class FrameBatch {
  private buffer: Buffer;
  private used = 0;
  /** Length of each frame, in order. */
  readonly frameLengths: number[] = [];

  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(expectedBytes, 4096));
  }

  /** All frames added so far (a view, not a copy). */
  get data(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  /**
   * Adds a frame; `encodeValue` writes the value into the buffer at an offset and returns the end offset, or minus
   * the bytes missing (the contract of `Serde.encodeInto`), in which case the buffer grows and it is called again.
   */
  add(schemaVersion: number, key: string, encodeValue: (buffer: Buffer, offset: number) => number): void {
    const start = this.used;
    const bodyStart = start + FRAME_HEADER_BYTES;
    const keyStart = bodyStart + BODY_HEADER_BYTES;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    this.reserve(keyStart + key.length * 3 + 64);
    const keyLength = this.buffer.write(key, keyStart, 'utf8');
    const valueStart = keyStart + keyLength;
    let end = encodeValue(this.buffer, valueStart);
    while (end < 0) {
      this.reserve(this.buffer.length - end, valueStart);
      end = encodeValue(this.buffer, valueStart);
    }
    const body = this.buffer.subarray(bodyStart, end);
    this.buffer.writeUInt32BE(end - bodyStart, start);
    this.buffer.writeUInt16BE(schemaVersion, bodyStart);
    this.buffer.writeUInt32BE(keyLength, bodyStart + 2);
    this.buffer.writeUInt32BE(crc32(body), start + 4);
    this.frameLengths.push(end - start);
    this.used = end;
  }

  /** Grows the buffer to at least `bytes`, keeping its first `keep` bytes (default: the frames so far). */
  private reserve(bytes: number, keep = this.used): void {
    if (bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(bytes, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, keep);
    this.buffer = grown;
  }
}

/**
 * The length of the valid frame starting at `offset` of `buffer`, or 0 if there is none: the buffer ends first,
 * the length is implausible, or the CRC does not match (a torn or zero-filled tail).
 */
export function validFrameLength(buffer: Buffer, offset: number): number {
  if (buffer.length - offset < FRAME_HEADER_BYTES) return 0;
  const bodyLength = buffer.readUInt32BE(offset);
  // A zero-filled tail would otherwise pass: the CRC of an empty body is 0.
  if (bodyLength < BODY_HEADER_BYTES || bodyLength > MAX_BODY_BYTES) return 0;
  const end = offset + FRAME_HEADER_BYTES + bodyLength;
  if (end > buffer.length) return 0;
  const body = buffer.subarray(offset + FRAME_HEADER_BYTES, end);
  if (crc32(body) !== buffer.readUInt32BE(offset + 4)) return 0;
  const keyLength = body.readUInt32BE(2);
  if (BODY_HEADER_BYTES + keyLength > bodyLength) return 0;
  return FRAME_HEADER_BYTES + bodyLength;
}

export interface DecodedFrame {
  readonly schemaVersion: number;
  readonly key: string;
  /** A view into the frame's buffer, not a copy. */
  readonly value: Buffer;
}

/** Splits a frame already checked by `validFrameLength`. */
export function decodeFrame(buffer: Buffer, offset: number, length: number): DecodedFrame {
  const body = offset + FRAME_HEADER_BYTES;
  const keyLength = buffer.readUInt32BE(body + 2);
  const keyStart = body + BODY_HEADER_BYTES;
  return {
    schemaVersion: buffer.readUInt16BE(body),
    key: buffer.toString('utf8', keyStart, keyStart + keyLength),
    value: buffer.subarray(keyStart + keyLength, offset + length),
  };
}
