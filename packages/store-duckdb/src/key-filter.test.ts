// The write-behind ledger's filter of accepted keys: never a false "absent", and rarely a false "present".
import { describe, expect, it } from 'vitest';
import { KeyFilter } from './key-filter.js';

describe('KeyFilter', () => {
  it('has every key added, per provider, with ids of any characters', () => {
    const filter = new KeyFilter(10_000);
    const keys = Array.from({ length: 10_000 }, (_, i) => [`prov-${i % 7}`, `rec|${i}:é😀`] as const);
    for (const [p, r] of keys) filter.add(p, r);
    expect(keys.every(([p, r]) => filter.mightHave(p, r))).toBe(true);
  });

  it('answers about 1 % of keys never added as present at its capacity, and not a key split differently', () => {
    const filter = new KeyFilter(20_000);
    for (let i = 0; i < 20_000; i++) filter.add('prov-a', `r${i}`);
    let falsePositives = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightHave('prov-a', `other-${i}`)) falsePositives++;
    // Expected 0.8–1.2 % with 7 probes at 9.6 bits per key; 3 % would mean the hashes are not spreading.
    expect(falsePositives).toBeLessThan(3_000);
    expect(filter.mightHave('prov-b', 'r1')).toBe(false);
    expect(new KeyFilter(10).mightHave('a', 'b')).toBe(false);
  });

  it('grows past its capacity, keeping every key and its false positives low', () => {
    // Sized for 1 000 keys, given 31 000: without growing, nearly every key never added would read as present.
    const filter = new KeyFilter(1_000);
    for (let i = 0; i < 31_000; i++) filter.add('prov-a', `r${i}`);
    let missing = 0;
    for (let i = 0; i < 31_000; i++) if (!filter.mightHave('prov-a', `r${i}`)) missing++;
    expect(missing).toBe(0);
    let falsePositives = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightHave('prov-a', `other-${i}`)) falsePositives++;
    // At most about 2 % in all (1 % + 0.5 % + …); a single filter of 1 000 keys would answer nearly all 100 000.
    expect(falsePositives).toBeLessThan(3_000);
  });
});
