import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { fromWire, toWire } from './wire-format.js';

describe('Confluent wire format', () => {
  it('writes the magic byte, the id big-endian and the payload', () => {
    const wire = toWire(0x01020304, Buffer.from([9, 8, 7]));
    expect([...wire]).toEqual([0, 1, 2, 3, 4, 9, 8, 7]);
    const { schemaId, payload } = fromWire(wire);
    expect(schemaId).toBe(0x01020304);
    expect([...payload]).toEqual([9, 8, 7]);
  });

  it('reads ids above 2^31 and an empty payload', () => {
    const { schemaId, payload } = fromWire(toWire(4_000_000_000, Buffer.alloc(0)));
    expect(schemaId).toBe(4_000_000_000);
    expect(payload.length).toBe(0);
  });

  it.each([
    ['no value', null, 'the message has no value'],
    ['a short value', Buffer.from([0, 0, 0, 1]), 'the message has 4 bytes, fewer than the 5-byte header'],
    [
      'another magic byte',
      Buffer.from([1, 0, 0, 0, 1, 2]),
      'the message starts with byte 1, not the magic byte 0',
    ],
  ])('refuses %s as undecodable', (_what, value, message) => {
    let caught: unknown;
    try {
      fromWire(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MosyError);
    expect(caught).toMatchObject({ code: 'undecodable-message', retriable: false, message });
  });
});
