/**
 * Providers and data quality: per provider, the volume of current records over time, rejected records and dead
 * letters with their reasons, provider values the mapping does not map, the share of `UNK` per field and the
 * timeliness of arrival, from `GET /v1/reports/quality`. A provider sees its own; analysts and coordinators choose
 * one of the registered providers (`GET /v1/status/providers`; the choice kept in the URL's hash query) and only
 * its report is asked for, with counts below the threshold withheld unless a coordinator asks for exact values.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { client, failure } from '../api.js';
import { ExactToggle } from '../components/ExactToggle.js';
import { useI18n } from '../i18n/index.js';
import { protectionQuery, wantsExact } from '../protection.js';
import { ProviderSection } from '../quality/ProviderSection.js';
import type { QualityReport as Report } from '../quality/types.js';
import { setHashParams, useHashParams } from '../url-state.js';
import type { PageProps } from '../page-props.js';
import { Status } from './Status.js';
import type { Loaded } from '../loaded.js';

/** The registered providers' ids, sorted as the quality report sorts them. */
async function loadProviderIds(): Promise<string[]> {
  const { data, error, response } = await client.GET('/v1/status/providers');
  if (data === undefined) throw failure(response, error);
  return data.providers.map((p) => p.id).sort();
}

export function Quality({ onError, role }: PageProps) {
  const { t } = useI18n();
  const m = t.quality;
  const params = useHashParams();
  const exact = wantsExact(role, params);
  const asked = role === 'provider' ? undefined : (params.get('provider') ?? undefined);
  // A provider's key reads its own report only, so it needs no list.
  const [ids, setIds] = useState<Loaded<string[]>>(
    role === 'provider' ? { state: 'ok', value: [] } : { state: 'loading' },
  );
  // The answer with the query it answers (`<provider>|<exact>`): another provider's report, or an older request's
  // answer coming late, is never shown for the one chosen now.
  const [answer, setAnswer] = useState<{ query: string; report: Loaded<Report> } | undefined>(undefined);

  const loadIds = useCallback(() => {
    if (role === 'provider') return;
    setIds({ state: 'loading' });
    loadProviderIds()
      .then((value) => setIds({ state: 'ok', value }))
      .catch((error: unknown) => {
        onError(error);
        setIds({ state: 'error', message: String((error as Error).message) });
      });
  }, [role, onError]);
  useEffect(loadIds, [loadIds]);

  const providers = ids.state === 'ok' ? ids.value : [];
  // The provider asked in the URL if it is registered, else the first; for a provider's key, its own (undefined).
  const chosen = role === 'provider' ? undefined : providers.includes(asked ?? '') ? asked : providers[0];
  const ready = role === 'provider' || chosen !== undefined;

  const query = `${chosen ?? ''}|${exact}`;
  // Only the chosen provider's report is asked for, not every provider's.
  const load = useCallback(() => {
    if (!ready) return;
    setAnswer({ query, report: { state: 'loading' } });
    client
      .GET('/v1/reports/quality', {
        params: {
          query: { ...protectionQuery(exact), ...(chosen === undefined ? {} : { providers: chosen }) },
        },
      })
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        setAnswer((last) => (last?.query === query ? { query, report: { state: 'ok', value: data } } : last));
      })
      .catch((error: unknown) => {
        onError(error);
        const report = { state: 'error', message: String((error as Error).message) } as const;
        setAnswer((last) => (last?.query === query ? { query, report } : last));
      });
  }, [ready, chosen, exact, query, onError]);
  useEffect(load, [load]);

  const report: Loaded<Report> = answer?.query === query ? answer.report : { state: 'loading' };
  const shown =
    report.state === 'ok'
      ? (report.value.providers.find((p) => p.providerId === chosen) ?? report.value.providers[0])
      : undefined;
  const choose = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('provider', id);
    setHashParams(next);
  };

  return (
    <section aria-labelledby="page-title" class="quality">
      <h1 id="page-title">{m.title}</h1>
      <p>{role === 'provider' ? m.introProvider : m.intro}</p>
      {ids.state === 'loading' ? (
        <Status kind="loading" />
      ) : ids.state === 'error' ? (
        <Status kind="error" onRetry={loadIds} />
      ) : !ready ? (
        <p>{m.noProviders}</p>
      ) : (
        <>
          {role === 'provider' ? null : (
            <div class="controls">
              <div class="field">
                <label for="quality-provider">{m.provider}</label>
                <select id="quality-provider" value={chosen} onChange={(e) => choose(e.currentTarget.value)}>
                  {providers.map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
                </select>
              </div>
              <ExactToggle role={role} params={params} />
            </div>
          )}
          {report.state === 'loading' ? (
            <Status kind="loading" />
          ) : report.state === 'error' ? (
            <Status kind="error" onRetry={load} />
          ) : shown === undefined ? (
            <p>{m.noProviders}</p>
          ) : (
            <ProviderSection
              provider={shown}
              {...(report.value.threshold === undefined ? {} : { threshold: report.value.threshold })}
            />
          )}
        </>
      )}
    </section>
  );
}
