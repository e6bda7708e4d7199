/**
 * API keys: the list (never a secret or a hash: the server has none to give), issuing a key for a role (and, for a
 * provider key, its provider), shown once, and revoking one, which ends its sessions at once.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { messageOf, problemOf, Problem } from '../../problem.js';
import { Loaded, ListingTable } from './Listing.js';
import { ShownOnce } from './ShownOnce.js';

type ApiKey = Schema<'ApiKey'>;
type KeyRole = Schema<'KeyRequest'>['role'];
const ROLES: readonly KeyRole[] = ['provider', 'analyst', 'coordinator', 'admin'];

export function Keys({ onError }: { onError: (error: unknown) => void }) {
  const { t, language } = useI18n();
  const [keys, setKeys] = useState<ApiKey[] | 'loading' | 'error'>('loading');
  const [role, setRole] = useState<KeyRole>('analyst');
  const [created, setCreated] = useState<{ id: string; key: string } | undefined>(undefined);
  const [message, setMessage] = useState<{ text: string; field?: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    client
      .GET('/v1/admin/keys')
      .then(({ data, error, response }) => {
        if (data === undefined) throw problemOf(response, error);
        setKeys(data.keys);
      })
      .catch((error: unknown) => {
        onError(error);
        setKeys('error');
      });
  }, [onError]);
  useEffect(load, [load]);

  const create = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string): string =>
      ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
    setMessage(undefined);
    setBusy(true);
    const providerId = value('providerId');
    const label = value('label');
    client
      .POST('/v1/admin/keys', {
        body: {
          role,
          ...(role === 'provider' ? { providerId } : {}),
          ...(label === '' ? {} : { label }),
        },
      })
      .then(({ data, error, response }) => {
        if (data === undefined) throw problemOf(response, error);
        setCreated({ id: data.id, key: data.key });
        form.reset();
        load();
      })
      .catch((error: unknown) => {
        onError(error);
        const issue = error instanceof Problem ? error.issues[0] : undefined;
        setMessage(
          issue === undefined ? { text: messageOf(error) } : { text: issue.message, field: issue.field },
        );
      })
      .finally(() => setBusy(false));
  };

  const revoke = (id: string) => {
    client
      .DELETE('/v1/admin/keys/{id}', { params: { path: { id } } })
      .then(({ error, response }) => {
        if (!response.ok) throw problemOf(response, error);
        load();
      })
      .catch((error: unknown) => {
        onError(error);
        setMessage({ text: messageOf(error) });
      });
  };

  const date = new Intl.DateTimeFormat(language === 'pt' ? 'pt-PT' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t.admin.keys}</h2>
      {created === undefined ? null : (
        <ShownOnce
          title={t.admin.keyCreated.replace('{id}', created.id)}
          secret={created.key}
          onDone={() => setCreated(undefined)}
        />
      )}
      <form onSubmit={create} class="stacked" data-form="key">
        <label for="key-role">{t.admin.role}</label>
        <select
          id="key-role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as KeyRole)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t.roles[r]}
            </option>
          ))}
        </select>
        {role === 'provider' ? (
          <>
            <label for="key-provider">{t.admin.providerId}</label>
            <input
              id="key-provider"
              name="providerId"
              required
              aria-invalid={message?.field === 'providerId'}
              aria-describedby={message?.field === 'providerId' ? 'key-message' : undefined}
            />
          </>
        ) : null}
        <label for="key-label">{t.admin.label}</label>
        <input id="key-label" name="label" maxLength={200} />
        <button type="submit" disabled={busy}>
          {busy ? t.admin.busy : t.admin.createKey}
        </button>
        {message === undefined ? null : (
          <p id="key-message" role="alert" class="error">
            {message.text}
          </p>
        )}
      </form>
      <Loaded value={keys} onRetry={load}>
        {(keys) => (
          <ListingTable
            name="keys"
            columns={[
              { label: t.admin.keyId },
              { label: t.admin.role },
              { label: t.admin.providerId },
              { label: t.admin.label },
              { label: t.admin.created },
              { label: t.admin.state },
            ]}
          >
            {keys.map((k) => (
              <tr key={k.id} data-key={k.id} data-revoked={k.revokedAt === undefined ? undefined : ''}>
                <th scope="row">
                  <code>{k.id}</code>
                </th>
                <td>{k.role === 'node' ? t.hub.nodeRole : t.roles[k.role]}</td>
                <td>{k.providerId ?? k.country ?? '—'}</td>
                <td>{k.label ?? ''}</td>
                <td>{date.format(k.createdAt)}</td>
                <td>
                  {k.revokedAt === undefined ? (
                    <button type="button" class="danger" onClick={() => revoke(k.id)}>
                      {t.admin.revoke.replace('{id}', k.id)}
                    </button>
                  ) : (
                    t.admin.revokedAt.replace('{date}', date.format(k.revokedAt))
                  )}
                </td>
              </tr>
            ))}
          </ListingTable>
        )}
      </Loaded>
    </section>
  );
}
