/**
 * The records waiting in this browser: what is kept while offline (said plainly, identity included), each record's
 * state (waiting, or refused with the server's reasons), a button to send now and one to discard a refused record.
 */
import { useI18n } from '../../i18n/index.js';
import { drop, type WaitingRecord } from '../../entry/outbox.js';

export function Waiting({
  queue,
  online,
  sending,
  onSend,
  onChanged,
}: {
  /** Undefined until the outbox has been read (it is not "none waiting" before). */
  queue: readonly WaitingRecord[] | undefined;
  online: boolean;
  sending: boolean;
  onSend: () => void;
  onChanged: () => void;
}) {
  const { t, language } = useI18n();
  const time = new Intl.DateTimeFormat(language === 'pt' ? 'pt-PT' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
  });
  return (
    <section aria-labelledby="waiting-title" class="waiting">
      <h2 id="waiting-title">{t.entry.waitingTitle}</h2>
      <p class="hint">{t.entry.storedNote}</p>
      <p role="status" data-waiting={queue === undefined ? 'loading' : queue.length}>
        {queue === undefined
          ? t.loading
          : queue.length === 0
            ? t.entry.noneWaiting
            : t.entry.waitingCount.replace('{n}', String(queue.length))}
      </p>
      {queue === undefined || queue.length === 0 ? null : (
        <>
          <table class="listing" data-table="waiting">
            <thead>
              <tr>
                <th scope="col">{t.entry.recordId}</th>
                <th scope="col">{t.entry.enteredAt}</th>
                <th scope="col">{t.entry.state}</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((w) => (
                <tr key={w.recordId} data-record={w.recordId}>
                  <th scope="row">{w.recordId}</th>
                  <td>{time.format(w.enteredAt)}</td>
                  <td>
                    {w.issues === undefined ? (
                      t.entry.stateWaiting
                    ) : (
                      <>
                        <span class="error">{t.entry.stateRefused}</span>
                        <ul class="field-issues error">
                          {w.issues.map((issue, i) => (
                            <li key={i}>{issue.message}</li>
                          ))}
                        </ul>
                        <button
                          type="button"
                          class="danger"
                          onClick={() => void drop([w.recordId]).then(onChanged)}
                        >
                          {t.entry.discard.replace('{id}', w.recordId)}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={onSend} disabled={!online || sending}>
            {sending ? t.entry.sending : t.entry.sendNow}
          </button>
        </>
      )}
    </section>
  );
}
