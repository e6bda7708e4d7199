/** Provider values the mapping does not map (or maps to a default). */
import { Count } from './Count.js';
import { useQualityFormat } from './quality-format.js';
import type { SectionProps } from './types.js';

export function UnmappedSection({ provider, subject }: SectionProps) {
  const { m, date, fieldName } = useQualityFormat();
  const unmapped = provider.events.filter((e) => e.kind === 'unmapped' || e.kind === 'defaulted');
  return (
    <>
      <h3>{m.unmapped}</h3>
      {unmapped.length === 0 ? (
        <p>{m.noUnmapped}</p>
      ) : (
        <table class="report" data-quality-table="unmapped">
          <caption class="visually-hidden">{m.unmapped}</caption>
          <thead>
            <tr>
              <th scope="col">{m.field}</th>
              <th scope="col">{m.providerValue}</th>
              <th scope="col">{m.event}</th>
              <th scope="col" class="number">
                {m.count}
              </th>
              <th scope="col">{m.lastSeen}</th>
            </tr>
          </thead>
          <tbody>
            {unmapped.map((e) => (
              <tr key={`${e.kind}|${e.field}|${e.value ?? ''}`}>
                <td>{fieldName(e.field)}</td>
                <th scope="row">{e.value ?? '—'}</th>
                <td>{(m.events as Record<string, string | undefined>)[e.kind] ?? e.kind}</td>
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
