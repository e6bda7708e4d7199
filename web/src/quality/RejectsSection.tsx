/** Rejected records and dead letters, with their reasons. */
import { EventsTable } from './EventsTable.js';
import { useQualityFormat } from './quality-format.js';
import type { SectionProps } from './types.js';

export function RejectsSection({ provider, subject }: SectionProps) {
  const { m, eventName } = useQualityFormat();
  return (
    <EventsTable
      name="rejects"
      title={m.rejects}
      empty={m.noRejects}
      events={provider.events.filter((e) => e.kind === 'rejected' || e.kind === 'deadletter')}
      subject={subject}
      columns={[
        { header: m.event, cell: (e) => eventName(e.kind) },
        { header: m.reason, cell: (e) => e.field, rowHeader: true },
      ]}
    />
  );
}
