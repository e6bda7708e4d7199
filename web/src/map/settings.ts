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

/**
 * The page's state from the URL (`#/map?indicator=victims&level=3&period=2023&view=regions&exact=1`), so a link
 * opens the same map; what the URL does not name (or names wrongly) takes its default.
 */
export function initialSettings(params: URLSearchParams, choices: Choices, levels: readonly number[]) {
  const indicator = params.get('indicator') ?? '';
  const level = Number(params.get('level') ?? 'NaN');
  const geoField = params.get('geoField') as GeoField;
  const period = params.get('period') ?? undefined;
  return {
    indicator: choices.indicators.some((i) => i.id === indicator)
      ? indicator
      : (choices.indicators[0]?.id ?? 'victims'),
    level: levels.includes(level) ? level : levels.includes(2) ? 2 : (levels[0] ?? 0),
    geoField: GEO_FIELDS.includes(geoField) ? geoField : 'regionOfIdentification',
    providers: params.get('providers') ?? '',
    granularity: period?.includes('-Q') ? ('quarter' as const) : ('year' as const),
    view: params.get('view') === 'flows' ? ('flows' as const) : ('regions' as const),
    period,
  };
}
