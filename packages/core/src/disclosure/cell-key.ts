/**
 * Cell keys for the cell key method (ABS; contract §6). Every record has a record key, uniform in [0, 2^32) and
 * fixed for the record (`NormalizedRecord.recordKey`); every person a person key number, the first 32 bits of the
 * SHA-256 of the person key. A cell's key sum is the sum of the keys of what it counts (records, or distinct
 * persons) modulo 2^32, and its cell key that sum over 2^32, in [0, 1). The same set of records or persons always
 * gets the same cell key, whichever query reached it, so the perturbation it selects is the same too. A sum of
 * independent uniform keys modulo 2^32 is uniform, so cell keys are uniform even for a cell of one record.
 */
import { createHash } from 'node:crypto';
import { MosyError } from '../errors.js';

/** Keys are 32-bit: 2^32 distinct values. */
export const KEY_SPACE = 2 ** 32;

const assertKey = (key: number): void => {
  if (!Number.isSafeInteger(key) || key < 0 || key >= KEY_SPACE)
    throw new MosyError('internal', `A cell key component must be an integer in [0, 2^32), not ${key}.`);
};

/**
 * The person key number of a person key: the first 4 bytes, big-endian, of SHA-256 over its UTF-8 bytes. Stable
 * across releases and runtimes (a store may compute it in SQL, e.g. from `sha256(person_key)`), and uniform
 * because person keys are keyed HMACs that nobody outside the deployment can choose.
 */
export function personKeyNumber(personKey: string): number {
  return createHash('sha256').update(personKey, 'utf8').digest().readUInt32BE(0);
}

/** The key sum of a cell: the sum of its keys modulo 2^32 (each key an integer in [0, 2^32)). */
export function keySumOf(keys: Iterable<number>): number {
  let sum = 0;
  for (const key of keys) {
    assertKey(key);
    // Reducing at each step keeps the sum below 2^33, exact in a double.
    sum = (sum + key) % KEY_SPACE;
  }
  return sum;
}

/** Adds two key sums (e.g. of disjoint parts of one cell); the result is the key sum of the union. */
export function addKeySums(a: number, b: number): number {
  assertKey(a);
  assertKey(b);
  return (a + b) % KEY_SPACE;
}

/** The cell key in [0, 1) of a key sum in [0, 2^32). */
export function cellKeyOf(keySum: number): number {
  assertKey(keySum);
  return keySum / KEY_SPACE;
}
