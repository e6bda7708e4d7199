/** Provider values the mapping does not map (or maps to a default). */
import { EventsTable } from './EventsTable.js';
import { useQualityFormat } from './quality-format.js';
import type { SectionProps } from './types.js';

export function UnmappedSection({ provider, subject }: SectionProps) {
  const { m, eventName, fieldName } = useQualityFormat();
  return (
    <EventsTable
      name="unmapped"
      title={m.unmapped}
      empty={m.noUnmapped}
      events={provider.events.filter((e) => e.kind === 'unmapped' || e.kind === 'defaulted')}
      subject={subject}
      columns={[
        { header: m.field, cell: (e) => fieldName(e.field) },
        { header: m.providerValue, cell: (e) => e.value ?? '—', rowHeader: true },
        { header: m.event, cell: (e) => eventName(e.kind) },
      ]}
    />
  );
}
