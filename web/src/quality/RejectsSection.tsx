/** Rejected records and dead letters, with their reasons. */
import { Count } from './Count.js';
import { useQualityFormat } from './quality-format.js';
import type { SectionProps } from './types.js';

export function RejectsSection({ provider, subject }: SectionProps) {
  const { m, date } = useQualityFormat();
  const rejects = provider.events.filter((e) => e.kind === 'rejected' || e.kind === 'deadletter');
  return (
    <>
      <h3>{m.rejects}</h3>
      {rejects.length === 0 ? (
        <p>{m.noRejects}</p>
      ) : (
        <table class="report" data-quality-table="rejects">
          <caption class="visually-hidden">{m.rejects}</caption>
          <thead>
            <tr>
              <th scope="col">{m.event}</th>
              <th scope="col">{m.reason}</th>
              <th scope="col" class="number">
                {m.count}
              </th>
              <th scope="col">{m.lastSeen}</th>
            </tr>
          </thead>
          <tbody>
            {rejects.map((e) => (
              <tr key={`${e.kind}|${e.field}|${e.value ?? ''}`}>
                <td>{(m.events as Record<string, string | undefined>)[e.kind] ?? e.kind}</td>
                <th scope="row">{e.field}</th>
                <Count
                  subject={subject}
                  cell={{ measure: e.kind, field: e.field, value: e.value ?? '' }}
                  value={e.count}
                />
                <td>{date(e.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
