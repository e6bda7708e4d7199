/** A page still to be built: its title and a plain note that it is coming. */
import { useI18n } from '../i18n/index.js';
import type { PageId } from '../pages.js';

export function Coming({ page }: { page: PageId }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">
        {t.nav[page]} <span class="badge">({t.coming})</span>
      </h1>
      <p>{t.comingText}</p>
    </section>
  );
}
