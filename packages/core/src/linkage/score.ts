/**
 * The linkage score of two encodings, from the Dice coefficients of their two parts (encoding.ts): the name part and
 * the date-of-birth part weigh half each when both records have a date of birth, so the same name with another
 * birthday (about 0.45 on the date part by chance overlap of folded bits) stays well below the link threshold, and
 * a typo in the name with the same birthday stays above it. When either date is missing the score is the name Dice
 * scaled by 0.95: a name alone must match nearly exactly to link, since a name is shared by more people than a name
 * and a birthday are.
 */
import { DOB_WORDS, NAME_WORDS } from './encoding.js';
import { diceAt, popcount32 } from './similarity.js';

const NAME_WEIGHT = 0.5;
const NAME_ONLY_FACTOR = 0.95;

/** Set bits of the name part and of the date-of-birth part of the encoding at `offset` in `bits`. */
export function partCounts(bits: Uint32Array, offset = 0): readonly [number, number] {
  let name = 0;
  let dob = 0;
  for (let i = 0; i < NAME_WORDS; i++) name += popcount32(bits[offset + i]!);
  for (let i = NAME_WORDS; i < NAME_WORDS + DOB_WORDS; i++) dob += popcount32(bits[offset + i]!);
  return [name, dob];
}

/** The score of the encodings at `aOffset` in `a` and `bOffset` in `b`, given their part counts. */
export function scoreAt(
  a: Uint32Array,
  aOffset: number,
  aCounts: readonly [number, number],
  b: Uint32Array,
  bOffset: number,
  bCounts: readonly [number, number],
): number {
  const name = diceAt(a, aOffset, aCounts[0], b, bOffset, bCounts[0], NAME_WORDS);
  if (aCounts[1] === 0 || bCounts[1] === 0) return NAME_ONLY_FACTOR * name;
  const dob = diceAt(a, aOffset + NAME_WORDS, aCounts[1], b, bOffset + NAME_WORDS, bCounts[1], DOB_WORDS);
  return NAME_WEIGHT * name + (1 - NAME_WEIGHT) * dob;
}

/** The linkage score of two encodings, in [0, 1]. */
export function linkageScore(a: Uint32Array, b: Uint32Array): number {
  return scoreAt(a, 0, partCounts(a), b, 0, partCounts(b));
}
