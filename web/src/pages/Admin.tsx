/**
 * Administration (admin keys and the bootstrap token): providers and their mapping versions with the coverage
 * report, API keys, and the audit log. The admin calls go to ingest's admin API and report-api's audit log, which the
 * embedded runtime serves from this one origin (see the README for the distributed runtime).
 */
import { useI18n } from '../i18n/index.js';
import { Audit } from './admin/Audit.js';
import { Keys } from './admin/Keys.js';
import { Providers } from './admin/Providers.js';

export function Admin({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="page-title" class="admin">
      <h1 id="page-title">{t.admin.title}</h1>
      <nav aria-label={t.admin.sections} class="sections">
        <a href="#/admin" onClick={jump('providers-title')}>
          {t.admin.providers}
        </a>{' '}
        ·{' '}
        <a href="#/admin" onClick={jump('keys-title')}>
          {t.admin.keys}
        </a>{' '}
        ·{' '}
        <a href="#/admin" onClick={jump('audit-title')}>
          {t.admin.audit}
        </a>
      </nav>
      <Providers onError={onError} />
      <Keys onError={onError} />
      <Audit onError={onError} />
    </section>
  );
}

/** In-page links that keep the page's hash (`#/admin`) and move focus to the section. */
const jump = (id: string) => (event: MouseEvent) => {
  event.preventDefault();
  const target = document.getElementById(id);
  target?.setAttribute('tabindex', '-1');
  target?.focus();
};
