/**
 * The report builder's whole state as the URL's hash query, and the API request it stands for. The parameters
 * keep the API's own spelling (`by=sex,ageClass`, `providers=type:NGO`, `interval=quarter`), so a bookmarked report
 * reads like the request it makes. With an interval it is a time-frame report, otherwise a simple one.
 */
import type { Role } from '../api.js';
import { wantsExact } from '../protection.js';

export const INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];
/** Most variables of a report (the API's limit for simple and time-frame reports). */
export const MAX_VARIABLES = 3;

export type ProviderChoice =
  | { readonly mode: 'all' }
  | { readonly mode: 'type'; readonly type: string }
  | { readonly mode: 'some'; readonly ids: readonly string[] };

export interface ReportState {
  readonly indicator: string;
  readonly by: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly interval: Interval | '';
  readonly providers: ProviderChoice;
  readonly geo: string;
  readonly unit: 'persons' | 'records';
  /** Coordinators: exact values (`protection=none`). */
  readonly exact: boolean;
}

export const EMPTY_STATE: ReportState = {
  indicator: '',
  by: [],
  from: '',
  to: '',
  interval: '',
  providers: { mode: 'all' },
  geo: '',
  unit: 'persons',
  exact: false,
};

const list = (text: string | null): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function providersOf(text: string | null): ProviderChoice {
  const ids = list(text);
  if (ids.length === 0) return { mode: 'all' };
  const first = ids[0]!;
  if (ids.length === 1 && first.startsWith('type:')) return { mode: 'type', type: first.slice(5) };
  return { mode: 'some', ids };
}

/**
 * The state a URL holds for the signed-in role; `undefined` when it names no indicator (nothing asked yet). Only a
 * coordinator's `exact=1` counts: a coordinator's link opened by an analyst shows the protected report instead of
 * asking for `protection=none` (refused, and audited as a refusal).
 */
export function stateFromParams(params: URLSearchParams, role: Role): ReportState | undefined {
  const indicator = params.get('indicator') ?? '';
  if (indicator === '') return undefined;
  const interval = params.get('interval') ?? '';
  return {
    indicator,
    by: list(params.get('by')).slice(0, MAX_VARIABLES),
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    interval: (INTERVALS as readonly string[]).includes(interval) ? (interval as Interval) : '',
    providers: providersOf(params.get('providers')),
    geo: params.get('geo') ?? '',
    unit: params.get('unit') === 'records' ? 'records' : 'persons',
    exact: wantsExact(role, params),
  };
}

function providersParam(choice: ProviderChoice): string {
  switch (choice.mode) {
    case 'all':
      return '';
    case 'type':
      return `type:${choice.type}`;
    case 'some':
      return choice.ids.join(',');
  }
}

/** The API's query for the state (without `format`), only the parameters that say something. */
export function apiQuery(state: ReportState): Record<string, string> {
  const query: Record<string, string> = {};
  const set = (name: string, value: string) => {
    if (value !== '') query[name] = value;
  };
  set('by', state.by.join(','));
  set('from', state.from.trim());
  set('to', state.to.trim());
  set('interval', state.interval);
  set('providers', providersParam(state.providers));
  set('geo', state.geo.trim());
  set('unit', state.unit === 'records' ? 'records' : '');
  if (state.exact) query.protection = 'none';
  return query;
}

/** The URL state of a report. */
export function paramsOfState(state: ReportState): URLSearchParams {
  const { protection, ...query } = apiQuery(state);
  const params = new URLSearchParams({ indicator: state.indicator, ...query });
  if (protection !== undefined) params.set('exact', '1');
  return params;
}

/** Which report the state asks for: over time with an interval, a simple table without. */
export const reportFamily = (state: ReportState): 'simple' | 'time-frame' =>
  state.interval === '' ? 'simple' : 'time-frame';
