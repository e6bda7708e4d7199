/**
 * The dashboard: each indicator of the catalogue with its value in the latest quarter, as the API gives it to the
 * signed-in role (withheld values stay withheld), numbers in the page's locale.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client, failure } from '../api.js';
import { cellAttributes } from '../cells.js';
import { ExactToggle } from '../components/ExactToggle.js';
import { useI18n } from '../i18n/index.js';
import { protectionQuery, wantsExact } from '../protection.js';
import { useHashParams } from '../url-state.js';
import type { PageProps } from '../page-props.js';
import { Status } from './Status.js';

type Indicator = Schema<'Indicator'>;
const QUARTER = /^\d{4}-Q[1-4]$/;
type Values = Schema<'Values'>;

interface Row {
  readonly indicator: Indicator;
  /** The latest quarter's cell, if there is any data. */
  readonly latest?: Values['cells'][number];
}

async function loadRows(exact: boolean): Promise<Row[]> {
  const list = await client.GET('/v1/indicators');
  if (list.data === undefined) throw failure(list.response, list.error);
  return Promise.all(
    list.data.indicators.map(async (indicator): Promise<Row> => {
      const values = await client.GET('/v1/indicators/{id}/values', {
        params: { path: { id: indicator.id }, query: { interval: 'quarter', ...protectionQuery(exact) } },
      });
      if (values.data === undefined) throw failure(values.response, values.error);
      // Records dated only to the year fall in `2024-unspecified`, which is no quarter; quarter codes
      // (`2024-Q3`) sort as text in time order.
      const cells = (values.data as Values).cells.filter((c) => QUARTER.test(c.period ?? ''));
      const latest = cells.reduce<Row['latest']>(
        (best, c) => (best === undefined || (c.period ?? '') > (best.period ?? '') ? c : best),
        undefined,
      );
      return latest === undefined ? { indicator } : { indicator, latest };
    }),
  );
}

export function Dashboard({ onError, role }: PageProps) {
  const { t, formatNumber } = useI18n();
  const params = useHashParams();
  const exact = wantsExact(role, params);
  const [rows, setRows] = useState<Row[] | 'loading' | 'error'>('loading');
  const load = useCallback(() => {
    setRows('loading');
    loadRows(exact)
      .then(setRows)
      .catch((error: unknown) => {
        onError(error);
        setRows('error');
      });
  }, [onError, exact]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t.dashboard.title}</h1>
      <p>{t.dashboard.intro}</p>
      <ExactToggle role={role} params={params} />
      {rows === 'loading' ? (
        <Status kind="loading" />
      ) : rows === 'error' ? (
        <Status kind="error" onRetry={load} />
      ) : (
        <table class="indicators">
          <caption class="visually-hidden">{t.dashboard.intro}</caption>
          <thead>
            <tr>
              <th scope="col">{t.dashboard.indicator}</th>
              <th scope="col">{t.dashboard.quarter}</th>
              <th scope="col" class="number">
                {t.dashboard.value}
              </th>
              <th scope="col">{t.dashboard.unit}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ indicator, latest }) => (
              <tr key={indicator.id} data-indicator={indicator.id}>
                <th scope="row" title={indicator.description}>
                  {indicator.label}
                </th>
                <td data-period>{latest?.period ?? '—'}</td>
                <td
                  class="number"
                  {...(latest === undefined
                    ? { 'data-value': '' }
                    : cellAttributes(indicator.id, { period: latest.period }, latest.value))}
                >
                  {latest === undefined
                    ? t.dashboard.noData
                    : latest.value === null
                      ? t.dashboard.withheld
                      : formatNumber(latest.value)}
                </td>
                <td>{t.dashboard.units[indicator.unit]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
