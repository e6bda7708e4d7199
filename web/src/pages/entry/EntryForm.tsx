/**
 * The victim-record form: the envelope (the provider's own case number, the reference date), the fields of the
 * provider's mapping, and the optional identity (used by the server only to count a person once; never shown back).
 * Online it sends at once and shows the receipt's reasons next to the fields; offline, or when the call cannot get
 * through, the record waits in the browser.
 */
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { fieldsOf, type EntryField } from '../../entry/form-fields.js';
import { keep } from '../../entry/outbox.js';
import { submitRecords } from '../../entry/send.js';
import { issuesFor, messageOf, Problem, type ProblemIssue } from '../../problem.js';

const IDENTITY = ['givenName', 'familyName', 'dateOfBirth'] as const;

function Issues({ id, issues }: { id: string; issues: readonly ProblemIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} class="field-issues error" data-issues-for={id.replace(/^issues-/, '')}>
      {issues.map((issue, i) => (
        <li key={i}>{issue.message}</li>
      ))}
    </ul>
  );
}

function Field({ field, issues }: { field: EntryField; issues: readonly ProblemIssue[] }) {
  const { t } = useI18n();
  const label = t.entry.fields[field.canonical];
  if (field.type === 'fixed')
    return (
      <p class="fixed">
        {label}: <code>{field.value}</code> {t.entry.fixed}
      </p>
    );
  if (field.type === 'flags')
    return (
      <fieldset data-field={field.canonical}>
        <legend>{label}</legend>
        {field.flags.map(({ source, code }) => (
          <label key={source} class="check">
            <input type="checkbox" name={source} value={field.truthy} /> {source} ({code})
          </label>
        ))}
        <Issues id={`issues-${field.canonical}`} issues={issues} />
      </fieldset>
    );
  const id = `f-${field.source}`;
  const described = issues.length > 0 ? `issues-${field.source}` : undefined;
  return (
    <div class="field" data-field={field.canonical}>
      <label for={id}>
        {label} <span class="source">({field.source})</span>
      </label>
      {field.type === 'choice' ? (
        <select
          id={id}
          name={field.source}
          multiple={field.multiple}
          size={field.multiple ? 4 : undefined}
          aria-invalid={issues.length > 0}
          aria-describedby={described}
        >
          {field.multiple ? null : <option value="">{t.entry.notGiven}</option>}
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name={field.source}
          type={field.type === 'number' ? 'number' : 'text'}
          inputMode={field.type === 'number' ? 'numeric' : undefined}
          autocomplete="off"
          aria-invalid={issues.length > 0}
          aria-describedby={described}
          placeholder={field.type === 'text' && field.multiple ? t.entry.listHint : undefined}
        />
      )}
      <Issues id={`issues-${field.source}`} issues={issues} />
    </div>
  );
}

export function EntryForm({
  providerId,
  fields,
  online,
  onError,
  onQueued,
}: {
  providerId: string;
  fields: readonly EntryField[];
  online: boolean;
  onError: (error: unknown) => void;
  onQueued: () => void;
}) {
  const { t } = useI18n();
  const [issues, setIssues] = useState<readonly ProblemIssue[]>([]);
  const [result, setResult] = useState<
    { kind: 'accepted' | 'duplicate' | 'waiting' | 'rejected' | 'failed'; text: string } | undefined
  >(undefined);
  const [busy, setBusy] = useState(false);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const read = (name: string): string[] => data.getAll(name).map(String);
    const text = (name: string): string => (read(name)[0] ?? '').trim();
    const identity: Record<string, string> = {};
    for (const k of IDENTITY) if (text(`identity.${k}`) !== '') identity[k] = text(`identity.${k}`);
    const recordId = text('recordId');
    const record: Record<string, unknown> = {
      recordId,
      version: 1,
      action: 'upsert',
      kind: 'victim',
      referenceDate: text('referenceDate'),
      fields: fieldsOf(fields, read),
      ...(Object.keys(identity).length === 0 ? {} : { identity }),
    };
    setIssues([]);
    setResult(undefined);
    const queue = async () => {
      await keep({ recordId, providerId, enteredAt: Date.now(), record });
      form.reset();
      setResult({ kind: 'waiting', text: t.entry.queued.replace('{id}', recordId) });
      onQueued();
    };
    setBusy(true);
    (async () => {
      if (!navigator.onLine) return queue();
      const receipt = await submitRecords([record]);
      if (receipt === undefined) return queue();
      const r = receipt.records[0];
      if (r?.status === 'rejected') {
        setIssues(r.issues ?? []);
        setResult({ kind: 'rejected', text: t.entry.rejected });
      } else {
        form.reset();
        setResult({
          kind: r?.status === 'duplicate' ? 'duplicate' : 'accepted',
          text: (r?.status === 'duplicate' ? t.entry.duplicate : t.entry.accepted).replace('{id}', recordId),
        });
      }
      return undefined;
    })()
      .catch((error: unknown) => {
        onError(error);
        if (error instanceof Problem) setIssues(error.issues);
        setResult({ kind: 'failed', text: messageOf(error) });
      })
      .finally(() => setBusy(false));
  };

  const envelopeIssues = (name: string) => issuesFor(issues, name);
  const unplaced = issues.filter(
    (i) =>
      !['recordId', 'referenceDate', 'version', 'kind', 'action'].some((f) => i.field === f) &&
      !i.field.startsWith('fields.') &&
      !i.field.startsWith('identity'),
  );
  // Issues about a source field not in the form (a field the server knows and the form does not) go at the end.
  const sources = new Set(
    fields.flatMap((f) =>
      f.type === 'flags' ? f.flags.map((x) => x.source) : 'source' in f ? [f.source] : [],
    ),
  );
  const stray = issues.filter(
    (i) => i.field.startsWith('fields.') && !sources.has(i.field.slice(7).split('.')[0] ?? ''),
  );
  return (
    <form onSubmit={submit} class="stacked entry-form" data-form="entry" noValidate={false}>
      <h2>{t.entry.formTitle}</h2>
      <div class="field">
        <label for="f-recordId">{t.entry.recordId}</label>
        <input
          id="f-recordId"
          name="recordId"
          required
          maxLength={128}
          autocomplete="off"
          aria-describedby="hint-recordId"
        />
        <p id="hint-recordId" class="hint">
          {t.entry.recordIdHint}
        </p>
        <Issues id="issues-recordId" issues={envelopeIssues('recordId')} />
      </div>
      <div class="field">
        <label for="f-referenceDate">{t.entry.referenceDate}</label>
        <input id="f-referenceDate" name="referenceDate" type="date" required />
        <Issues id="issues-referenceDate" issues={envelopeIssues('referenceDate')} />
      </div>
      {fields.map((field) => (
        <Field
          key={field.canonical}
          field={field}
          issues={
            field.type === 'flags'
              ? field.flags.flatMap((f) => issuesFor(issues, `fields.${f.source}`))
              : field.type === 'fixed'
                ? []
                : issuesFor(issues, `fields.${field.source}`)
          }
        />
      ))}
      <fieldset class="identity">
        <legend>{t.entry.identity}</legend>
        <p class="hint">{t.entry.identityHint}</p>
        {IDENTITY.map((k) => (
          <div class="field" key={k}>
            <label for={`f-identity-${k}`}>{t.entry.identityFields[k]}</label>
            <input
              id={`f-identity-${k}`}
              name={`identity.${k}`}
              type={k === 'dateOfBirth' ? 'date' : 'text'}
              autocomplete="off"
            />
            <Issues id={`issues-identity.${k}`} issues={issuesFor(issues, `identity.${k}`)} />
          </div>
        ))}
      </fieldset>
      <Issues id="issues-other" issues={[...unplaced, ...stray]} />
      <button type="submit" disabled={busy}>
        {online ? t.entry.send : t.entry.keep}
      </button>
      {result === undefined ? null : (
        <p
          role={result.kind === 'rejected' || result.kind === 'failed' ? 'alert' : 'status'}
          class={result.kind === 'rejected' || result.kind === 'failed' ? 'error' : 'ok'}
          data-result={result.kind}
        >
          {result.text}
        </p>
      )}
    </form>
  );
}
