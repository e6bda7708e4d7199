/**
 * Projection (analysts and coordinators): an indicator's quarterly series and the next quarters forecast by the
 * API (additive Holt-Winters) with their prediction interval, as a chart and as a table. The indicator, the
 * interval's level and, for coordinators, exact values are in the URL's hash query.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';
import { cellAttributes } from '../cells.js';
import { Chart, PLOT_CLASS, type PlotModule } from '../components/Chart.js';
import { ExactToggle } from '../components/ExactToggle.js';
import { ProtectionLegend } from '../components/ProtectionLegend.js';
import { useI18n } from '../i18n/index.js';
import { protectionQuery, wantsExact } from '../protection.js';
import { setHashParams, useHashParams } from '../url-state.js';
import type { PageProps } from '../page-props.js';
import { Status } from './Status.js';
import type { Loaded } from '../loaded.js';

type Projection = Schema<'Projection'>;
type Indicator = Schema<'Indicator'>;

function drawProjection(plot: PlotModule, projection: Projection, locale: string) {
  const last = projection.series.at(-1);
  // The forecast line starts at the last observed quarter, so the two read as one line.
  const forecast = [
    ...(last === undefined || last.value === null ? [] : [{ period: last.period, value: last.value }]),
    ...projection.forecast,
  ];
  const domain = [...projection.series.map((p) => p.period), ...projection.forecast.map((p) => p.period)];
  return plot.plot({
    className: PLOT_CLASS,
    width: 760,
    marginBottom: 60,
    style: { fontSize: '12px' },
    x: { type: 'point', domain, label: null, tickRotate: -40 },
    y: { grid: true, label: null, zero: true, tickFormat: (n: number) => n.toLocaleString(locale) },
    marks: [
      plot.areaY(projection.forecast, {
        x: 'period',
        y1: 'lower',
        y2: 'upper',
        fill: '#0b5cad',
        fillOpacity: 0.15,
      }),
      plot.line(projection.series, { x: 'period', y: 'value', stroke: '#1b1f24', marker: 'circle' }),
      plot.line(forecast, {
        x: 'period',
        y: 'value',
        stroke: '#0b5cad',
        strokeDasharray: '5,4',
        marker: 'circle',
      }),
      plot.ruleY([0]),
    ],
  });
}

export function ProjectionPage({ onError, role }: PageProps) {
  const { t, formatNumber, language } = useI18n();
  const m = t.projection;
  const params = useHashParams();
  const text = params.toString();
  const exact = wantsExact(role, params);
  const level = params.get('level') === '0.8' ? '0.8' : '0.95';
  const [indicators, setIndicators] = useState<Loaded<readonly Indicator[]>>({ state: 'loading' });
  // The projection with the query it answers: after a change of indicator, level or protection the previous one is
  // not shown as the new one's (it was, until the effect below began the request).
  const [answer, setAnswer] = useState<{ query: string; projection: Loaded<Projection> } | undefined>();
  const chosen = params.get('indicator') ?? (indicators.state === 'ok' ? indicators.value[0]?.id : undefined);
  const query = `${chosen ?? ''}|${level}|${exact}`;
  const projection: Loaded<Projection> = answer?.query === query ? answer.projection : { state: 'loading' };

  const loadIndicators = useCallback(() => {
    setIndicators({ state: 'loading' });
    client
      .GET('/v1/indicators')
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        setIndicators({ state: 'ok', value: data.indicators });
      })
      .catch((error: unknown) => {
        onError(error);
        setIndicators({ state: 'error', message: String((error as Error).message) });
      });
  }, [onError]);
  useEffect(loadIndicators, [loadIndicators]);

  useEffect(() => {
    if (chosen === undefined) return;
    let live = true;
    setAnswer({ query, projection: { state: 'loading' } });
    client
      .GET('/v1/indicators/{id}/projection', {
        params: { path: { id: chosen }, query: { level, ...protectionQuery(exact) } },
      })
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        if (live) setAnswer({ query, projection: { state: 'ok', value: data } });
      })
      .catch((error: unknown) => {
        onError(error);
        if (live)
          setAnswer({ query, projection: { state: 'error', message: String((error as Error).message) } });
      });
    return () => {
      live = false;
    };
  }, [chosen, level, exact, query, onError]);

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(text);
    next.set(name, value);
    if (chosen !== undefined && !next.has('indicator')) next.set('indicator', chosen);
    setHashParams(next);
  };
  const shown = projection.state === 'ok' ? projection.value : undefined;
  const locale = language === 'pt' ? 'pt-PT' : 'en-GB';
  const draw = useCallback((plot: PlotModule) => drawProjection(plot, shown!, locale), [shown, locale]);
  const label = useMemo(
    () => (indicators.state === 'ok' ? indicators.value.find((i) => i.id === chosen)?.label : undefined),
    [indicators, chosen],
  );

  return (
    <section aria-labelledby="page-title" class="projection">
      <h1 id="page-title">{m.title}</h1>
      <p>{m.intro}</p>
      {indicators.state === 'loading' ? (
        <Status kind="loading" />
      ) : indicators.state === 'error' ? (
        <Status kind="error" onRetry={loadIndicators} />
      ) : (
        <div class="controls">
          <div class="field">
            <label for="projection-indicator">{t.reports.form.indicator}</label>
            <select
              id="projection-indicator"
              value={chosen}
              onChange={(e) => set('indicator', e.currentTarget.value)}
            >
              {indicators.value.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="projection-level">{m.level}</label>
            <select id="projection-level" value={level} onChange={(e) => set('level', e.currentTarget.value)}>
              <option value="0.95">95 %</option>
              <option value="0.8">80 %</option>
            </select>
          </div>
          <ExactToggle role={role} params={params} />
        </div>
      )}
      {projection.state === 'loading' ? (
        <Status kind="loading" />
      ) : projection.state === 'error' ? (
        <div role="alert" class="error">
          <p>
            {m.failed} {projection.message}
          </p>
        </div>
      ) : (
        <div class="projection-result" data-projection={projection.value.indicator}>
          <ProtectionLegend disclosure={projection.value.disclosure} />
          <Chart draw={draw} label={m.chartLabel} />
          <p class="hint">{m.method}</p>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={m.tableLabel}>
            <table class="report" data-projection-table>
              <caption>{`${label ?? projection.value.indicator} — ${m.tableLabel}`}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.quarter}</th>
                  <th scope="col" class="number">
                    {m.observed}
                  </th>
                  <th scope="col" class="number">
                    {m.forecast}
                  </th>
                  <th scope="col" class="number">
                    {m.lower}
                  </th>
                  <th scope="col" class="number">
                    {m.upper}
                  </th>
                </tr>
              </thead>
              <tbody>
                {projection.value.series.map((p) => (
                  <tr key={p.period} data-period={p.period}>
                    <th scope="row">{p.period}</th>
                    <td
                      class="number"
                      {...cellAttributes(projection.value.indicator, { period: p.period }, p.value)}
                    >
                      {p.value === null ? <abbr title={t.reports.withheld}>c</abbr> : formatNumber(p.value)}
                    </td>
                    <td />
                    <td />
                    <td />
                  </tr>
                ))}
                {projection.value.forecast.map((p) => (
                  <tr key={p.period} data-period={p.period} class="forecast">
                    <th scope="row">{p.period}</th>
                    <td />
                    <td class="number" data-forecast>
                      {formatNumber(p.value)}
                    </td>
                    <td class="number" data-lower>
                      {formatNumber(p.lower)}
                    </td>
                    <td class="number" data-upper>
                      {formatNumber(p.upper)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul class="hint">
            {projection.value.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
