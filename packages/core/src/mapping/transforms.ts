/**
 * The built-in conversions a mapping rule can apply to a source value before its `values` table (mapping/format.ts):
 * `age` (age in whole years → age group), `birthYear` (year of birth → age group in the reference year), `birthDate`
 * (a date of birth, read as its year), `upper` and `isoToNuts` (ISO country → NUTS country code, `GR` → `EL`). A conversion either yields a string or says why it
 * cannot, in words the provider can act on.
 *
 * `birthYear` approximates the age as reference year − birth year, i.e. the age the person reaches during the
 * reference year; for a record dated before the person's birthday that year it is one year too high, and it is the
 * best a year of birth allows. `birthDate` reads a full date of birth (the formats of the identity's `dateOfBirth`:
 * `YYYY-MM-DD`, `DD/MM/YYYY`, …): with a reference date to the day it gives the exact age on that day (born
 * 2006-12-31, dated 2024-05-01: 17, a child), with a reference date to the month, quarter or year the age reached
 * during its year, as `birthYear`.
 */
import type { AgeGroup } from '../taxonomy/codes.js';
import { normalizeDateOfBirth } from '../pseudonym/identity.js';
import { isoToNutsCountry } from '../taxonomy/nuts.js';

export type TransformName = 'age' | 'birthYear' | 'birthDate' | 'upper' | 'isoToNuts';
export const TRANSFORMS: readonly TransformName[] = ['age', 'birthYear', 'birthDate', 'upper', 'isoToNuts'];

/** Oldest plausible age in years; anything above is a data error, not a person. */
export const MAX_AGE = 120;

/** The age band of an age in whole years (0–120): 0-11, 12-15, 16-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65+. */
export function ageGroupOfAge(age: number): AgeGroup {
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

/** The result of a conversion: the converted value, or why the source value cannot be converted. */
export type TransformResult = { readonly value: string } | { readonly problem: string };

const WHOLE_NUMBER = /^\s*-?\d{1,9}\s*$/;

/**
 * Applies a conversion to one source value (a string, or the string form of a number).
 * @param context.referenceYear The year of the record's reference date, for `birthYear`.
 * @param context.referenceDate The record's reference date, for `birthDate`'s exact age when it is a day.
 */
export function applyTransform(
  name: TransformName,
  value: string,
  context: { readonly referenceYear: number; readonly referenceDate?: string },
): TransformResult {
  switch (name) {
    case 'upper':
      return { value: value.toUpperCase() };
    case 'isoToNuts':
      return { value: isoToNutsCountry(value.trim().toUpperCase()) };
    case 'age': {
      if (!WHOLE_NUMBER.test(value)) return { problem: `"${shown(value)}" is not an age in whole years` };
      const age = Number(value);
      if (age < 0) return { problem: `${age} is not a plausible age (0–${MAX_AGE})` };
      if (age > MAX_AGE) return { problem: `${age} is not a plausible age (0–${MAX_AGE})` };
      return { value: ageGroupOfAge(age) };
    }
    case 'birthDate': {
      // A date of birth is identity: its problems never quote it (they land in stored receipts).
      const date = normalizeDateOfBirth(value);
      if (date === undefined) return { problem: 'is not a date of birth (YYYY-MM-DD or DD/MM/YYYY)' };
      const on = context.referenceDate;
      const day = on !== undefined && FULL_DATE.test(on) ? on : undefined;
      const age = day === undefined ? context.referenceYear - Number(date.slice(0, 4)) : exactAge(date, day);
      if (age < 0)
        return { problem: `the date of birth is after the reference ${day === undefined ? 'year' : 'date'}` };
      if (age > MAX_AGE) return { problem: `the date of birth gives an age of more than ${MAX_AGE}` };
      return { value: ageGroupOfAge(age) };
    }
    case 'birthYear': {
      if (!/^\s*\d{4}\s*$/.test(value)) return { problem: `"${shown(value)}" is not a year of birth (YYYY)` };
      const age = context.referenceYear - Number(value);
      if (age < 0)
        return {
          problem: `year of birth ${value.trim()} is after the reference year ${context.referenceYear}`,
        };
      if (age > MAX_AGE)
        return {
          problem: `year of birth ${value.trim()} gives an age of ${age} in ${context.referenceYear} (more than ${MAX_AGE})`,
        };
      return { value: ageGroupOfAge(age) };
    }
  }
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whole years from `born` to `on` (both `YYYY-MM-DD`): negative when born after that day. */
function exactAge(born: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(born.slice(0, 4));
  // `MM-DD` compares as text; a 29 February birthday is reached on 1 March in other years.
  return on.slice(5) < born.slice(5) ? years - 1 : years;
}

const shown = (value: string): string => (value.length > 32 ? `${value.slice(0, 32)}…` : value);
