/**
 * Providers and data quality: per provider, the volume of current records over time, rejected records and dead
 * letters with their reasons, provider values the mapping does not map, the share of `UNK` per field and the
 * timeliness of arrival, from `GET /v1/reports/quality`. A provider sees its own; analysts and coordinators choose
 * one of the registered providers (`GET /v1/status/providers`; the choice kept in the URL's hash query) and only
 * its report is asked for, with counts below the threshold withheld unless a coordinator asks for exact values.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';
import { cellAttributes } from '../cells.js';
import { Chart, PLOT_CLASS, type PlotModule } from '../components/Chart.js';
import { ExactToggle } from '../components/ExactToggle.js';
import { useI18n } from '../i18n/index.js';
import { fill, protectionQuery, wantsExact } from '../protection.js';
import { setHashParams, useHashParams } from '../url-state.js';
import type { PageProps } from '../page-props.js';
import { Status } from './Status.js';

type Report = Schema<'QualityReport'>;
type ProviderQuality = Report['providers'][number];
type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; value: T };

function Count({
  subject,
  cell,
  value,
}: {
  subject: string;
  cell: Record<string, string>;
  value: number | null;
}) {
  const { t, formatNumber } = useI18n();
  return (
    <td class="number" {...cellAttributes(subject, cell, value)}>
      {value === null ? <abbr title={t.reports.withheld}>c</abbr> : formatNumber(value)}
    </td>
  );
}

function drawVolume(plot: PlotModule, provider: ProviderQuality, locale: string) {
  const points = provider.volume
    .filter((v) => !v.period.endsWith('-unspecified'))
    .map((v) => ({ kind: v.kind, period: v.period, value: v.records.value }));
  return plot.plot({
    className: PLOT_CLASS,
    width: 760,
    marginBottom: 60,
    marginRight: 90,
    style: { fontSize: '12px' },
    x: { type: 'point', label: null, tickRotate: -40 },
    y: { grid: true, label: null, zero: true, tickFormat: (n: number) => n.toLocaleString(locale) },
    marks: [
      plot.ruleY([0]),
      plot.line(points, { x: 'period', y: 'value', z: 'kind', stroke: 'kind', marker: 'circle' }),
      plot.text(
        points.filter((p) => p.value !== null),
        plot.selectLast({
          x: 'period',
          y: 'value',
          z: 'kind',
          text: 'kind',
          fill: 'kind',
          dx: 6,
          textAnchor: 'start',
        }),
      ),
    ],
  });
}

function ProviderSection({ provider, threshold }: { provider: ProviderQuality; threshold?: number }) {
  const { t, formatNumber, language } = useI18n();
  const m = t.quality;
  const locale = language === 'pt' ? 'pt-PT' : 'en-GB';
  const subject = `quality:${provider.providerId}`;
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const date = (ms: number) => new Date(ms).toLocaleDateString(locale, { timeZone: 'UTC' });
  const draw = useCallback((plot: PlotModule) => drawVolume(plot, provider, locale), [provider, locale]);
  const kinds = [...new Set(provider.volume.map((v) => v.kind))];
  const periods = [...new Set(provider.volume.map((v) => v.period))].sort();
  const volumeOf = new Map(provider.volume.map((v) => [`${v.kind}|${v.period}`, v.records.value]));
  const rejects = provider.events.filter((e) => e.kind === 'rejected' || e.kind === 'deadletter');
  const unmapped = provider.events.filter((e) => e.kind === 'unmapped' || e.kind === 'defaulted');
  const kindName = (kind: string) => (m.kinds as Record<string, string | undefined>)[kind] ?? kind;
  const fieldName = (field: string) => (t.reports.dims as Record<string, string | undefined>)[field] ?? field;

  return (
    <div class="quality-provider" data-provider={provider.providerId}>
      <h2>{fill(m.providerTitle, { provider: provider.providerId })}</h2>
      {threshold === undefined ? (
        <p class="legend">{m.exactNote}</p>
      ) : (
        <p class="legend">{fill(t.reports.protection.threshold, { threshold })}</p>
      )}

      <h3>{m.volume}</h3>
      <p class="hint">{m.volumeHint}</p>
      {provider.volume.length === 0 ? (
        <p>{m.noRecords}</p>
      ) : (
        <>
          <Chart draw={draw} label={m.volumeChart} />
          <div class="table-scroll" tabIndex={0} role="region" aria-label={m.volume}>
            <table class="report" data-quality-table="volume">
              <caption>{m.volume}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.reports.dims.period}</th>
                  {kinds.map((kind) => (
                    <th scope="col" class="number" key={kind}>
                      {kindName(kind)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {periods.map((period) => (
                  <tr key={period}>
                    <th scope="row">{period}</th>
                    {kinds.map((kind) => {
                      const value = volumeOf.get(`${kind}|${period}`);
                      return value === undefined ? (
                        <td class="number empty" key={kind}>
                          –
                        </td>
                      ) : (
                        <Count
                          key={kind}
                          subject={subject}
                          cell={{ measure: 'volume', kind, period }}
                          value={value}
                        />
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h3>{m.rejects}</h3>
      {rejects.length === 0 ? (
        <p>{m.noRejects}</p>
      ) : (
        <table class="report" data-quality-table="rejects">
          <caption class="visually-hidden">{m.rejects}</caption>
          <thead>
            <tr>
              <th scope="col">{m.event}</th>
              <th scope="col">{m.reason}</th>
              <th scope="col" class="number">
                {m.count}
              </th>
              <th scope="col">{m.lastSeen}</th>
            </tr>
          </thead>
          <tbody>
            {rejects.map((e) => (
              <tr key={`${e.kind}|${e.field}|${e.value}`}>
                <td>{(m.events as Record<string, string | undefined>)[e.kind] ?? e.kind}</td>
                <th scope="row">{e.field}</th>
                <Count
                  subject={subject}
                  cell={{ measure: e.kind, field: e.field, value: e.value }}
                  value={e.count}
                />
                <td>{date(e.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{m.unmapped}</h3>
      {unmapped.length === 0 ? (
        <p>{m.noUnmapped}</p>
      ) : (
        <table class="report" data-quality-table="unmapped">
          <caption class="visually-hidden">{m.unmapped}</caption>
          <thead>
            <tr>
              <th scope="col">{m.field}</th>
              <th scope="col">{m.providerValue}</th>
              <th scope="col">{m.event}</th>
              <th scope="col" class="number">
                {m.count}
              </th>
              <th scope="col">{m.lastSeen}</th>
            </tr>
          </thead>
          <tbody>
            {unmapped.map((e) => (
              <tr key={`${e.kind}|${e.field}|${e.value}`}>
                <td>{fieldName(e.field)}</td>
                <th scope="row">{e.value}</th>
                <td>{(m.events as Record<string, string | undefined>)[e.kind] ?? e.kind}</td>
                <Count
                  subject={subject}
                  cell={{ measure: e.kind, field: e.field, value: e.value }}
                  value={e.count}
                />
                <td>{date(e.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{m.unknown}</h3>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={m.unknown}>
        <table class="report" data-quality-table="unknown">
          <caption class="visually-hidden">{m.unknown}</caption>
          <thead>
            <tr>
              <th scope="col">{m.kind}</th>
              <th scope="col">{m.field}</th>
              <th scope="col" class="number">
                {m.unknownRecords}
              </th>
              <th scope="col" class="number">
                {m.records}
              </th>
              <th scope="col" class="number">
                {m.share}
              </th>
            </tr>
          </thead>
          <tbody>
            {provider.completeness.map((c) => (
              <tr key={`${c.kind}|${c.field}`}>
                <td>{kindName(c.kind)}</td>
                <th scope="row">{fieldName(c.field)}</th>
                <Count
                  subject={subject}
                  cell={{ measure: 'unknown', kind: c.kind, field: c.field }}
                  value={c.unknown.value}
                />
                <Count
                  subject={subject}
                  cell={{ measure: 'records', kind: c.kind, field: c.field }}
                  value={c.records.value}
                />
                <td class="number" data-share>
                  {c.unknownShare === null ? '—' : percent.format(c.unknownShare)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>{m.timeliness}</h3>
      <p class="hint">{m.timelinessHint}</p>
      {provider.timeliness === undefined || provider.timeliness.length === 0 ? (
        <p>{m.noTimeliness}</p>
      ) : (
        <table class="report" data-quality-table="timeliness">
          <caption class="visually-hidden">{m.timeliness}</caption>
          <thead>
            <tr>
              <th scope="col">{m.kind}</th>
              <th scope="col" class="number">
                {m.records}
              </th>
              <th scope="col" class="number">
                {m.meanLag}
              </th>
              <th scope="col" class="number">
                {m.within30}
              </th>
              <th scope="col" class="number">
                {m.within90}
              </th>
              <th scope="col" class="number">
                {m.within365}
              </th>
            </tr>
          </thead>
          <tbody>
            {provider.timeliness.map((row) => (
              <tr key={row.kind}>
                <th scope="row">{kindName(row.kind)}</th>
                <Count
                  subject={subject}
                  cell={{ measure: 'arrived', kind: row.kind }}
                  value={row.records.value}
                />
                <td class="number" data-mean-lag>
                  {row.meanLagDays === null ? '—' : formatNumber(row.meanLagDays)}
                </td>
                <Count
                  subject={subject}
                  cell={{ measure: 'within30', kind: row.kind }}
                  value={row.within30.value}
                />
                <Count
                  subject={subject}
                  cell={{ measure: 'within90', kind: row.kind }}
                  value={row.within90.value}
                />
                <Count
                  subject={subject}
                  cell={{ measure: 'within365', kind: row.kind }}
                  value={row.within365.value}
                />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

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
  const [report, setReport] = useState<Loaded<Report>>({ state: 'loading' });

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

  // Only the chosen provider's report is asked for, not every provider's.
  const load = useCallback(() => {
    if (!ready) return;
    setReport({ state: 'loading' });
    client
      .GET('/v1/reports/quality', {
        params: {
          query: { ...protectionQuery(exact), ...(chosen === undefined ? {} : { providers: chosen }) },
        },
      })
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        setReport({ state: 'ok', value: data });
      })
      .catch((error: unknown) => {
        onError(error);
        setReport({ state: 'error', message: String((error as Error).message) });
      });
  }, [ready, chosen, exact, onError]);
  useEffect(load, [load]);

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
