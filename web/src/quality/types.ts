import type { Schema } from '@mosy/client';

export type QualityReport = Schema<'QualityReport'>;
export type ProviderQuality = QualityReport['providers'][number];

/** What each section of a provider's quality gets: the provider's report and its cells' subject (web/src/cells.ts). */
export interface SectionProps {
  readonly provider: ProviderQuality;
  readonly subject: string;
}
