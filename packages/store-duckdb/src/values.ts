/**
 * Reading values out of DuckDB result rows with their expected JavaScript types: a wrong type is a bug in a query
 * or a migration, reported as `internal` instead of flowing on as `[object Object]` or NaN.
 */
import { MosyError } from '@mosy/core';
import { toCount } from '@mosy/sql';

/** A VARCHAR column's value. */
export function text(value: unknown): string {
  if (typeof value !== 'string')
    throw new MosyError('internal', `expected a string from DuckDB, got ${typeof value}`);
  return value;
}

/** A nullable VARCHAR column's value, undefined for NULL. */
export const optionalText = (value: unknown): string | undefined =>
  value === null ? undefined : text(value);

/** An integer column's value (BIGINT arrives as bigint) as a number. */
export const integer = (value: unknown): number => toCount(value);

/** A nullable integer column's value, undefined for NULL. */
export const optionalInteger = (value: unknown): number | undefined =>
  value === null ? undefined : integer(value);
