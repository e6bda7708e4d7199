/** The largest flows of the map's flow view, as a table with the API's numbers (withheld ones say so). */
import { useI18n } from '../i18n/index.js';
import { CountsTable } from './CountsTable.js';
import type { Flow, FlowOrigin } from './data.js';

/** Rows of the table: the largest flows. */
const TOP_FLOWS = 20;

export function FlowsTable({
  flows,
  origin,
  label,
  names,
  format,
}: {
  flows: readonly Flow[];
  origin: FlowOrigin;
  label: (dimension: string, code: string) => string;
  names: (code: string) => string;
  format: (value: number | null) => string;
}) {
  const { t } = useI18n();
  const topFlows = [...flows]
    .filter((f) => f.value !== 0)
    .sort(
      (a, b) =>
        (b.value ?? -1) - (a.value ?? -1) || (a.origin + a.destination < b.origin + b.destination ? -1 : 1),
    )
    .slice(0, TOP_FLOWS);
  return (
    <section class="flows-table" aria-labelledby="flows-title">
      <h2 id="flows-title">{t.map.flows}</h2>
      <p>{t.map.flowsIntro}</p>
      <CountsTable
        columns={[t.map.origin, t.map.destination]}
        valueColumn={t.map.value}
        rowHeaders={false}
        rows={topFlows.map((f) => ({
          key: `${f.origin}>${f.destination}`,
          data: { 'data-flow': `${f.origin}>${f.destination}` },
          names: [f.origin === 'UNK' ? t.map.unknown : label(origin, f.origin), names(f.destination)],
          count: f,
        }))}
        format={format}
      />
    </section>
  );
}
