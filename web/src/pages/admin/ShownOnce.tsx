/**
 * A new key, shown once: the only time the browser has it. It lives in this component's state until "I have
 * stored it" drops it; the server keeps only its hash, so it cannot be shown again.
 */
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';

export function ShownOnce({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div class="shown-once" role="alert" tabIndex={-1} ref={box} aria-labelledby="shown-once-title">
      <p id="shown-once-title">
        <strong>{title}</strong>
      </p>
      <p>{t.admin.shownOnce}</p>
      <p>
        <code data-secret="" class="secret">
          {secret}
        </code>
      </p>
      <button type="button" onClick={onDone}>
        {t.admin.stored}
      </button>
    </div>
  );
}
