/** One provider's data quality: each section's table (and the volume's chart), with the protection note. */
import { fill } from '../protection.js';
import { RejectsSection } from './RejectsSection.js';
import { TimelinessSection } from './TimelinessSection.js';
import { UnknownSection } from './UnknownSection.js';
import { UnmappedSection } from './UnmappedSection.js';
import { VolumeSection } from './VolumeSection.js';
import { useQualityFormat } from './quality-format.js';
import type { ProviderQuality } from './types.js';

export function ProviderSection({ provider, threshold }: { provider: ProviderQuality; threshold?: number }) {
  const { t, m } = useQualityFormat();
  const subject = `quality:${provider.providerId}`;
  return (
    <div class="quality-provider" data-provider={provider.providerId}>
      <h2>{fill(m.providerTitle, { provider: provider.providerId })}</h2>
      {threshold === undefined ? (
        <p class="legend">{m.exactNote}</p>
      ) : (
        <p class="legend">{fill(t.reports.protection.threshold, { threshold })}</p>
      )}
      <VolumeSection provider={provider} subject={subject} />
      <RejectsSection provider={provider} subject={subject} />
      <UnmappedSection provider={provider} subject={subject} />
      <UnknownSection provider={provider} subject={subject} />
      <TimelinessSection provider={provider} subject={subject} />
    </div>
  );
}
