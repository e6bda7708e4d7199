/** Loading and error states, announced to screen readers, with a way out for errors. */
import { useI18n } from '../i18n/index.js';

export function Status({ kind, onRetry }: { kind: 'loading' | 'error'; onRetry?: () => void }) {
  const { t } = useI18n();
  if (kind === 'loading')
    return (
      <p role="status" aria-live="polite" class="status">
        {t.loading}
      </p>
    );
  return (
    <div role="alert" class="error">
      <p>{t.loadFailed}</p>
      {onRetry === undefined ? null : (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}
