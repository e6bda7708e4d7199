/**
 * Similarity of two linkage encodings: the Dice coefficient of their bit vectors, 2·|A∧B| / (|A| + |B|), computed
 * word by word on `Uint32Array`s with a branch-free popcount. The bit counts of each vector are stored with it, so a
 * comparison costs one AND and one popcount per 32-bit word (16 words for the 512-bit encoding).
 */

/** The number of set bits of a 32-bit word (the SWAR popcount). */
export function popcount32(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The number of set bits of a vector. */
export function popcount(bits: Uint32Array): number {
  let count = 0;
  for (const word of bits) count += popcount32(word);
  return count;
}

/**
 * Dice coefficient of `words` words of `a` from `aOffset` and of `b` from `bOffset`, given their bit counts; 0 when
 * both are empty. Offsets let the index compare against vectors packed in one large array.
 */
export function diceAt(
  a: Uint32Array,
  aOffset: number,
  aCount: number,
  b: Uint32Array,
  bOffset: number,
  bCount: number,
  words: number,
): number {
  const total = aCount + bCount;
  if (total === 0) return 0;
  let common = 0;
  for (let i = 0; i < words; i++) common += popcount32(a[aOffset + i]! & b[bOffset + i]!);
  return (2 * common) / total;
}

/** Dice coefficient of two bit vectors of the same length. */
export function dice(a: Uint32Array, b: Uint32Array): number {
  return diceAt(a, 0, popcount(a), b, 0, popcount(b), Math.min(a.length, b.length));
}
