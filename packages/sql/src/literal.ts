/**
 * The one way a value enters generated SQL. `sqlLiteral` accepts only a small whitelist of characters (ASCII
 * letters, digits, space and `_ - + . : /`) and wraps the value in single quotes; anything else is refused with
 * `invalid-query`. Because no accepted value can contain a quote, a backslash or a control character, there is
 * nothing to escape, so the same literal means the same thing in DuckDB and in every ClickHouse version, and no
 * input can leave its literal. Identifiers never come from input: columns come from a fixed map, and table names
 * pass `sqlIdentifier`.
 */
import { MosyError } from '@mosy/core';

/** The characters a literal may contain. */
export const SAFE_LITERAL_PATTERN = /^[A-Za-z0-9 _\-+.:/]*$/;

/** Longest accepted literal: codes, ids and dates are short; a longer value is a mistake or an attack. */
export const MAX_LITERAL_LENGTH = 256;

const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** `value` as a quoted SQL string literal. Throws `invalid-query` unless it uses only safe characters. */
export function sqlLiteral(value: string): string {
  if (typeof value !== 'string' || value.length > MAX_LITERAL_LENGTH || !SAFE_LITERAL_PATTERN.test(value)) {
    throw new MosyError(
      'invalid-query',
      `value not allowed in a query: only letters, digits, space and _ - + . : / (at most ${MAX_LITERAL_LENGTH})`,
    );
  }
  return `'${value}'`;
}

/** A table name (optionally `database.table`) checked to be a plain identifier; returned unchanged. */
export function sqlIdentifier(name: string): string {
  if (typeof name !== 'string' || !IDENTIFIER_PATTERN.test(name)) {
    throw new MosyError(
      'invalid-query',
      'table name must be a plain identifier (letters, digits, _; optionally database.table)',
    );
  }
  return name;
}
