/**
 * Data entry for small providers without a case system of their own (IOM's HTCDS guidance for small front-line
 * organisations: spreadsheets are common, devices get lost, keep identifiable data out where you can). A victim
 * record is entered in a form built from the provider's own mapping (`GET /v1/mapping`) and sent to the submission
 * endpoint, whose receipt's reasons are shown next to the fields they concern. Offline, the record waits in the
 * browser (IndexedDB) and is sent when the connection returns (the `online` event, and a retry every 15 s), then
 * deleted from the browser. A CSV export is previewed (`dryRun=true`: nothing accepted) and then sent.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { client } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { messageOf, problemOf } from '../problem.js';
import { CsvUpload } from './entry/CsvUpload.js';
import { EntryForm } from './entry/EntryForm.js';
import { Waiting } from './entry/Waiting.js';
import { entryFields } from '../entry/form-fields.js';
import { useLocalizedCodeLists, type CodeLists } from '../code-labels.js';
import { flush } from '../entry/send.js';
import { waiting, type WaitingRecord } from '../entry/outbox.js';
import { Status } from './Status.js';

const RETRY_MS = 15_000;

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener('online', on);
    addEventListener('offline', off);
    return () => {
      removeEventListener('online', on);
      removeEventListener('offline', off);
    };
  }, []);
  return online;
}

export function Entry({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useI18n();
  const online = useOnline();
  const [setup, setSetup] = useState<
    { providerId: string; mapping: unknown; codeLists: CodeLists } | 'loading' | 'error'
  >('loading');
  // Undefined until the outbox has been read: the page said "no records waiting" before it knew.
  const [queue, setQueue] = useState<WaitingRecord[] | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState<string | undefined>(undefined);

  const load = useCallback(() => {
    setSetup('loading');
    Promise.all([client.GET('/v1/mapping'), client.GET('/v1/taxonomy')])
      .then(([m, tax]) => {
        if (m.data === undefined) throw problemOf(m.response, m.error);
        if (tax.data === undefined) throw problemOf(tax.response, tax.error);
        setSetup({ providerId: m.data.provider.id, mapping: m.data.mapping, codeLists: tax.data.codeLists });
      })
      .catch((error: unknown) => {
        onError(error);
        setSetup('error');
      });
  }, [onError]);
  useEffect(load, [load]);

  const providerId = typeof setup === 'string' ? undefined : setup.providerId;
  // The form's labels follow the page's language.
  const codeLists = useLocalizedCodeLists(typeof setup === 'string' ? undefined : setup.codeLists);
  const fields = useMemo(
    () => (typeof setup === 'string' || codeLists === undefined ? [] : entryFields(setup.mapping, codeLists)),
    [setup, codeLists],
  );
  const refresh = useCallback(async () => {
    if (providerId !== undefined) setQueue(await waiting(providerId));
  }, [providerId]);

  // A ref, not state: two triggers in one tick (the online event and the timer) must not both send.
  const inFlight = useRef(false);
  const sendWaiting = useCallback(async () => {
    if (providerId === undefined || inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    try {
      const sent = await flush(providerId);
      if (sent !== undefined && sent > 0) setNote(t.entry.sentWaiting.replace('{n}', String(sent)));
    } catch (error) {
      onError(error);
      setNote(messageOf(error));
    } finally {
      await refresh();
      inFlight.current = false;
      setSending(false);
    }
  }, [providerId, refresh, onError, t]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  // Send when the connection returns or a record starts waiting, and retry every 15 s while records wait (a network
  // can fail with the browser still "online"); a failed send leaves the count as it was, so it does not loop.
  const pending = (queue ?? []).filter((w) => w.issues === undefined).length;
  useEffect(() => {
    if (online && pending > 0) void sendWaiting();
  }, [online, pending, sendWaiting]);
  useEffect(() => {
    const timer = setInterval(() => {
      if (navigator.onLine) void sendWaiting();
    }, RETRY_MS);
    return () => clearInterval(timer);
  }, [sendWaiting]);

  if (setup === 'loading') return <Status kind="loading" />;
  if (setup === 'error') return <Status kind="error" onRetry={load} />;
  return (
    <section aria-labelledby="page-title" class="entry">
      <h1 id="page-title">{t.entry.title}</h1>
      <p>{t.entry.intro}</p>
      <p class={online ? 'online' : 'offline'} role="status" data-online={online ? 'true' : 'false'}>
        {online ? t.entry.online : t.entry.offline}
      </p>
      {note === undefined ? null : (
        <p role="status" class="note" data-note="">
          {note}
        </p>
      )}
      <EntryForm
        providerId={setup.providerId}
        fields={fields}
        online={online}
        onError={onError}
        onQueued={() => void refresh()}
      />
      <Waiting
        queue={queue}
        online={online}
        sending={sending}
        onSend={() => void sendWaiting()}
        onChanged={() => void refresh()}
      />
      <CsvUpload onError={onError} />
    </section>
  );
}
