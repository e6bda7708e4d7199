/**
 * Exports (coordinators): the versions of the quarterly Common Key Indicators report — each quarter's draft, its
 * publication and its revisions — with a preview of one (metadata and published observations), the download of
 * each artefact (plain links: the browser sends the session cookie), and buttons to build a quarter's draft,
 * publish a draft and ask for a revision. Everything else goes through the typed client.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Status } from './Status.js';

type Version = Schema<'QuarterlyReportVersion'>;
type Preview = Schema<'QuarterlyExportPreview'>;

const FORMATS = ['sdmx-csv', 'csv', 'json', 'metadata-csv', 'metadata-json'] as const;
const QUARTER = /^\d{4}-Q[1-4]$/;
const PREVIEW_ROWS = 25;

/** A message with its `{name}` placeholders filled in. */
const fill = (template: string, values: Readonly<Record<string, string | number>>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));

/** The last closed quarter, as a default for the draft form. */
function lastClosedQuarter(now = new Date()): string {
  const q = Math.floor(now.getUTCMonth() / 3);
  return q === 0 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${q}`;
}

export function Exports({ onError }: { onError: (error: unknown) => void }) {
  const { t, formatNumber } = useI18n();
  const [versions, setVersions] = useState<readonly Version[] | 'loading' | 'error'>('loading');
  const [period, setPeriod] = useState(lastClosedQuarter());
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview | undefined>();

  const load = useCallback(() => {
    setVersions('loading');
    client
      .GET('/v1/exports/quarterly')
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        setVersions(data.versions);
      })
      .catch((error: unknown) => {
        onError(error);
        setVersions('error');
      });
  }, [onError]);
  useEffect(load, [load]);

  /** Runs an action, says what came of it, and reloads the list. */
  const act = async (run: () => Promise<string>) => {
    setBusy(true);
    setMessage(t.exports.working);
    try {
      setMessage(await run());
      load();
    } catch (error) {
      onError(error);
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const draft = () =>
    act(async () => {
      const { data, error, response } = await client.POST('/v1/exports/quarterly/{period}/draft', {
        params: { path: { period } },
      });
      if (data === undefined) throw failure(response, error);
      return data.created ? fill(t.exports.built, { period }) : fill(t.exports.exists, { period });
    });
  const publish = (v: Version) =>
    act(async () => {
      const { data, error, response } = await client.POST(
        '/v1/exports/quarterly/{period}/{revision}/publish',
        {
          params: { path: { period: v.period, revision: String(v.revision) } },
        },
      );
      if (data === undefined) throw failure(response, error);
      return fill(t.exports.published, { period: v.period, revision: v.revision });
    });
  const revise = (v: Version) =>
    act(async () => {
      const { data, error, response } = await client.POST('/v1/exports/quarterly/{period}/revise', {
        params: { path: { period: v.period } },
      });
      if (data === undefined) throw failure(response, error);
      return data.created
        ? fill(t.exports.revised, { period: v.period, revision: data.version.revision })
        : fill(t.exports.unchanged, { period: v.period });
    });
  const show = (v: Version) =>
    act(async () => {
      const { data, error, response } = await client.GET('/v1/exports/quarterly/{period}/{revision}', {
        params: { path: { period: v.period, revision: String(v.revision) } },
      });
      if (data === undefined) throw failure(response, error);
      setPreview(data);
      return fill(t.exports.previewing, { period: v.period, revision: v.revision });
    });

  const latestOf = (list: readonly Version[], v: Version) => list.find((x) => x.period === v.period) === v;
  const sheet = preview?.metadata as
    | {
        disclosure?: { threshold?: number; withheld?: number };
        providers?: unknown[];
        revision?: { changed?: number; added?: number; removed?: number };
      }
    | undefined;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t.exports.title}</h1>
      <p>{t.exports.intro}</p>
      <form
        class="draft-form"
        onSubmit={(event) => {
          event.preventDefault();
          void draft();
        }}
      >
        <label for="draft-period">{t.exports.quarter}</label>
        <input
          id="draft-period"
          value={period}
          pattern="\d{4}-Q[1-4]"
          aria-describedby="draft-help"
          onInput={(event) => setPeriod((event.target as HTMLInputElement).value.trim())}
        />
        <button type="submit" disabled={busy || !QUARTER.test(period)}>
          {t.exports.buildDraft}
        </button>
        <span id="draft-help" class="help">
          {t.exports.draftHelp}
        </span>
      </form>
      <p role="status" aria-live="polite" data-message>
        {message}
      </p>
      {versions === 'loading' ? (
        <Status kind="loading" />
      ) : versions === 'error' ? (
        <Status kind="error" onRetry={load} />
      ) : versions.length === 0 ? (
        <p data-empty>{t.exports.none}</p>
      ) : (
        <table class="indicators" data-versions>
          <caption class="visually-hidden">{t.exports.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.exports.quarter}</th>
              <th scope="col" class="number">
                {t.exports.revision}
              </th>
              <th scope="col">{t.exports.state}</th>
              <th scope="col">{t.exports.downloads}</th>
              <th scope="col">{t.exports.actions}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={`${v.period}-${v.revision}`} data-version={`${v.period}/${v.revision}`}>
                <th scope="row">{v.period}</th>
                <td class="number">{formatNumber(v.revision)}</td>
                <td data-state>
                  {v.published === undefined
                    ? t.exports.draft
                    : fill(t.exports.publishedOn, {
                        date: new Date(v.published.at).toISOString().slice(0, 10),
                      })}
                </td>
                <td>
                  {FORMATS.map((format) => (
                    <a
                      key={format}
                      class="download"
                      href={`/v1/exports/quarterly/${v.period}/${v.revision}/${format}`}
                      download
                      title={`SHA-256 ${v.checksums[format] ?? ''}`}
                    >
                      {t.exports.formats[format]}
                    </a>
                  ))}
                </td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void show(v)}>
                    {t.exports.preview}
                  </button>
                  {v.published === undefined ? (
                    <button type="button" disabled={busy} onClick={() => void publish(v)}>
                      {t.exports.publish}
                    </button>
                  ) : latestOf(versions, v) ? (
                    <button type="button" disabled={busy} onClick={() => void revise(v)}>
                      {t.exports.revise}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview === undefined ? null : (
        <section aria-labelledby="preview-title" data-preview>
          <h2 id="preview-title">
            {fill(t.exports.previewTitle, {
              period: preview.version.period,
              revision: preview.version.revision,
            })}
          </h2>
          <dl class="facts">
            <dt>{t.exports.threshold}</dt>
            <dd>{formatNumber(sheet?.disclosure?.threshold ?? 0)}</dd>
            <dt>{t.exports.withheld}</dt>
            <dd data-withheld>{formatNumber(sheet?.disclosure?.withheld ?? 0)}</dd>
            <dt>{t.exports.providers}</dt>
            <dd>{formatNumber(sheet?.providers?.length ?? 0)}</dd>
            <dt>{t.exports.changes}</dt>
            <dd data-changes>
              {formatNumber(
                (sheet?.revision?.changed ?? 0) +
                  (sheet?.revision?.added ?? 0) +
                  (sheet?.revision?.removed ?? 0),
              )}
            </dd>
            <dt>{t.exports.observations}</dt>
            <dd data-observations>{formatNumber(preview.observations.length)}</dd>
          </dl>
          <table class="indicators">
            <caption>{fill(t.exports.firstRows, { rows: PREVIEW_ROWS })}</caption>
            <thead>
              <tr>
                <th scope="col">{t.exports.key}</th>
                <th scope="col" class="number">
                  {t.exports.value}
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.observations.slice(0, PREVIEW_ROWS).map((o) => {
                const name = Object.entries(o.key)
                  .map(([k, c]) => `${k}=${c}`)
                  .join(', ');
                return (
                  <tr key={name}>
                    <td>{name}</td>
                    <td class="number">
                      {o.value === null ? t.exports.withheldValue : formatNumber(o.value)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
