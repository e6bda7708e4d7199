/** CSV (RFC 4180) of the quarterly artefacts: a header row, `\r\n` line ends, fields quoted when they need it. */

/** One CSV field, quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text. */
export const toCsv = (
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string => [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
