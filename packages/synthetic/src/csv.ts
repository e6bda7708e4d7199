/**
 * Writes submitted records as the CSV the submissions endpoint takes (contract §3): the envelope columns, then one
 * `fields.<name>` column per source field and one `identity.<name>` column per identity field used by any record.
 * An absent value is an empty cell. Used to send one synthetic provider by CSV upload, as a spreadsheet user would.
 */
import type { SubmittedRecord } from '@mosy/core';

const ENVELOPE = ['recordId', 'version', 'action', 'kind', 'referenceDate'] as const;

/**
 * The records as a CSV document with a header row (CRLF line ends), cells separated by `separator` (`;` is what
 * Excel writes in Portuguese settings). Lists are not representable: write them split.
 */
export function toSubmissionCsv(
  records: readonly SubmittedRecord[],
  separator: ',' | ';' | '\t' = ',',
): string {
  // RFC 4180 quoting: only when the cell needs it.
  const cell = (value: string): string =>
    value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  const fieldNames = [...new Set(records.flatMap((r) => Object.keys(r.fields)))].sort();
  const identityNames = [...new Set(records.flatMap((r) => Object.keys(r.identity ?? {})))].sort();
  const header = [
    ...ENVELOPE,
    ...fieldNames.map((n) => `fields.${n}`),
    ...identityNames.map((n) => `identity.${n}`),
  ];
  const rows = records.map((record) => {
    const fieldCells = fieldNames.map((name) => {
      const value = record.fields[name];
      if (value === undefined || value === null) return '';
      if (Array.isArray(value))
        throw new Error(`toSubmissionCsv: fields.${name} of ${record.recordId} is a list`);
      return String(value);
    });
    const identityCells = identityNames.map((name) => record.identity?.[name] ?? '');
    return [...ENVELOPE.map((name) => String(record[name])), ...fieldCells, ...identityCells]
      .map(cell)
      .join(separator);
  });
  return [header.map(cell).join(separator), ...rows].join('\r\n') + '\r\n';
}
