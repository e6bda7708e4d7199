/** The share of `UNK` per field. */
import { Count } from './Count.js';
import { useQualityFormat } from './quality-format.js';
import type { SectionProps } from './types.js';

export function UnknownSection({ provider, subject }: SectionProps) {
  const { m, percent, kindName, fieldName } = useQualityFormat();
  return (
    <>
      <h3>{m.unknown}</h3>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={m.unknown}>
        <table class="report" data-quality-table="unknown">
          <caption class="visually-hidden">{m.unknown}</caption>
          <thead>
            <tr>
              <th scope="col">{m.kind}</th>
              <th scope="col">{m.field}</th>
              <th scope="col" class="number">
                {m.unknownRecords}
              </th>
              <th scope="col" class="number">
                {m.records}
              </th>
              <th scope="col" class="number">
                {m.share}
              </th>
            </tr>
          </thead>
          <tbody>
            {provider.completeness.map((c) => (
              <tr key={`${c.kind}|${c.field}`}>
                <td>{kindName(c.kind)}</td>
                <th scope="row">{fieldName(c.field)}</th>
                <Count
                  subject={subject}
                  cell={{ measure: 'unknown', kind: c.kind, field: c.field }}
                  value={c.unknown.value}
                />
                <Count
                  subject={subject}
                  cell={{ measure: 'records', kind: c.kind, field: c.field }}
                  value={c.records.value}
                />
                <td class="number" data-share>
                  {c.unknownShare === null ? '—' : percent.format(c.unknownShare)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
