/**
 * The operations dashboard. Each indicator of the catalogue follows the live stream (`/v1/live`, quarterly): its
 * trend as a sparkline, the latest quarter's value beside the previous quarter's and the same quarter's a year
 * before, updated as records are aggregated, without a reload. Values are those the API gives the signed-in role
 * (withheld values stay withheld). Below, per provider, how many submissions it made and when it last submitted,
 * with what is waiting in each stage of the pipeline. A coordinator can switch to exact values (`exact=1` in the page's
 * state: the stream asks for `protection=none`); the values table says which it shows (`data-exact="1"` or `"0"`),
 * and values of the other kind are never shown. Every count from a report cell follows web/src/cells.ts
 * (`data-cell="<indicator>|period=<quarter>"`, `data-value`).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client, failure, type Role } from '../api.js';
import { cellAttributes } from '../cells.js';
import { ExactToggle } from '../components/ExactToggle.js';
import { useI18n } from '../i18n/index.js';
import { followLive, type LiveState, type LiveValues } from '../live.js';
import type { PageProps } from '../page-props.js';
import { wantsExact } from '../protection.js';
import { previousQuarter, quarterlySeries, sameQuarterYearBefore } from '../quarters.js';
import { useHashParams } from '../url-state.js';
import { Sparkline } from './Sparkline.js';
import { Status } from './Status.js';

type Indicator = Schema<'Indicator'>;
type Activity = Schema<'ProviderActivity'>;
type Cell = LiveValues['cells'][number];
/** The values of one stream, and whether it streams exact values (the query they answer). */
interface Live {
  readonly exact: boolean;
  readonly values: ReadonlyMap<string, LiveValues>;
  readonly updatedAt: Date;
  /** Snapshots and updates received from streams of this query. */
  readonly updates: number;
}

/** Quarters of history drawn in a sparkline. */
const TREND_QUARTERS = 12;
/** How often the providers' activity is read again while no live update comes. */
const ACTIVITY_REFRESH_MS = 10_000;

function CellValue({
  indicator,
  cell,
  latest,
}: {
  indicator: string;
  cell: Cell | undefined;
  latest?: boolean;
}) {
  const { t, formatNumber } = useI18n();
  if (cell?.period === undefined) return <span data-latest={latest ? '' : undefined}>{t.live.none}</span>;
  return (
    <span
      {...cellAttributes(indicator, { period: cell.period }, cell.value)}
      data-latest={latest ? '' : undefined}
    >
      {cell.value === null ? t.dashboard.withheld : formatNumber(cell.value)}
    </span>
  );
}

function IndicatorRow({ indicator, values }: { indicator: Indicator; values: LiveValues | undefined }) {
  const { t, formatNumber } = useI18n();
  const series = quarterlySeries(values?.cells ?? []);
  const latest = series[series.length - 1];
  const cellOf = (period: string | undefined): Cell | undefined =>
    period === undefined ? undefined : series.find((s) => s.period === period)?.cell;
  const trend = series.slice(-TREND_QUARTERS);
  const known = trend.flatMap((s) => (s.value === null ? [] : [s.value]));
  const trendLabel =
    trend.length === 0
      ? t.live.noTrend
      : t.live.trendLabel
          .replace('{n}', String(trend.length))
          .replace('{from}', trend[0]?.period ?? '')
          .replace('{to}', latest?.period ?? '')
          .replace('{min}', formatNumber(Math.min(...known, 0)))
          .replace('{max}', formatNumber(Math.max(...known, 0)));
  return (
    <tr data-indicator={indicator.id}>
      <th scope="row" title={indicator.description}>
        {indicator.label}
      </th>
      <td>
        {trend.length === 0 ? null : <Sparkline values={trend.map((s) => s.value)} label={trendLabel} />}
      </td>
      <td data-period>{latest?.period ?? '—'}</td>
      <td class="number">
        {latest === undefined ? (
          <span data-latest="">{t.dashboard.noData}</span>
        ) : (
          <CellValue indicator={indicator.id} cell={latest.cell} latest />
        )}
      </td>
      {latest === undefined ? (
        <>
          <td />
          <td />
        </>
      ) : (
        [previousQuarter(latest.period), sameQuarterYearBefore(latest.period)].map((period) => (
          <td class="number" key={period}>
            <CellValue indicator={indicator.id} cell={cellOf(period)} /> <span class="period">{period}</span>
          </td>
        ))
      )}
      <td>{t.dashboard.units[indicator.unit]}</td>
    </tr>
  );
}

/** The roles the API gives each provider's backlog (`pending`); for the others the column is not drawn. */
const BACKLOG_READERS: readonly Role[] = ['coordinator', 'admin'];

function Providers({ activity, role }: { activity: Activity; role: Role }) {
  const showsBacklog = BACKLOG_READERS.includes(role);
  const { t, formatNumber, language } = useI18n();
  const when = new Intl.DateTimeFormat(language === 'pt' ? 'pt-PT' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (
    <>
      <h2 id="providers-title">{t.live.providers}</h2>
      <p data-pipeline={activity.idle ? 'idle' : 'busy'}>
        {activity.idle ? t.live.idle : t.live.waiting}{' '}
        {Object.entries(activity.stages).map(([stage, { backlog }], i) => (
          <span key={stage} data-stage={stage} data-backlog={backlog}>
            {i > 0 ? '; ' : ''}
            {t.live.stage
              .replace(
                '{stage}',
                stage in t.live.stages ? t.live.stages[stage as keyof typeof t.live.stages] : stage,
              )
              .replace('{n}', formatNumber(backlog))}
          </span>
        ))}
      </p>
      <table class="listing" aria-labelledby="providers-title">
        <thead>
          <tr>
            <th scope="col">{t.live.provider}</th>
            <th scope="col">{t.live.type}</th>
            <th scope="col" class="number">
              {t.live.submissions}
            </th>
            <th scope="col">{t.live.lastSubmitted}</th>
            {showsBacklog ? (
              <th scope="col" class="number" title={t.providerBacklog.pendingHint}>
                {t.providerBacklog.pending}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {activity.providers.map((p) => (
            <tr key={p.id} data-provider={p.id}>
              <th scope="row">
                {p.name} <span class="period">({p.id})</span>
              </th>
              <td>{p.type}</td>
              <td class="number" data-submissions={p.submissions}>
                {formatNumber(p.submissions)}
              </td>
              <td data-last-submitted={p.lastSubmittedAt ?? ''}>
                {p.lastSubmittedAt === undefined ? t.live.never : when.format(p.lastSubmittedAt)}
              </td>
              {showsBacklog ? (
                <td class="number" data-pending={p.pending ?? ''}>
                  {p.pending === undefined ? t.providerBacklog.unknown : formatNumber(p.pending)}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function Dashboard({ onError, role }: PageProps) {
  const { t, language } = useI18n();
  const params = useHashParams();
  const exact = wantsExact(role, params);
  const [catalogue, setCatalogue] = useState<Indicator[] | 'loading' | 'error'>('loading');
  const [live, setLive] = useState<Live | undefined>(undefined);
  const [state, setState] = useState<LiveState>('connecting');
  const [activity, setActivity] = useState<Activity | undefined>(undefined);

  const load = useCallback(() => {
    setCatalogue('loading');
    client
      .GET('/v1/indicators')
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        setCatalogue(data.indicators);
      })
      .catch((error: unknown) => {
        onError(error);
        setCatalogue('error');
      });
  }, [onError]);
  useEffect(load, [load]);

  const readActivity = useCallback(() => {
    client
      .GET('/v1/status/providers')
      .then(({ data, error, response }) => {
        if (data === undefined) throw failure(response, error);
        setActivity(data);
      })
      .catch(onError);
  }, [onError]);
  useEffect(() => {
    readActivity();
    const timer = setInterval(readActivity, ACTIVITY_REFRESH_MS);
    return () => clearInterval(timer);
  }, [readActivity]);

  const ids = typeof catalogue === 'string' ? '' : catalogue.map((i) => i.id).join(',');
  useEffect(() => {
    if (ids === '') return undefined;
    // Switching between protected and exact values shows nothing until the new stream's snapshot.
    setLive(undefined);
    // A stopped stream may still hand on a chunk it had read: its values and state are no longer this page's.
    let current = true;
    const stop = followLive({
      indicators: ids.split(','),
      exact,
      onValues(list, at) {
        if (!current) return;
        const values = new Map(list.map((v) => [v.indicator, v]));
        setLive((last) => ({ exact, values, updatedAt: at, updates: (last?.updates ?? 0) + 1 }));
        readActivity();
      },
      onState(next) {
        if (current) setState(next);
      },
      onError,
    });
    return () => {
      current = false;
      stop();
    };
  }, [ids, exact, onError, readActivity]);
  // Values are shown only for the query they answer: between a switch of `exact=1` and the new stream's snapshot
  // the previous stream's values are not this page's (they were shown, marked live, until the effect above ran).
  const shown = live?.exact === exact ? live : undefined;
  const updates = shown?.updates ?? 0;
  const updatedAt = shown?.updatedAt;
  const values = shown?.values ?? new Map<string, LiveValues>();

  const time = new Intl.DateTimeFormat(language === 'pt' ? 'pt-PT' : 'en-GB', { timeStyle: 'medium' });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t.dashboard.title}</h1>
      <p>{t.live.intro}</p>
      <ExactToggle role={role} params={params} />
      {catalogue === 'loading' ? (
        <Status kind="loading" />
      ) : catalogue === 'error' ? (
        <Status kind="error" onRetry={load} />
      ) : updates === 0 ? (
        // Live only once values are shown: a stream that is open but has not sent its first values yet is still
        // connecting (it said "live" over no table, and a reader of the page took that for the values).
        <p
          class="live-state"
          role="status"
          data-live={state === 'reconnecting' ? 'reconnecting' : 'connecting'}
          data-updates={0}
        >
          {state === 'reconnecting' ? t.live.reconnecting : t.live.connecting}
        </p>
      ) : (
        <>
          <p class="live-state" role="status" data-live={state} data-updates={updates}>
            {state === 'live'
              ? t.live.live.replace('{time}', updatedAt === undefined ? '' : time.format(updatedAt))
              : state === 'connecting'
                ? t.live.connecting
                : t.live.reconnecting}
          </p>
          <table class="indicators" data-exact={exact ? '1' : '0'}>
            <caption class="visually-hidden">{t.live.intro}</caption>
            <thead>
              <tr>
                <th scope="col">{t.dashboard.indicator}</th>
                <th scope="col">{t.live.trend}</th>
                <th scope="col">{t.dashboard.quarter}</th>
                <th scope="col" class="number">
                  {t.dashboard.value}
                </th>
                <th scope="col" class="number">
                  {t.live.previous}
                </th>
                <th scope="col" class="number">
                  {t.live.yearBefore}
                </th>
                <th scope="col">{t.dashboard.unit}</th>
              </tr>
            </thead>
            <tbody>
              {catalogue.map((indicator) => (
                <IndicatorRow key={indicator.id} indicator={indicator} values={values.get(indicator.id)} />
              ))}
            </tbody>
          </table>
          <p class="note">{t.live.protection}</p>
        </>
      )}
      {activity === undefined ? null : <Providers activity={activity} role={role} />}
    </section>
  );
}
