/** The largest flows of the map's flow view, as a table with the API's numbers (withheld ones say so). */
import { cellValue } from '../cells.js';
import { useI18n } from '../i18n/index.js';
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
      <table class="counts">
        <thead>
          <tr>
            <th scope="col">{t.map.origin}</th>
            <th scope="col">{t.map.destination}</th>
            <th scope="col" class="number">
              {t.map.value}
            </th>
          </tr>
        </thead>
        <tbody>
          {topFlows.map((f) => (
            <tr key={`${f.origin}>${f.destination}`} data-flow={`${f.origin}>${f.destination}`}>
              <td>{f.origin === 'UNK' ? t.map.unknown : label(origin, f.origin)}</td>
              <td>{names(f.destination)}</td>
              <td class="number" data-cell={f.cell} data-value={cellValue(f.value)}>
                {format(f.value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
