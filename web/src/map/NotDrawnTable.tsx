/** Counted regions the map cannot draw (no shape at this level, or unknown), listed with their counts. */
import { useI18n } from '../i18n/index.js';
import { CountsTable } from './CountsTable.js';
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
      <CountsTable
        columns={[t.map.region]}
        valueColumn={t.map.value}
        rows={regions.map(([code, count]) => ({
          key: code,
          data: { 'data-region': code },
          names: [`${names(code)} ${code === 'UNK' ? '' : `(${code})`}`],
          count,
        }))}
        format={format}
      />
    </section>
  );
}
