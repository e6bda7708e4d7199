/** How the quality sections write dates, shares, kinds and field names in the page's language. */
import { useI18n } from '../i18n/index.js';

export function useQualityFormat() {
  const { t, formatNumber, language } = useI18n();
  const m = t.quality;
  const locale = language === 'pt' ? 'pt-PT' : 'en-GB';
  return {
    t,
    m,
    formatNumber,
    locale,
    percent: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
    date: (ms: number) => new Date(ms).toLocaleDateString(locale, { timeZone: 'UTC' }),
    kindName: (kind: string) => (m.kinds as Record<string, string | undefined>)[kind] ?? kind,
    eventName: (kind: string) => (m.events as Record<string, string | undefined>)[kind] ?? kind,
    fieldName: (field: string) => (t.reports.dims as Record<string, string | undefined>)[field] ?? field,
  };
}
