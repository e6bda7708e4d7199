/**
 * Bulk loading of records. A batch is written as one CSV file in the store's scratch folder and read back by
 * DuckDB's parallel CSV reader into a staging table: building one string per record straight from
 * `RECORD_COLUMNS`' readers is the cheapest thing JavaScript can do, and parsing, types and lists are left to
 * DuckDB (the Appender makes one native call per value and measured several times slower; see the README).
 * Strings are always quoted, so any character, including quotes, newlines and NUL, survives, and '' stays distinct
 * from NULL. List elements are codes and are joined with `|`, which no code contains.
 */
import { MosyError, type NormalizedRecord } from '@mosy/core';
import { RECORD_COLUMNS, SAFE_LITERAL_PATTERN, duckDbDialect, sqlLiteral, type ColumnType } from '@mosy/sql';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const bad = (record: NormalizedRecord, column: string, problem: string): MosyError =>
  new MosyError('invalid-field', `record ${record.providerId}/${record.recordId}: ${column} ${problem}`);

/** Appends bytes to a growing buffer; far less garbage than concatenating strings for a large batch. */
class ByteSink {
  #buffer = Buffer.allocUnsafe(1 << 20);
  #length = 0;

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + bytes));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }

  /** Writes text as UTF-8. */
  text(value: string): void {
    this.#reserve(value.length * 3);
    const buffer = this.#buffer;
    let at = this.#length;
    // Codes and ids are short and ASCII: copying them in JavaScript beats a native call per value.
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        this.#length += buffer.write(value, this.#length, 'utf8');
        return;
      }
      buffer[at++] = code;
    }
    this.#length = at;
  }

  /** Writes one ASCII character. */
  char(code: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = code;
  }

  bytes(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

type Encoder = (sink: ByteSink, value: unknown, record: NormalizedRecord, column: string) => void;

const ENCODERS: Readonly<Record<ColumnType, Encoder>> = {
  string: (sink, value, record, column) => {
    if (typeof value !== 'string') throw bad(record, column, 'is not a string');
    sink.char(QUOTE);
    sink.text(value.includes('"') ? value.replaceAll('"', '""') : value);
    sink.char(QUOTE);
  },
  list: (sink, value, record, column) => {
    if (!Array.isArray(value)) throw bad(record, column, 'is not a list');
    sink.char(QUOTE);
    (value as readonly unknown[]).forEach((code, index) => {
      if (typeof code !== 'string' || code === '' || !SAFE_LITERAL_PATTERN.test(code)) {
        throw bad(record, column, 'holds a value that is not a code');
      }
      if (index > 0) sink.char(0x7c);
      sink.text(code);
    });
    sink.char(QUOTE);
  },
  int: (sink, value, record, column) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw bad(record, column, 'is not an integer');
    sink.text(String(value));
  },
  bool: (sink, value, record, column) => {
    if (typeof value !== 'boolean') throw bad(record, column, 'is not a boolean');
    sink.text(value ? 'true' : 'false');
  },
  date: (sink, value, record, column) => {
    if (typeof value !== 'string' || !DATE_PATTERN.test(value)) throw bad(record, column, 'is not a date');
    sink.text(value);
  },
};

const COLUMNS = RECORD_COLUMNS.map((column) => ({ ...column, encode: ENCODERS[column.type] }));

/** The records as CSV (UTF-8) in `RECORD_COLUMNS` order, one line each. Throws `invalid-field` for a malformed one. */
export function recordsToCsv(records: readonly NormalizedRecord[]): Buffer {
  const sink = new ByteSink();
  for (const record of records) {
    for (let c = 0; c < COLUMNS.length; c++) {
      const column = COLUMNS[c]!;
      if (c > 0) sink.char(COMMA);
      column.encode(sink, column.read(record), record, column.name);
    }
    sink.char(NEWLINE);
  }
  return sink.bytes();
}

/** A select over `read_csv($1)` yielding `RECORD_COLUMNS`, named and typed as in the table. */
export const CSV_SELECT = (() => {
  const csvColumns = RECORD_COLUMNS.map(
    (column) =>
      `${sqlLiteral(column.name)}: ${sqlLiteral(column.type === 'list' ? 'VARCHAR' : duckDbDialect.columnType(column.type))}`,
  );
  const values = RECORD_COLUMNS.map((column) =>
    column.type === 'list'
      ? `CASE WHEN ${column.name} = '' THEN CAST([] AS VARCHAR[]) ELSE string_split(${column.name}, '|') END AS ${column.name}`
      : column.name,
  );
  return (
    `SELECT ${values.join(', ')} FROM read_csv($1, header = false, columns = {${csvColumns.join(', ')}}, ` +
    // An explicit new_line: with detection, a quoted lone \r threw "CSV Parser state machine reached an invalid state".
    `delim = ',', quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false, auto_detect = false)`
  );
})();
