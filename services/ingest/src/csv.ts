/**
 * CSV submissions: the same records as the JSON body, one per row, with the columns `recordId, version, action,
 * kind, referenceDate`, then `fields.<name>` and `identity.<name>`. An empty cell is an absent value. Cells stay
 * strings (never coerced: `NA` is Namibia); `version` is the one numeric column and is converted for validation.
 */
import { parse } from 'csv-parse/sync';
import { MosyError } from '@mosy/core';

const ENVELOPE_COLUMNS = new Set(['recordId', 'version', 'action', 'kind', 'referenceDate']);

export function parseCsvSubmission(text: string): Record<string, unknown>[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    throw new MosyError('invalid-request', `The CSV body could not be parsed: ${(error as Error).message}`);
  }
  const [header, ...data] = rows;
  if (header === undefined) throw new MosyError('invalid-request', 'The CSV body has no header row.');
  const unknown = header.filter(
    (column) => !ENVELOPE_COLUMNS.has(column) && !/^(fields|identity)\.[^.]+$/.test(column),
  );
  if (unknown.length > 0) {
    throw new MosyError(
      'unknown-field',
      `Unknown CSV column(s): ${unknown.join(', ')}. Columns are recordId, version, action, kind, referenceDate, fields.<name>, identity.<name>.`,
    );
  }
  return data.map((row) => {
    const record: Record<string, unknown> = {};
    const fields: Record<string, string> = {};
    const identity: Record<string, string> = {};
    header.forEach((column, i) => {
      const cell = row[i] ?? '';
      if (cell === '') return;
      if (column.startsWith('fields.')) fields[column.slice(7)] = cell;
      else if (column.startsWith('identity.')) identity[column.slice(9)] = cell;
      else record[column] = column === 'version' && /^\d+$/.test(cell) ? Number(cell) : cell;
    });
    record.fields = fields;
    if (Object.keys(identity).length > 0) record.identity = identity;
    return record;
  });
}
