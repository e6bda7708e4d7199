import { describe, expect, it } from 'vitest';
import { crc32, decodeFrame, FrameBatch, validFrameLength } from './frame.js';

/** An encoder with the `Serde.encodeInto` contract for raw bytes. */
const raw =
  (value: Buffer) =>
  (buffer: Buffer, offset: number): number => {
    const end = offset + value.length;
    if (end > buffer.length) return buffer.length - end;
    value.copy(buffer, offset);
    return end;
  };

describe('frames', () => {
  it('packs frames back to back and splits them again, growing the buffer for large values', () => {
    const batch = new FrameBatch(16);
    const values = [Buffer.from('small'), Buffer.alloc(100_000, 7), Buffer.alloc(0)];
    const keys = ['prov-a/r1', 'ĳssel/√ö/€', ''];
    values.forEach((value, i) => batch.add(i + 1, keys[i]!, raw(value)));
    const data = batch.data;
    expect(batch.frameLengths.reduce((a, b) => a + b, 0)).toBe(data.length);
    let offset = 0;
    batch.frameLengths.forEach((length, i) => {
      expect(validFrameLength(data, offset)).toBe(length);
      const frame = decodeFrame(data, offset, length);
      expect(frame.schemaVersion).toBe(i + 1);
      expect(frame.key).toBe(keys[i]);
      expect(frame.value.equals(values[i]!)).toBe(true);
      offset += length;
    });
  });

  it('finds no frame in a truncated, zero-filled or altered buffer', () => {
    const batch = new FrameBatch(64);
    batch.add(1, 'k', raw(Buffer.from('value')));
    const frame = Buffer.from(batch.data);
    expect(validFrameLength(frame, 0)).toBe(frame.length);
    expect(validFrameLength(frame.subarray(0, frame.length - 1), 0)).toBe(0);
    expect(validFrameLength(Buffer.alloc(64), 0)).toBe(0);
    for (let i = 4; i < frame.length; i++) {
      const altered = Buffer.from(frame);
      altered[i]! ^= 0x01;
      expect(validFrameLength(altered, 0), `byte ${i}`).toBe(0);
    }
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});
