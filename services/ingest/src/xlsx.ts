/**
 * Uploads of IOM's HTCDS 2.0 Excel template (`HTCDS Excel Spreadsheet v2.0.xlsx`, one row a case), read with
 * exceljs: the sheet whose header row (within its first five rows) names HTCDS fields is the data; a row of field
 * labels right under it (the template's second row, "First Name", "Gender", …) is skipped; rows whose named
 * cells are all empty (the template comes with 1 000 numbered, empty rows) are skipped; every other row becomes one
 * record through `htcdsRowToRecord`, numbered from 1 below the header rows (which is the number the template prints
 * in its unnamed first column). Columns with an empty header are not read, except the template's one column whose
 * field name IOM left empty and whose label names it. A workbook with no such sheet, or bytes that are not a
 * workbook, is refused whole with `invalid-workbook`; a column that is neither an HTCDS field nor an envelope
 * column with `unknown-field`, as in a CSV file.
 *
 * Dates come as `YYYY-MM-DD`: a cell formatted as a date, and a number in a date column (the template's date columns
 * are formatted "General", so Excel shows and stores a date typed there as its serial day number) — except a whole
 * number from 1900 to 2100, which is a year typed alone and read as `YYYY`; other numbers as their decimal text;
 * formulas as their cached result.
 */
import type ExcelJS from 'exceljs';
import { HTCDS_LABEL_ALIASES, MosyError, htcdsColumn, htcdsRowToRecord, isHtcdsFileColumn } from '@mosy/core';
import { declaredUnpackedSize } from './zip-size.js';

/**
 * How many times the body limit a workbook may unpack to. IOM's template unpacks to about 5.5 times its size, and a
 * full sheet of text compresses less than 8 times; a zip bomb unpacks to thousands of times.
 */
export const MAX_UNPACK_RATIO = 8;

/** The submission limits a workbook is read under. */
export interface WorkbookLimits {
  /** The request body limit; the workbook may unpack to `MAX_UNPACK_RATIO` times it. */
  readonly maxBodyBytes: number;
  /** Filled rows read at most; one more refuses the upload. */
  readonly maxRecords: number;
}

/** Rows searched for the header. */
const HEADER_SEARCH_ROWS = 5;
/** HTCDS field names a row needs to be taken for the header. */
const MIN_HEADER_FIELDS = 3;

/** Columns holding dates. */
const DATE_COLUMNS: ReadonlySet<string> = new Set([
  'prs_Birthdate',
  'cas_IncomingReferralDate',
  'cas_OutgoingReferralDate',
  'referenceDate',
]);
const DAY_MS = 86_400_000;
/** Day 0 of Excel's serial dates: 1899-12-30 (1900 system, its phantom 29 February 1900 included) or 1904-01-01. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** Whole numbers in this range in a date column are years, not serial days (which would fall in 1905). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;

/** The text of a date column's cell: a serial day number as `YYYY-MM-DD`, anything else as it reads. */
function dateText(value: ExcelJS.CellValue, date1904: boolean): string {
  const resolved =
    typeof value === 'object' && value !== null && 'result' in value
      ? (value as ExcelJS.CellFormulaValue).result
      : value;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved)) return cellText(value);
  // A year typed alone (the contract accepts `YYYY` dates) is a whole number; as serial days it would be in 1905.
  if (Number.isInteger(resolved) && resolved >= FIRST_YEAR && resolved <= LAST_YEAR) return String(resolved);
  const epoch = date1904 ? EPOCH_1904 : EPOCH_1900;
  return new Date(epoch + Math.floor(resolved) * DAY_MS).toISOString().slice(0, 10);
}

/** The text of a cell value as a provider typed it. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  // As Excel shows them.
  if (typeof value === 'boolean') return String(value).toUpperCase();
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as ExcelJS.CellFormulaValue).result);
  if ('text' in value) return String(value.text);
  return '';
}

/** A label's letters, lower case: `First Name` and `prs_FirstName` both give `firstname`. */
const letters = (text: string): string =>
  text
    .replace(/^[a-z]{3}_/, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

interface Layout {
  readonly sheet: ExcelJS.Worksheet;
  /** Column number → column name (HTCDS field or envelope column). */
  readonly columns: ReadonlyMap<number, string>;
  /** The first row of data. */
  readonly firstDataRow: number;
}

/** The first sheet laid out as the template is, or undefined. */
function layoutOf(workbook: ExcelJS.Workbook): Layout | undefined {
  for (const sheet of workbook.worksheets) {
    for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount); r++) {
      const header = sheet.getRow(r);
      const named = new Map<number, string>();
      header.eachCell((cell, column) => {
        const text = cellText(cell.value).trim();
        if (text !== '') named.set(column, text);
      });
      if ([...named.values()].filter((name) => htcdsColumn(name) !== undefined).length < MIN_HEADER_FIELDS)
        continue;
      const unknown = [...named.values()].filter((name) => !isHtcdsFileColumn(name));
      if (unknown.length > 0)
        throw new MosyError(
          'unknown-field',
          `Unknown column(s) in sheet "${sheet.name}": ${unknown.join(', ')}. Columns are HTCDS 2.0 field names and recordId, version, action, referenceDate.`,
        );
      const labels = sheet.getRow(r + 1);
      let matching = 0;
      labels.eachCell((cell, column) => {
        const name = named.get(column);
        if (name !== undefined && letters(cellText(cell.value)) === letters(name)) matching += 1;
      });
      const hasLabelRow = matching >= MIN_HEADER_FIELDS;
      const columns = new Map(named);
      if (hasLabelRow)
        labels.eachCell((cell, column) => {
          const alias = HTCDS_LABEL_ALIASES[cellText(cell.value).trim()];
          if (!named.has(column) && alias !== undefined) columns.set(column, alias);
        });
      return { sheet, columns, firstDataRow: r + (hasLabelRow ? 2 : 1) };
    }
  }
  return undefined;
}

/**
 * The records of an uploaded HTCDS workbook.
 * @throws MosyError `invalid-workbook` or `unknown-field`; `payload-too-large` when the workbook unpacks to more
 * than `MAX_UNPACK_RATIO` times the body limit or holds more than `maxRecords` filled rows.
 */
export async function readHtcdsWorkbook(
  bytes: Buffer,
  limits: WorkbookLimits,
): Promise<Record<string, unknown>[]> {
  // Checked before exceljs inflates anything: its memory use follows the unpacked size, not the upload's.
  const maxUnpacked = limits.maxBodyBytes * MAX_UNPACK_RATIO;
  const unpacked = declaredUnpackedSize(bytes);
  if (unpacked !== undefined && unpacked > maxUnpacked)
    throw new MosyError(
      'payload-too-large',
      `The workbook unpacks to more than ${maxUnpacked} bytes (${MAX_UNPACK_RATIO} times the body limit); send fewer rows per workbook, without pictures or other attachments.`,
    );
  // Loaded on the first upload: most deployments never receive one, and exceljs is large.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new MosyError(
      'invalid-workbook',
      'The upload is not an .xlsx workbook that can be read: send IOM’s HTCDS 2.0 Excel template saved as .xlsx.',
    );
  }
  const layout = layoutOf(workbook);
  if (layout === undefined)
    throw new MosyError(
      'invalid-workbook',
      `The workbook is not IOM’s HTCDS 2.0 Excel template: no sheet has a row of HTCDS field names (prs_Gender, vic_TraffickingStatus, …) in its first ${HEADER_SEARCH_ROWS} rows.`,
    );
  const { sheet, columns, firstDataRow } = layout;
  const date1904 = workbook.properties.date1904 === true;
  const records: Record<string, unknown>[] = [];
  for (let r = firstDataRow; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Record<string, string> = {};
    let filled = false;
    for (const [column, name] of columns) {
      const value = row.getCell(column).value;
      const text = (DATE_COLUMNS.has(name) ? dateText(value, date1904) : cellText(value)).trim();
      cells[name] = text;
      if (text !== '') filled = true;
    }
    if (!filled) continue;
    if (records.length === limits.maxRecords)
      throw new MosyError(
        'payload-too-large',
        `A submission holds at most ${limits.maxRecords} records; this workbook has more filled rows. Split it.`,
      );
    records.push(htcdsRowToRecord(cells, r - firstDataRow + 1));
  }
  return records;
}
