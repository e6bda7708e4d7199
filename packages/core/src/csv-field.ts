/**
 * One field of CSV that MoSy writes (RFC 4180), safe to open in a spreadsheet. A text that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return would be read by Excel, LibreOffice or Google Sheets as a formula (CSV
 * injection: `=HYPERLINK(...)` sending the sheet's contents away, `@SUM(...)`, `-2+3+cmd|...`), so, as OWASP's
 * CSV-injection advice says, it gets a leading `'` — shown by spreadsheets as text, not evaluated — and is quoted.
 * A field holding a comma, quote or line break is quoted with its quotes doubled. Numbers are written as numbers:
 * a negative count is a number, not a formula.
 */

/** Characters that make a spreadsheet read a cell as a formula when it begins with them. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
