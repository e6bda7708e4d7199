/** The map page's settings, and how a link's URL state becomes them. */
import type { Choices, FlowOrigin, GeoField, Granularity } from './data.js';

export const GEO_FIELDS: readonly GeoField[] = ['regionOfIdentification', 'regionOfExploitation'];
export const FLOW_ORIGINS: readonly FlowOrigin[] = ['citizenship', 'countryOfRecruitment'];

export type View = 'regions' | 'flows';

export interface Settings {
  readonly indicator: string;
  readonly level: number;
  readonly geoField: GeoField;
  readonly providers: string;
  readonly granularity: Granularity;
  /** 0: all periods; n: the n-th period with data. */
  readonly periodIndex: number;
  readonly view: View;
  readonly flowOrigin: FlowOrigin;
  readonly measure: string;
  readonly overlays: readonly string[];
  readonly zoom: boolean;
}

/** The measures and overlays a URL may name (their ids, from `overlays.ts`). */
export interface Known {
  readonly measures: readonly string[];
  readonly overlays: readonly string[];
}

/**
 * The page's state from the URL (`#/map?indicator=victims&level=3&period=2023&view=flows&origin=countryOfRecruitment
 * &measure=rates&overlays=hotspots&zoom=1&exact=1`), so a link opens the same map; what the URL does not name (or
 * names wrongly) takes its default.
 */
export function initialSettings(
  params: URLSearchParams,
  choices: Choices,
  levels: readonly number[],
  known: Known = { measures: [], overlays: [] },
) {
  const indicator = params.get('indicator') ?? '';
  const level = Number(params.get('level') ?? 'NaN');
  const geoField = params.get('geoField') as GeoField;
  const period = params.get('period') ?? undefined;
  const origin = params.get('origin') as FlowOrigin;
  const measure = params.get('measure') ?? '';
  return {
    indicator: choices.indicators.some((i) => i.id === indicator)
      ? indicator
      : (choices.indicators[0]?.id ?? 'victims'),
    level: levels.includes(level) ? level : levels.includes(2) ? 2 : (levels[0] ?? 0),
    geoField: GEO_FIELDS.includes(geoField) ? geoField : 'regionOfIdentification',
    providers: params.get('providers') ?? '',
    granularity:
      (period?.includes('-Q') ?? params.get('granularity') === 'quarter')
        ? ('quarter' as const)
        : ('year' as const),
    view: params.get('view') === 'flows' ? ('flows' as const) : ('regions' as const),
    flowOrigin: FLOW_ORIGINS.includes(origin) ? origin : FLOW_ORIGINS[0]!,
    measure: known.measures.includes(measure) ? measure : (known.measures[0] ?? 'counts'),
    overlays: (params.get('overlays') ?? '').split(',').filter((id) => known.overlays.includes(id)),
    zoom: params.get('zoom') === '1',
    period,
  };
}

/**
 * The URL state of the map as it is drawn: what `initialSettings` reads back to the same map. Defaults are left
 * out, so a plain map keeps a short link; parameters the map does not own (`exact`) are kept from `current`.
 */
export function settingsParams(
  settings: Settings,
  period: string | undefined,
  current: URLSearchParams,
  defaults: { readonly measure: string },
): URLSearchParams {
  const next = new URLSearchParams();
  next.set('indicator', settings.indicator);
  next.set('level', String(settings.level));
  if (settings.geoField !== GEO_FIELDS[0]) next.set('geoField', settings.geoField);
  if (settings.providers !== '') next.set('providers', settings.providers);
  if (period !== undefined) next.set('period', period);
  else if (settings.granularity !== 'year') next.set('granularity', settings.granularity);
  if (settings.view === 'flows') {
    next.set('view', 'flows');
    if (settings.flowOrigin !== FLOW_ORIGINS[0]) next.set('origin', settings.flowOrigin);
  }
  if (settings.measure !== defaults.measure) next.set('measure', settings.measure);
  if (settings.overlays.length > 0) next.set('overlays', settings.overlays.join(','));
  if (settings.zoom) next.set('zoom', '1');
  const exact = current.get('exact');
  if (exact !== null) next.set('exact', exact);
  return next;
}
