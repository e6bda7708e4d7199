/**
 * A published table (cells, margins, total) laid out for reading: the last variable across, the others down (the
 * period first, in a time-frame report, so a long series reads downwards), with a margin row or column wherever the table has one. Nothing is
 * computed here: every number shown is an entry the API published.
 */
import { cellKey } from '../cells.js';

export interface Entry {
  readonly key: Readonly<Record<string, string>>;
  readonly value: number | null;
  readonly flag?: 'c';
}

export interface PublishedTable {
  readonly dims: readonly string[];
  readonly cells: readonly Entry[];
  readonly margins: readonly Entry[];
  readonly total: { readonly value: number | null; readonly flag?: 'c' };
}

/** One row: its code per row dimension (`undefined` where the row is a margin over that dimension). */
export interface Row {
  readonly codes: readonly (string | undefined)[];
  /** One entry per column; `undefined` where the table publishes none (no records in that combination). */
  readonly entries: readonly (Entry | undefined)[];
}

export interface Crosstab {
  readonly rowDims: readonly string[];
  /** The dimension across, if the table has two or more. */
  readonly colDim?: string;
  /** Codes across (`undefined`: the margin column, or the only column). */
  readonly columns: readonly (string | undefined)[];
  readonly rows: readonly Row[];
}

function codesOf(table: PublishedTable, dim: string): string[] {
  const seen = new Set<string>();
  for (const entry of [...table.cells, ...table.margins]) {
    const code = entry.key[dim];
    if (code !== undefined) seen.add(code);
  }
  const codes = [...seen];
  return dim === 'period' ? codes.sort() : codes;
}

function product(lists: readonly (readonly (string | undefined)[])[]): (string | undefined)[][] {
  return lists.reduce<(string | undefined)[][]>(
    (acc, list) => acc.flatMap((prefix) => list.map((code) => [...prefix, code])),
    [[]],
  );
}

export function crosstab(table: PublishedTable): Crosstab {
  const byKey = new Map<string, Entry>();
  for (const entry of [...table.cells, ...table.margins]) byKey.set(cellKey('', entry.key), entry);
  byKey.set(cellKey('', {}), { key: {}, ...table.total });
  const dims = table.dims.includes('period')
    ? ['period', ...table.dims.filter((d) => d !== 'period')]
    : table.dims;
  const rowDims = dims.length >= 2 ? dims.slice(0, -1) : [...dims];
  const colDim = dims.length >= 2 ? dims[dims.length - 1] : undefined;
  const columns = colDim === undefined ? [undefined] : [...codesOf(table, colDim), undefined];
  const rows: Row[] = [];
  for (const codes of product(rowDims.map((dim) => [...codesOf(table, dim), undefined]))) {
    const entries = columns.map((column) => {
      const key: Record<string, string | undefined> = {};
      rowDims.forEach((dim, i) => (key[dim] = codes[i]));
      if (colDim !== undefined) key[colDim] = column;
      return byKey.get(cellKey('', key));
    });
    if (entries.some((e) => e !== undefined)) rows.push({ codes, entries });
  }
  return { rowDims, ...(colDim === undefined ? {} : { colDim }), columns, rows };
}
