/**
 * Primary suppression (contract §6): a count strictly between 0 and the threshold is withheld, published as `null`
 * with the flag `c` (confidential, as in Eurostat's CONF_STATUS); zero stays 0, because "known to be none" discloses
 * nobody. This module also holds the small value types shared by every disclosure method.
 */
import { MosyError } from '../errors.js';

/** The threshold of the contract: counts 1..4 are withheld. */
export const DEFAULT_THRESHOLD = 5;

/** The flag of a withheld value. */
export const CONFIDENTIAL = 'c';

/** A value as published: the count, or `null` with the flag `c` when it is withheld. */
export interface ProtectedValue {
  readonly value: number | null;
  readonly flag?: typeof CONFIDENTIAL;
}

/** The published form of a withheld value. */
export const WITHHELD: ProtectedValue = Object.freeze({ value: null, flag: CONFIDENTIAL });

/**
 * Throws unless the threshold is an integer ≥ 1 (1 withholds nothing).
 * @throws MosyError `internal`: a configuration error.
 */
export function assertThreshold(threshold: number): void {
  if (!Number.isSafeInteger(threshold) || threshold < 1)
    throw new MosyError('internal', `The disclosure threshold must be an integer ≥ 1, not ${threshold}.`);
}

/**
 * Throws unless the value is a count: a non-negative safe integer.
 * @throws MosyError `internal`: counts come from a store, so anything else is a bug.
 */
export function assertCount(value: number, what: string | (() => string)): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new MosyError(
      'internal',
      `${typeof what === 'string' ? what : what()} must be a non-negative integer count, not ${value}.`,
    );
}

/** Whether a count must be withheld under primary suppression: 0 < value < threshold. */
export const isSensitive = (value: number, threshold: number = DEFAULT_THRESHOLD): boolean =>
  value > 0 && value < threshold;

/** Primary suppression of one count: withheld when 0 < value < threshold, else published as it is. */
export function primarySuppress(value: number, threshold: number = DEFAULT_THRESHOLD): ProtectedValue {
  assertThreshold(threshold);
  assertCount(value, 'A cell value');
  return isSensitive(value, threshold) ? WITHHELD : { value };
}
