/**
 * Opaque values into ClickHouse SQL: strings such as record, provider, key and submission ids and key hashes may
 * hold any character, so they never enter SQL as text: `opaqueText` writes the hex of their UTF-8 bytes through
 * `sqlLiteral` (hex digits are safe characters) and lets the server decode it with `unhex`, a constant expression
 * that ClickHouse folds before it matches the primary key (batches of ids go as temporary tables instead, see
 * `ClickHouseConnection.selectWith`). Values come out of rows through `@mosy/sql`'s row readers (`rows.ts`).
 */
import { MAX_LITERAL_LENGTH, sqlLiteral } from '@mosy/sql';

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
