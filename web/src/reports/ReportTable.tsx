/**
 * The published table with its margins: codes labelled from the taxonomy, numbers in the page's locale, `c` for
 * withheld values; each number carries `data-cell` and `data-value` (cells.ts).
 */
import { cellAttributes } from '../cells.js';
import { useI18n } from '../i18n/index.js';
import { codeLabel, type Catalogue } from './catalogue.js';
import { crosstab, type Entry, type PublishedTable } from './crosstab.js';

function Value({ indicator, entry }: { indicator: string; entry: Entry | undefined }) {
  const { t, formatNumber } = useI18n();
  if (entry === undefined)
    return (
      <td class="number empty" title={t.reports.noRecords}>
        –
      </td>
    );
  return (
    <td class="number" {...cellAttributes(indicator, entry.key, entry.value)}>
      {entry.value === null ? <abbr title={t.reports.withheld}>c</abbr> : formatNumber(entry.value)}
    </td>
  );
}

export function ReportTable({
  indicator,
  table,
  catalogue,
  caption,
}: {
  indicator: string;
  table: PublishedTable;
  catalogue: Catalogue;
  caption: string;
}) {
  const { t } = useI18n();
  const layout = crosstab(table);
  const dimName = (dim: string) => (t.reports.dims as Record<string, string | undefined>)[dim] ?? dim;
  const label = (dim: string, code: string | undefined) =>
    code === undefined ? t.reports.total : dim === 'period' ? code : codeLabel(catalogue, dim, code);
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table class="report" data-report-table>
        <caption>{caption}</caption>
        <thead>
          {layout.colDim === undefined ? null : (
            <tr>
              <td colSpan={Math.max(1, layout.rowDims.length)} />
              <th scope="colgroup" colSpan={layout.columns.length}>
                {dimName(layout.colDim)}
              </th>
            </tr>
          )}
          <tr>
            {layout.rowDims.length === 0 ? (
              <td />
            ) : (
              layout.rowDims.map((dim) => (
                <th scope="col" key={dim}>
                  {dimName(dim)}
                </th>
              ))
            )}
            {layout.columns.map((column, i) => (
              <th scope="col" class="number" key={column ?? `total-${i}`}>
                {layout.colDim === undefined ? t.reports.value : label(layout.colDim, column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {layout.rows.map((row) => (
            <tr key={row.codes.join('|')} class={row.codes.includes(undefined) ? 'margin' : undefined}>
              {layout.rowDims.length === 0 ? (
                <th scope="row">{t.reports.total}</th>
              ) : (
                layout.rowDims.map((dim, i) => (
                  <th scope="row" key={dim}>
                    {label(dim, row.codes[i])}
                  </th>
                ))
              )}
              {row.entries.map((entry, i) => (
                <Value key={i} indicator={indicator} entry={entry} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
