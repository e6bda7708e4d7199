/**
 * How the synthetic providers write values: a vocabulary read backwards (code → the provider's value), values
 * typed with varying case and stray spaces, age bands, and optional fields.
 */
import type { RawValue } from '@mosy/core';
import type { Rng } from '../prng.js';

const inverses = new WeakMap<object, Readonly<Record<string, string>>>();

/** Inverse of a vocabulary: code → the first provider value for it. */
export function invert(table: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let inverse = inverses.get(table);
  if (inverse === undefined) {
    inverse = Object.fromEntries(
      Object.entries(table)
        .reverse()
        .map(([k, v]) => [v, k]),
    );
    inverses.set(table, inverse);
  }
  return inverse;
}

/** A provider value as people type it into a case-insensitive field: case and stray spaces vary. */
export const vary = (rng: Rng, value: string): string =>
  rng.pick([value, value, value, value.toUpperCase(), value.toLowerCase(), ` ${value} `]);

/**
 * The age band of an age in whole years. Written again here, not imported from core's `ageGroupOfAge`, on purpose:
 * the generator's ground truth must not share code with the mapping it checks, or a wrong band would agree with itself.
 */
export function ageBand(age: number): string {
  if (age < 12) return '0-11';
  if (age < 16) return '12-15';
  if (age < 18) return '16-17';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  if (age < 55) return '45-54';
  if (age < 65) return '55-64';
  return '65+';
}

/** Sets an optional field only when it has a value. */
export const setIf = (out: Record<string, RawValue>, name: string, value: RawValue | undefined): void => {
  if (value !== undefined) out[name] = value;
};
