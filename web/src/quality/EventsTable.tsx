/**
 * A provider's quality events of some kinds as a table: the caller's leading columns (one of them the row header),
 * then the count (a protected cell, `Count`) and when it was last seen; a sentence instead when there are none.
 */
import type { ComponentChildren } from 'preact';
import { Count } from './Count.js';
import { useQualityFormat } from './quality-format.js';
import type { ProviderQuality } from './types.js';

export type QualityEvent = ProviderQuality['events'][number];

export interface EventColumn {
  readonly header: string;
  readonly cell: (event: QualityEvent) => ComponentChildren;
  /** The column that names the row (`<th scope="row">`). */
  readonly rowHeader?: boolean;
}

export function EventsTable({
  name,
  title,
  empty,
  events,
  subject,
  columns,
}: {
  /** `data-quality-table` of the table. */
  name: string;
  title: string;
  empty: string;
  events: readonly QualityEvent[];
  subject: string;
  columns: readonly EventColumn[];
}) {
  const { m, date } = useQualityFormat();
  return (
    <>
      <h3>{title}</h3>
      {events.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <table class="report" data-quality-table={name}>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} scope="col">
                  {c.header}
                </th>
              ))}
              <th scope="col" class="number">
                {m.count}
              </th>
              <th scope="col">{m.lastSeen}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={`${e.kind}|${e.field}|${e.value ?? ''}`}>
                {columns.map((c) =>
                  c.rowHeader === true ? (
                    <th key={c.header} scope="row">
                      {c.cell(e)}
                    </th>
                  ) : (
                    <td key={c.header}>{c.cell(e)}</td>
                  ),
                )}
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
