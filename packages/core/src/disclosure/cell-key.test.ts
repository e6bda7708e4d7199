import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_SPACE, addKeySums, cellKeyOf, keySumOf, personKeyNumber } from './cell-key.js';

const recordKey = fc.integer({ min: 0, max: KEY_SPACE - 1 });

describe('cell keys', () => {
  it('reads the person key number as the first 32 bits of SHA-256 (published test vectors)', () => {
    // SHA-256("") = e3b0c442…, SHA-256("abc") = ba7816bf… (FIPS 180-2 examples).
    expect(personKeyNumber('')).toBe(0xe3b0c442);
    expect(personKeyNumber('abc')).toBe(0xba7816bf);
    expect(personKeyNumber('p:00')).toBe(personKeyNumber('p:00'));
  });

  it('sums keys modulo 2^32, exactly', () => {
    expect(keySumOf([])).toBe(0);
    expect(keySumOf([KEY_SPACE - 1, 1])).toBe(0);
    expect(keySumOf([KEY_SPACE - 1, KEY_SPACE - 1, 5])).toBe(3);
    expect(cellKeyOf(KEY_SPACE / 4)).toBe(0.25);
    expect(cellKeyOf(KEY_SPACE - 1)).toBeLessThan(1);
    expect(() => keySumOf([KEY_SPACE])).toThrow(/\[0, 2\^32\)/);
    expect(() => keySumOf([-1])).toThrow(/\[0, 2\^32\)/);
    expect(() => cellKeyOf(0.5)).toThrow(/\[0, 2\^32\)/);
  });

  it('gives the same key to the same set of records, in any order and however it is split', () => {
    fc.assert(
      fc.property(fc.array(recordKey, { maxLength: 200 }), fc.nat(), (keys, cut) => {
        const at = keys.length === 0 ? 0 : cut % keys.length;
        const sum = keySumOf(keys);
        expect(keySumOf([...keys].reverse())).toBe(sum);
        expect(addKeySums(keySumOf(keys.slice(0, at)), keySumOf(keys.slice(at)))).toBe(sum);
        // Independent reference: BigInt arithmetic.
        expect(sum).toBe(Number(keys.reduce((s, k) => s + BigInt(k), 0n) % BigInt(KEY_SPACE)));
        const key = cellKeyOf(sum);
        expect(key).toBeGreaterThanOrEqual(0);
        expect(key).toBeLessThan(1);
      }),
    );
  });

  it('spreads person key numbers evenly over [0, 2^32)', () => {
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) buckets[Math.floor(personKeyNumber(`p:${i}`) / 2 ** 28)]! += 1;
    // 1000 expected per bucket; 6 standard deviations (≈ 184) either way.
    for (const n of buckets) expect(Math.abs(n - 1000)).toBeLessThan(184);
  });
});
