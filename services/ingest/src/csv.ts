/**
 * CSV submissions: the same records as the JSON body, one per row, with the columns `recordId, version, action,
 * kind, referenceDate`, then `fields.<name>` and `identity.<name>`. An empty cell is an absent value. Cells stay
 * strings (never coerced: `NA` is Namibia); `version` is the one numeric column and is converted for validation.
 *
 * Files come as spreadsheets write them: the separator is `,`, or `;` (what Excel writes where the decimal mark is a
 * comma: Portuguese, Spanish, French, German settings), or a tab; the bytes are UTF-8 (with or without a byte order
 * mark) or Windows-1252 (Excel's "CSV" in Western European Windows). Both are detected, unless the Content-Type
 * names a charset, and the receipt says which were used (`csv`), so a provider can see how its file was read.
 *
 * A file whose header holds HTCDS 2.0 column names (`prs_Gender`, `vic_TypeOfExploitation`, …, optionally with the
 * envelope columns `recordId`, `version`, `action`, `referenceDate`) is read as HTCDS rows instead
 * (`htcdsRowToRecord`): what a case system keeping IOM's standard exports, for a provider registered with the
 * built-in mapping `htcds-2.0`.
 */
import { parse } from 'csv-parse/sync';
import { MosyError, htcdsRowToRecord, isHtcdsFileColumn, type CsvFormat } from '@mosy/core';

const ENVELOPE_COLUMNS = new Set(['recordId', 'version', 'action', 'kind', 'referenceDate']);
const SEPARATORS: readonly CsvFormat['separator'][] = [',', ';', '\t'];
const isColumn = (name: string): boolean =>
  ENVELOPE_COLUMNS.has(name) || /^(fields|identity)\.[^.]+$/.test(name);
const isAnyColumn = (name: string): boolean => isColumn(name) || isHtcdsFileColumn(name);
/** An HTCDS header: every column an HTCDS or envelope column, at least one of them an HTCDS field. */
const isHtcdsHeader = (header: readonly string[]): boolean =>
  header.every(isHtcdsFileColumn) && header.some((column) => isHtcdsFileColumn(column) && !isColumn(column));

/** Charset names a client may give, by the encoding MoSy reads them as (ISO-8859-1 is read as Windows-1252, as WHATWG does). */
const CHARSETS: Readonly<Record<string, CsvFormat['encoding']>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
};

/** The `charset` parameter of a Content-Type header, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1];
}

/** The records of a CSV body and how it was read. */
export function readCsvSubmission(
  bytes: Buffer,
  charset: string | undefined,
): { readonly records: Record<string, unknown>[]; readonly csv: CsvFormat } {
  const { text, encoding } = decodeCsv(bytes, charset);
  const separator = detectSeparator(text);
  return { records: parseCsvSubmission(text, separator), csv: { separator, encoding } };
}

/**
 * The text of a CSV body: in the charset the client named, else UTF-8 when the bytes are valid UTF-8 (a byte order
 * mark is dropped), else Windows-1252, in which every byte is a character.
 */
function decodeCsv(
  bytes: Buffer,
  charset: string | undefined,
): { readonly text: string; readonly encoding: CsvFormat['encoding'] } {
  const named = charset === undefined ? undefined : CHARSETS[charset.toLowerCase()];
  if (charset !== undefined && named === undefined) {
    throw new MosyError(
      'unsupported-media-type',
      `The charset "${charset.slice(0, 40)}" is not supported: send UTF-8 or Windows-1252 (or name no charset).`,
    );
  }
  if (named !== 'windows-1252') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
    } catch {
      if (named === 'utf-8')
        throw new MosyError(
          'invalid-request',
          'The CSV body is not valid UTF-8, as its Content-Type says it is.',
        );
    }
  }
  return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
}

/**
 * The separator of a CSV text, from its header row: the candidate that splits the header into the most known
 * columns (`,` first on a tie, and when none does, so that the unknown columns are named in the error).
 */
function detectSeparator(text: string): CsvFormat['separator'] {
  const header = (text.split('\n', 1)[0] ?? '').replace(/\r$/, '');
  let best: CsvFormat['separator'] = ',';
  let bestCount = 0;
  for (const separator of SEPARATORS) {
    const known = header.split(separator).filter((cell) =>
      isAnyColumn(
        cell
          .trim()
          .replace(/^\uFEFF/, '')
          .replace(/^"(.*)"$/, '$1'),
      ),
    ).length;
    if (known > bestCount) [best, bestCount] = [separator, known];
  }
  return best;
}

export function parseCsvSubmission(
  text: string,
  separator: CsvFormat['separator'] = ',',
): Record<string, unknown>[] {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: separator,
      skip_empty_lines: true,
      relax_column_count: false,
    });
  } catch (error) {
    throw new MosyError('invalid-request', `The CSV body could not be parsed: ${(error as Error).message}`);
  }
  const [header, ...data] = rows;
  if (header === undefined) throw new MosyError('invalid-request', 'The CSV body has no header row.');
  if (isHtcdsHeader(header))
    return data.map((row, i) =>
      htcdsRowToRecord(Object.fromEntries(header.map((column, j) => [column, row[j] ?? ''])), i + 1),
    );
  const unknown = header.filter((column) => !isColumn(column));
  if (unknown.length > 0) {
    throw new MosyError(
      'unknown-field',
      `Unknown CSV column(s): ${unknown.join(', ')}. Columns are recordId, version, action, kind, referenceDate, fields.<name>, identity.<name>; or, for HTCDS 2.0 rows, HTCDS field names (prs_Gender, vic_TypeOfExploitation, …) with recordId, version, action, referenceDate.`,
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
