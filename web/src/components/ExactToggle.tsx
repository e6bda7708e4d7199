/** For coordinators: a switch between protected and exact values, kept in the page's URL state (`exact=1`). */
import type { Role } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { setHashParams } from '../url-state.js';

export function ExactToggle({ role, params }: { role: Role; params: URLSearchParams }) {
  const { t } = useI18n();
  if (role !== 'coordinator') return null;
  const toggle = (on: boolean) => {
    const next = new URLSearchParams(params);
    if (on) next.set('exact', '1');
    else next.delete('exact');
    setHashParams(next);
  };
  return (
    <label class="exact-toggle">
      <input
        type="checkbox"
        name="exact"
        checked={params.get('exact') === '1'}
        onChange={(e) => toggle(e.currentTarget.checked)}
      />{' '}
      {t.reports.protection.toggle}
    </label>
  );
}
