/** CSV (RFC 4180) of the quarterly artefacts: a header row, `\r\n` line ends, every field through `csvField`. */
import { csvField } from '../csv-field.js';

/** Rows to CSV text, each field quoted when it needs it and formula-like text written as text. */
export const toCsv = (
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string => [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
