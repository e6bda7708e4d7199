/**
 * What the numbers on a page are: for analysts, what `c` means and that published values are perturbed (cell key
 * method) or withheld (suppression), so cells need not add up to their margins; for a coordinator reading exact
 * values, that they are exact and that the read is audited.
 */
import type { Schema } from '@mosy/client';
import { useI18n } from '../i18n/index.js';
import { fill } from '../protection.js';

type Disclosure = Schema<'Disclosure'>;

export function ProtectionLegend({ disclosure }: { disclosure: Disclosure }) {
  const { t } = useI18n();
  const m = t.reports.protection;
  let text: string;
  switch (disclosure.method) {
    case 'none':
      text = m.exact;
      break;
    case 'suppression':
      text = fill(m.suppression, { threshold: disclosure.threshold, withheld: disclosure.withheld });
      break;
    case 'cell-key':
      text = fill(m.cellKey, {
        threshold: disclosure.threshold,
        max: disclosure.maxPerturbation,
        withheld: disclosure.withheld,
      });
      break;
  }
  return (
    <aside class="legend" aria-label={m.title} data-protection={disclosure.method}>
      <p>
        <strong>{m.title}.</strong> {text}
      </p>
    </aside>
  );
}
