/** The timeliness of arrival. */
import { Count } from './Count.js';
import { useQualityFormat } from './quality-format.js';
import type { SectionProps } from './types.js';

export function TimelinessSection({ provider, subject }: SectionProps) {
  const { m, formatNumber, kindName } = useQualityFormat();
  return (
    <>
      <h3>{m.timeliness}</h3>
      <p class="hint">{m.timelinessHint}</p>
      {provider.timeliness === undefined || provider.timeliness.length === 0 ? (
        <p>{m.noTimeliness}</p>
      ) : (
        <table class="report" data-quality-table="timeliness">
          <caption class="visually-hidden">{m.timeliness}</caption>
          <thead>
            <tr>
              <th scope="col">{m.kind}</th>
              <th scope="col" class="number">
                {m.records}
              </th>
              <th scope="col" class="number">
                {m.meanLag}
              </th>
              <th scope="col" class="number">
                {m.within30}
              </th>
              <th scope="col" class="number">
                {m.within90}
              </th>
              <th scope="col" class="number">
                {m.within365}
              </th>
            </tr>
          </thead>
          <tbody>
            {provider.timeliness.map((row) => (
              <tr key={row.kind}>
                <th scope="row">{kindName(row.kind)}</th>
                <Count
                  subject={subject}
                  cell={{ measure: 'arrived', kind: row.kind }}
                  value={row.records.value}
                />
                <td class="number" data-mean-lag>
                  {row.meanLagDays === null ? '—' : formatNumber(row.meanLagDays)}
                </td>
                <Count
                  subject={subject}
                  cell={{ measure: 'within30', kind: row.kind }}
                  value={row.within30.value}
                />
                <Count
                  subject={subject}
                  cell={{ measure: 'within90', kind: row.kind }}
                  value={row.within90.value}
                />
                <Count
                  subject={subject}
                  cell={{ measure: 'within365', kind: row.kind }}
                  value={row.within365.value}
                />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
