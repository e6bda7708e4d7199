/**
 * Values in and out of ClickHouse SQL. In: opaque strings (record, provider, key and submission ids, key hashes)
 * may hold any character, so they never enter SQL as text: `opaqueText` writes the hex of their UTF-8 bytes through
 * `sqlLiteral` (hex digits are safe characters) and lets the server decode it with `unhex`, a constant expression
 * that ClickHouse folds before it matches the primary key (batches of ids go as temporary tables instead, see
 * `ClickHouseConnection.selectWith`). Out: JSONEachRow rows, where 64-bit integers arrive as strings; a value of
 * the wrong type is a bug in a query or a migration, reported as `internal`.
 */
import { MosyError } from '@mosy/core';
import { MAX_LITERAL_LENGTH, sqlLiteral, toCount } from '@mosy/sql';

/** Hex digits per `unhex` literal: the longest literal `sqlLiteral` takes, rounded down to whole bytes. */
const HEX_CHUNK = MAX_LITERAL_LENGTH - (MAX_LITERAL_LENGTH % 2);

/** Any string as a ClickHouse expression of the same bytes, built only from `sqlLiteral` hex literals. */
export function opaqueText(value: string): string {
  const hex = Buffer.from(value, 'utf8').toString('hex');
  if (hex.length <= HEX_CHUNK) return `unhex(${sqlLiteral(hex)})`;
  const parts: string[] = [];
  for (let start = 0; start < hex.length; start += HEX_CHUNK) {
    parts.push(`unhex(${sqlLiteral(hex.slice(start, start + HEX_CHUNK))})`);
  }
  return `concat(${parts.join(', ')})`;
}

/** A String column's value. */
export function text(value: unknown): string {
  if (typeof value !== 'string') {
    throw new MosyError('internal', `expected a string from ClickHouse, got ${typeof value}`);
  }
  return value;
}

/** A Nullable(String) column's value, undefined for NULL. */
export const optionalText = (value: unknown): string | undefined =>
  value === null ? undefined : text(value);

/** An integer column's value (64-bit integers arrive as strings) as a number. */
export const integer = (value: unknown): number => toCount(value);

/** A Nullable integer column's value, undefined for NULL. */
export const optionalInteger = (value: unknown): number | undefined =>
  value === null ? undefined : integer(value);
