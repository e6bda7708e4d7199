import { describe, expect, it } from 'vitest';
import { createTokenBuckets } from './token-bucket.js';

describe('token buckets', () => {
  it('allows a burst of the capacity, then asks to wait until one token has refilled', () => {
    const buckets = createTokenBuckets({ capacity: 600 });
    for (let i = 0; i < 600; i++) expect(buckets.take('a', 1_000)).toBe(0);
    // 600 a minute: one token every 100 ms, so the wait rounds up to a second.
    expect(buckets.take('a', 1_000)).toBe(1);
    expect(buckets.take('a', 1_099)).toBe(1);
    expect(buckets.take('a', 1_100)).toBe(0);
    expect(buckets.take('a', 1_100)).toBe(1);
  });

  it('says how many seconds until the next token at a slow rate', () => {
    const buckets = createTokenBuckets({ capacity: 2 });
    expect(buckets.take('k', 0)).toBe(0);
    expect(buckets.take('k', 0)).toBe(0);
    expect(buckets.take('k', 0)).toBe(30);
    expect(buckets.take('k', 20_000)).toBe(10);
    expect(buckets.take('k', 30_000)).toBe(0);
  });

  it('keeps one bucket per key: one key running out does not affect another', () => {
    const buckets = createTokenBuckets({ capacity: 3 });
    for (let i = 0; i < 3; i++) buckets.take('a', 0);
    expect(buckets.take('a', 0)).toBeGreaterThan(0);
    expect(buckets.take('b', 0)).toBe(0);
  });

  it('refills to the capacity and no further', () => {
    const buckets = createTokenBuckets({ capacity: 5 });
    buckets.take('a', 0);
    const later = 10 * 60_000;
    for (let i = 0; i < 5; i++) expect(buckets.take('a', later)).toBe(0);
    expect(buckets.take('a', later)).toBeGreaterThan(0);
  });

  it('forgets full buckets when it holds many, so memory stays bounded', () => {
    const buckets = createTokenBuckets({ capacity: 10, maxIdleBuckets: 100 });
    for (let i = 0; i < 100; i++) buckets.take(`ip-${i}`, 0);
    expect(buckets.size()).toBe(100);
    // A minute later every bucket is full again: the 101st key sweeps them.
    buckets.take('late', 60_000);
    expect(buckets.size()).toBe(1);
  });

  it('refuses a capacity that is not a whole number ≥ 1', () => {
    expect(() => createTokenBuckets({ capacity: 0 })).toThrow(RangeError);
    expect(() => createTokenBuckets({ capacity: 1.5 })).toThrow(RangeError);
  });
});
