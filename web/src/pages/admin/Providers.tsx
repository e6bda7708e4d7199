/**
 * Providers: the list, registering one with its first mapping (its first key is shown once), and for a chosen
 * provider its mapping versions (the current one shown, a new one pasted or uploaded) and the coverage report of
 * the values its mapping did not map.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useLocalizedCodeLists } from '../../code-labels.js';
import { syntaxError } from '../../json-lines.js';
import { Problem, messageOf, problemOf } from '../../problem.js';
import { MappingEditor, mappingIssues, type MappingProblems } from './MappingEditor.js';
import { Loaded, ListingTable } from './Listing.js';
import { ShownOnce } from './ShownOnce.js';

type Provider = Schema<'Provider'>;
type ProviderType = Schema<'ProviderRequest'>['type'];
interface Unmapped {
  readonly field: string;
  readonly value: string;
  readonly count: number;
  readonly lastSeen: number;
}

/** Parses the editor's text, or gives the problem to show next to its line. */
function parseText(text: string): { mapping: Record<string, unknown> } | { problems: MappingProblems } {
  const syntax = syntaxError(text);
  if (syntax !== undefined || text.trim() === '')
    return {
      problems: {
        text,
        issues: [
          {
            field: '',
            code: 'invalid-json',
            message: `JSON: ${syntax?.message ?? 'empty'}`,
            line: syntax?.line ?? 1,
          },
        ],
      },
    };
  return { mapping: JSON.parse(text) as Record<string, unknown> };
}

/** The issues of a refused mapping (or a message for any other failure). */
function refusal(
  error: unknown,
  text: string,
  prefix: string,
): { problems?: MappingProblems; message?: string } {
  if (error instanceof Problem && error.issues.some((i) => i.code === 'invalid-mapping'))
    return {
      problems: {
        text,
        issues: mappingIssues(
          error.issues.filter((i) => i.code === 'invalid-mapping'),
          prefix,
        ),
      },
    };
  return { message: messageOf(error) };
}

export function Providers({ onError }: { onError: (error: unknown) => void }) {
  const { t, formatNumber } = useI18n();
  const [providers, setProviders] = useState<Provider[] | 'loading' | 'error'>('loading');
  const [chosen, setChosen] = useState<string | undefined>(undefined);

  const load = useCallback(() => {
    client
      .GET('/v1/admin/providers')
      .then(({ data, error, response }) => {
        if (data === undefined) throw problemOf(response, error);
        setProviders(data.providers);
      })
      .catch((error: unknown) => {
        onError(error);
        setProviders('error');
      });
  }, [onError]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="providers-title">
      <h2 id="providers-title">{t.admin.providers}</h2>
      <Loaded value={providers} onRetry={load}>
        {(providers) => (
          <ListingTable
            name="providers"
            columns={[
              { label: t.admin.providerId },
              { label: t.admin.providerName },
              { label: t.admin.providerType },
              { label: t.admin.mappingVersion, number: true },
              { label: t.admin.actions, hidden: true },
            ]}
          >
            {providers.map((p) => (
              <tr key={p.id} data-provider={p.id}>
                <th scope="row">{p.id}</th>
                <td>{p.name}</td>
                <td>{p.type}</td>
                <td class="number">{formatNumber(p.mappingVersion)}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-pressed={chosen === p.id}
                    onClick={() => setChosen(chosen === p.id ? undefined : p.id)}
                  >
                    {t.admin.manage.replace('{id}', p.id)}
                  </button>
                </td>
              </tr>
            ))}
          </ListingTable>
        )}
      </Loaded>
      {chosen === undefined ? null : (
        <ProviderDetail key={chosen} id={chosen} onError={onError} onChanged={load} />
      )}
      <Register onError={onError} onCreated={load} />
    </section>
  );
}

function Register({ onError, onCreated }: { onError: (e: unknown) => void; onCreated: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<MappingProblems | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState<{ id: string; key: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // Provider types with their labels, from the taxonomy (the server's list, so the form never offers another).
  const [taxonomy, setTaxonomy] = useState<Readonly<Record<string, Readonly<Record<string, string>>>>>({});
  const types = useLocalizedCodeLists(taxonomy).providerType ?? {};
  useEffect(() => {
    client
      .GET('/v1/taxonomy')
      .then(({ data }) => setTaxonomy({ providerType: data?.codeLists.providerType ?? {} }))
      .catch(onError);
  }, [onError]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    setMessage(undefined);
    const parsed = parseText(text);
    if ('problems' in parsed) {
      setProblems(parsed.problems);
      return;
    }
    setProblems(undefined);
    setBusy(true);
    client
      .POST('/v1/admin/providers', {
        body: {
          id: value('id'),
          name: value('name'),
          type: value('type') as ProviderType,
          mapping: parsed.mapping,
        },
      })
      .then(({ data, error, response }) => {
        if (data === undefined) throw problemOf(response, error);
        setCreated({ id: data.provider.id, key: data.key });
        setText('');
        form.reset();
        onCreated();
      })
      .catch((error: unknown) => {
        onError(error);
        const out = refusal(error, text, 'mapping');
        setProblems(out.problems);
        setMessage(out.message);
      })
      .finally(() => setBusy(false));
  };

  return (
    <div class="panel">
      <h3>{t.admin.register}</h3>
      {created === undefined ? null : (
        <ShownOnce
          title={t.admin.providerCreated.replace('{id}', created.id)}
          secret={created.key}
          onDone={() => setCreated(undefined)}
        />
      )}
      <form onSubmit={submit} class="stacked" data-form="register">
        <label for="provider-id">{t.admin.providerId}</label>
        <input
          id="provider-id"
          name="id"
          required
          pattern="[a-z0-9][a-z0-9\-]{1,62}"
          aria-describedby="provider-id-hint"
        />
        <p id="provider-id-hint" class="hint">
          {t.admin.providerIdHint}
        </p>
        <label for="provider-name">{t.admin.providerName}</label>
        <input id="provider-name" name="name" required maxLength={200} />
        <label for="provider-type">{t.admin.providerType}</label>
        <select id="provider-type" name="type">
          {Object.entries(types).map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
        <MappingEditor id="register-mapping" text={text} onText={setText} problems={problems} />
        <button type="submit" disabled={busy}>
          {busy ? t.admin.busy : t.admin.registerSubmit}
        </button>
        {message === undefined ? null : (
          <p role="alert" class="error">
            {message}
          </p>
        )}
      </form>
    </div>
  );
}

function ProviderDetail({
  id,
  onError,
  onChanged,
}: {
  id: string;
  onError: (e: unknown) => void;
  onChanged: () => void;
}) {
  const { t, formatNumber, language } = useI18n();
  const [detail, setDetail] = useState<{ provider: Provider; mapping?: object } | undefined>(undefined);
  const [coverage, setCoverage] = useState<readonly Unmapped[] | undefined>(undefined);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<MappingProblems | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    Promise.all([
      client.GET('/v1/admin/providers/{id}', { params: { path: { id } } }),
      client.GET('/v1/admin/providers/{id}/coverage', { params: { path: { id } } }),
    ])
      .then(([p, c]) => {
        if (p.data === undefined) throw problemOf(p.response, p.error);
        if (c.data === undefined) throw problemOf(c.response, c.error);
        setDetail(p.data);
        setText(JSON.stringify(p.data.mapping ?? {}, null, 2));
        setCoverage(c.data.unmapped);
      })
      .catch((error: unknown) => {
        onError(error);
        setMessage(messageOf(error));
      });
  }, [id, onError]);
  useEffect(load, [load]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setMessage(undefined);
    const parsed = parseText(text);
    if ('problems' in parsed) {
      setProblems(parsed.problems);
      return;
    }
    setProblems(undefined);
    setBusy(true);
    client
      .PUT('/v1/admin/providers/{id}/mapping', { params: { path: { id } }, body: parsed.mapping })
      .then(({ data, error, response }) => {
        if (data === undefined) throw problemOf(response, error);
        setMessage(t.admin.versionStored.replace('{n}', formatNumber(data.version)));
        onChanged();
        load();
      })
      .catch((error: unknown) => {
        onError(error);
        const out = refusal(error, text, '');
        setProblems(out.problems);
        setMessage(out.message);
      })
      .finally(() => setBusy(false));
  };

  const date = new Intl.DateTimeFormat(language === 'pt' ? 'pt-PT' : 'en-GB', { dateStyle: 'medium' });
  return (
    <div class="panel" data-detail={id}>
      <h3>{t.admin.detailTitle.replace('{id}', id)}</h3>
      {detail === undefined ? (
        <p role="status">{t.loading}</p>
      ) : (
        <>
          <p>{t.admin.currentVersion.replace('{n}', formatNumber(detail.provider.mappingVersion))}</p>
          <form onSubmit={submit} class="stacked" data-form="mapping">
            <MappingEditor id="version-mapping" text={text} onText={setText} problems={problems} />
            <button type="submit" disabled={busy}>
              {busy ? t.admin.busy : t.admin.newVersion}
            </button>
          </form>
          <h4>{t.admin.coverage}</h4>
          {coverage === undefined || coverage.length === 0 ? (
            <p>{t.admin.coverageNone}</p>
          ) : (
            <ListingTable
              name="coverage"
              columns={[
                { label: t.admin.field },
                { label: t.admin.value },
                { label: t.admin.count, number: true },
                { label: t.admin.lastSeen },
              ]}
            >
              {coverage.map((u) => (
                <tr key={`${u.field}\u0000${u.value}`}>
                  <td>{u.field}</td>
                  <td>
                    <code>{u.value}</code>
                  </td>
                  <td class="number">{formatNumber(u.count)}</td>
                  <td>{date.format(u.lastSeen)}</td>
                </tr>
              ))}
            </ListingTable>
          )}
        </>
      )}
      {message === undefined ? null : (
        <p role="status" class={problems === undefined ? undefined : 'error'}>
          {message}
        </p>
      )}
    </div>
  );
}
