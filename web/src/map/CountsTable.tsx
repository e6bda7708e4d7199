/**
 * The map page's tables of counts (a region's breakdown, the flows, the regions not drawn): columns naming each
 * row, then the count, right-aligned, with the API's number and cell key on it (withheld ones say so), and an
 * optional total row.
 */
import type { ComponentChildren } from 'preact';
import { cellValue } from '../cells.js';
import type { Count } from './data.js';

export interface CountsRow {
  readonly key: string;
  /** The row's own data attribute, e.g. `{ 'data-region': 'PT11' }`. */
  readonly data: Readonly<Record<`data-${string}`, string>>;
  /** One entry per naming column. */
  readonly names: readonly ComponentChildren[];
  readonly count: Count;
}

export interface CountsTableProps {
  /** Headings of the naming columns; the count's heading comes last. */
  readonly columns: readonly string[];
  readonly valueColumn: string;
  readonly rows: readonly CountsRow[];
  /** The first naming column heads its row (a row header); off where no one column names the row alone. */
  readonly rowHeaders?: boolean;
  /** A footer row: its label and count. */
  readonly total?: { readonly label: string; readonly count: Count };
  readonly format: (value: number | null) => string;
  /** The table's own data attributes, e.g. `{ 'data-by': 'sex' }`. */
  readonly data?: Readonly<Record<`data-${string}`, string>>;
}

function CountCell({ count, format }: { count: Count; format: (value: number | null) => string }) {
  return (
    <td class="number" data-cell={count.cell} data-value={cellValue(count.value)}>
      {format(count.value)}
    </td>
  );
}

export function CountsTable({
  columns,
  valueColumn,
  rows,
  rowHeaders = true,
  total,
  format,
  data,
}: CountsTableProps) {
  return (
    <table class="counts" {...data}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          <th scope="col" class="number">
            {valueColumn}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} {...row.data}>
            {row.names.map((name, i) =>
              rowHeaders && i === 0 ? (
                <th key={i} scope="row">
                  {name}
                </th>
              ) : (
                <td key={i}>{name}</td>
              ),
            )}
            <CountCell count={row.count} format={format} />
          </tr>
        ))}
      </tbody>
      {total === undefined ? null : (
        <tfoot>
          <tr>
            <th scope="row" colSpan={columns.length}>
              {total.label}
            </th>
            <CountCell count={total.count} format={format} />
          </tr>
        </tfoot>
      )}
    </table>
  );
}
