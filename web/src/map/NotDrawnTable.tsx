/** Counted regions the map cannot draw (no shape at this level, or unknown), listed with their counts. */
import { cellValue } from '../cells.js';
import { useI18n } from '../i18n/index.js';
import type { Count } from './data.js';

export function NotDrawnTable({
  regions,
  names,
  format,
}: {
  regions: readonly (readonly [string, Count])[];
  names: (code: string) => string;
  format: (value: number | null) => string;
}) {
  const { t } = useI18n();
  if (regions.length === 0) return null;
  return (
    <section class="not-drawn" aria-labelledby="not-drawn-title">
      <h2 id="not-drawn-title">{t.map.notDrawn}</h2>
      <p>{t.map.notDrawnIntro}</p>
      <table class="counts">
        <thead>
          <tr>
            <th scope="col">{t.map.region}</th>
            <th scope="col" class="number">
              {t.map.value}
            </th>
          </tr>
        </thead>
        <tbody>
          {regions.map(([code, count]) => (
            <tr key={code} data-region={code}>
              <th scope="row">
                {names(code)} {code === 'UNK' ? '' : `(${code})`}
              </th>
              <td class="number" data-cell={count.cell} data-value={cellValue(count.value)}>
                {format(count.value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
