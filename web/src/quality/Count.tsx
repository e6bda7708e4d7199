/** A published count of the quality report, in a table cell that follows web/src/cells.ts. */
import { cellAttributes } from '../cells.js';
import { useI18n } from '../i18n/index.js';

export function Count({
  subject,
  cell,
  value,
}: {
  subject: string;
  cell: Record<string, string>;
  value: number | null;
}) {
  const { t, formatNumber } = useI18n();
  return (
    <td class="number" {...cellAttributes(subject, cell, value)}>
      {value === null ? <abbr title={t.reports.withheld}>c</abbr> : formatNumber(value)}
    </td>
  );
}
