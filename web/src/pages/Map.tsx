/**
 * The map page: an indicator by region (NUTS 0–3, or countries where the server has no NUTS files) for a source and
 * a period chosen on a time slider, as a choropleth with a legend of classes, or as flows from citizenship or
 * country of recruitment to the region of exploitation. Selecting a region shows its breakdown. Counts come from
 * the report API as the signed-in role may see them: withheld stays withheld (hatched), never zero. Measures and
 * overlays other than counts plug in through `map/overlays.ts`.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { client, type Role } from '../api.js';
import type { PageProps } from '../page-props.js';
import { wantsExact } from '../protection.js';
import { replaceHashParams, useHashParams } from '../url-state.js';
import { useLocalizedCodeLists } from '../code-labels.js';
import { useI18n } from '../i18n/index.js';
import { Breakdown } from '../map/Breakdown.js';
import { cellValue } from '../cells.js';
import { classBreaks } from '../map/class-breaks.js';
import {
  loadChoices,
  loadFlows,
  loadPeriods,
  type Choices,
  type Flow,
  type FlowOrigin,
  type MapQuery,
  type RegionCounts,
} from '../map/data.js';
import { levelsOf, loadGeometry, loadManifest, type GeoManifest, type MapGeometry } from '../map/geometry.js';
import { Legend, fill } from '../map/Legend.js';
import { FlowsTable } from '../map/FlowsTable.js';
import { MapControls } from '../map/MapControls.js';
import { MapView } from '../map/MapView.js';
import { GEO_FIELDS, initialSettings, settingsParams, type Settings } from '../map/settings.js';
import { NotDrawnTable } from '../map/NotDrawnTable.js';
import { MEASURES, OVERLAYS } from '../map/overlays.js';
import { Status } from './Status.js';
import '../map/map.css';

interface Drawing {
  readonly key: string;
  readonly query: MapQuery;
  readonly geometry: MapGeometry;
  readonly counts: RegionCounts;
  readonly flows?: readonly Flow[];
  readonly flowOrigin?: FlowOrigin;
  readonly flowThreshold?: number;
}

const NOT_BREAKDOWNS = new Set<string>(GEO_FIELDS);
/** The code list that labels each dimension's codes. */
const CODE_LIST: Readonly<Record<string, string>> = {
  citizenship: 'country',
  countryOfRecruitment: 'country',
  assistance: 'yesNo',
  reflectionPeriod: 'yesNo',
  residencePermit: 'yesNo',
  organisedCrime: 'yesNo',
};

interface Loaded {
  readonly choices: Choices;
  readonly manifest: GeoManifest;
  /** NUTS names of every level (empty without the geo data folder). */
  readonly regionNames: ReadonlyMap<string, string>;
}

async function loadPage(): Promise<Loaded> {
  const [choices, manifest, regions] = await Promise.all([
    loadChoices(),
    loadManifest(),
    client.GET('/v1/regions'),
  ]);
  return {
    choices,
    manifest,
    regionNames: new Map((regions.data?.regions ?? []).map((r) => [r.id, r.name])),
  };
}

export function MapPage({ onError, role }: PageProps) {
  const params = useHashParams();
  const [loaded, setLoaded] = useState<Loaded | 'loading' | 'error'>('loading');
  const load = useCallback(() => {
    setLoaded('loading');
    loadPage()
      .then(setLoaded)
      .catch((error: unknown) => {
        onError(error);
        setLoaded('error');
      });
  }, [onError]);
  useEffect(load, [load]);
  const { t } = useI18n();

  return (
    <section aria-labelledby="page-title" class="map-page">
      <h1 id="page-title">{t.map.title}</h1>
      <p>{t.map.intro}</p>
      {loaded === 'loading' ? (
        <Status kind="loading" />
      ) : loaded === 'error' ? (
        <Status kind="error" onRetry={load} />
      ) : (
        <MapExplorer loaded={loaded} onError={onError} role={role} params={params} />
      )}
    </section>
  );
}

function MapExplorer({
  loaded,
  onError,
  role,
  params,
}: {
  loaded: Loaded;
  onError: (error: unknown) => void;
  role: Role;
  params: URLSearchParams;
}) {
  const { t, formatNumber } = useI18n();
  const { manifest, regionNames } = loaded;
  // Code labels in the page's language.
  const labels = useLocalizedCodeLists(loaded.choices.labels);
  const choices = useMemo(() => ({ ...loaded.choices, labels }), [loaded.choices, labels]);
  const levels = levelsOf(manifest);
  const exact = wantsExact(role, params);
  const [initial] = useState(() =>
    initialSettings(params, choices, levels, {
      measures: MEASURES.map((m) => m.id),
      overlays: OVERLAYS.map((o) => o.id),
    }),
  );
  // A period named in the URL is looked up among the periods with data; nothing is drawn until they are known.
  const [askedPeriod, setAskedPeriod] = useState(initial.period);
  const [settings, setSettings] = useState<Settings>({
    indicator: initial.indicator,
    level: initial.level,
    geoField: initial.geoField,
    providers: initial.providers,
    granularity: initial.granularity,
    periodIndex: 0,
    view: initial.view,
    flowOrigin: initial.flowOrigin,
    measure: initial.measure,
    overlays: initial.overlays,
    zoom: initial.zoom,
  });
  const set = (change: Partial<Settings>) => setSettings((s) => ({ ...s, ...change }));
  const [periodsOf, setPeriodsOf] = useState<{ key: string; list: readonly string[] } | undefined>();
  const [drawing, setDrawing] = useState<Drawing | undefined>();
  /** The query and attempt (`<key>#<attempt>`) whose drawing failed. */
  const [failedAt, setFailedAt] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<string | undefined>();

  const indicator = choices.indicators.find((i) => i.id === settings.indicator) ?? choices.indicators[0];
  const providers = settings.providers === '' ? undefined : settings.providers;
  // The periods with data of the indicator, granularity and source they were asked for; until those of the current
  // ones are in, the slider waits (the previous list, or none, offered periods that were not this query's).
  const periodsKey = [settings.indicator, settings.granularity, providers ?? ''].join('|');
  const periods = periodsOf?.key === periodsKey ? periodsOf.list : undefined;

  useEffect(() => {
    let current = true;
    loadPeriods(settings.indicator, settings.granularity, providers)
      .then((list) => {
        if (!current) return;
        setPeriodsOf({ key: periodsKey, list });
        setSettings((s) =>
          askedPeriod !== undefined
            ? { ...s, periodIndex: list.indexOf(askedPeriod) + 1 }
            : s.periodIndex > list.length
              ? { ...s, periodIndex: 0 }
              : s,
        );
        setAskedPeriod(undefined);
      })
      .catch(onError);
    return () => {
      current = false;
    };
  }, [periodsKey, onError]);

  const period = settings.periodIndex === 0 ? undefined : periods?.[settings.periodIndex - 1];
  // The map as drawn goes back into the URL, so it can be bookmarked and shared; not before the period a link
  // named is found among the periods with data.
  useEffect(() => {
    if (askedPeriod !== undefined) return;
    replaceHashParams(settingsParams(settings, period, params, { measure: MEASURES[0]!.id }));
  }, [settings, period, askedPeriod, params]);
  const query = useMemo<MapQuery>(
    () => ({
      indicator: settings.indicator,
      level: settings.level,
      geoField: settings.geoField,
      ...(providers === undefined ? {} : { providers }),
      ...(period === undefined ? {} : { period }),
      ...(exact ? { exact } : {}),
    }),
    [settings.indicator, settings.level, settings.geoField, providers, period, exact],
  );
  const flowOrigin = settings.view === 'flows' ? settings.flowOrigin : undefined;
  const measure = MEASURES.find((m) => m.id === settings.measure) ?? MEASURES[0]!;
  const key = [
    query.indicator,
    query.level,
    query.geoField,
    providers ?? '',
    period ?? '',
    flowOrigin ?? '',
    measure.id,
    exact ? 'exact' : '',
  ].join('|');

  // Busy until the drawing of this very query is in, decided as the page is drawn: a flag set by the effect below
  // came one frame late, and the first frame after a change said "not busy" over the previous query's map.
  const failed = failedAt === `${key}#${attempt}`;
  const busy = drawing?.key !== key && !failed;

  useEffect(() => {
    if (askedPeriod !== undefined) return undefined;
    let current = true;
    Promise.all([
      loadGeometry(manifest, query.level),
      measure.load(query),
      flowOrigin === undefined ? Promise.resolve(undefined) : loadFlows(query, flowOrigin),
    ])
      .then(([geometry, counts, flows]) => {
        if (!current) return;
        setDrawing({
          key,
          query,
          geometry,
          counts,
          ...(flows === undefined || flowOrigin === undefined ? {} : { flows: flows.flows, flowOrigin }),
          ...(flows?.threshold === undefined ? {} : { flowThreshold: flows.threshold }),
        });
      })
      .catch((error: unknown) => {
        onError(error);
        if (current) setFailedAt(`${key}#${attempt}`);
      });
    return () => {
      current = false;
    };
  }, [key, attempt, askedPeriod]);

  const names = useMemo(() => {
    const drawn = new Map<string, string>();
    for (const f of drawing?.geometry.regions ?? []) drawn.set(f.properties.id, f.properties.na);
    for (const f of drawing?.geometry.background ?? []) drawn.set(f.properties.id, f.properties.na);
    return (code: string): string =>
      code === 'UNK'
        ? t.map.unknown
        : (regionNames.get(code) ??
          drawn.get(code) ??
          choices.labels.country?.[code === 'EL' ? 'GR' : code] ??
          code);
  }, [drawing, regionNames, choices, t]);
  const format = useCallback(
    (value: number | null) => (value === null ? t.map.withheldValue : formatNumber(value)),
    [t, formatNumber],
  );
  const label = useCallback(
    (dimension: string, code: string): string => {
      if (dimension === 'dimension') return (t.map.dimensions as Record<string, string>)[code] ?? code;
      if (code === 'UNK') return t.map.unknown;
      return choices.labels[CODE_LIST[dimension] ?? dimension]?.[code] ?? code;
    },
    [t, choices],
  );

  const bounds = useMemo(
    () => classBreaks([...(drawing?.counts.byRegion.values() ?? [])].map((c) => c.value ?? 0)),
    [drawing],
  );
  const threshold = drawing?.counts.threshold ?? drawing?.flowThreshold;
  const unit = t.dashboard.units[indicator?.unit ?? 'persons'];
  const drawnCodes = useMemo(
    () =>
      new Set([
        ...(drawing?.geometry.regions ?? []).map((f) => f.properties.id),
        ...(drawing?.geometry.background ?? []).map((f) => f.properties.id),
      ]),
    [drawing],
  );
  const notDrawn = [...(drawing?.counts.byRegion ?? [])].filter(([code]) => !drawnCodes.has(code));
  const variables = (indicator?.breakdowns ?? []).filter((d) => !NOT_BREAKDOWNS.has(d));
  const activeOverlays = OVERLAYS.filter((o) => settings.overlays.includes(o.id));

  return (
    <>
      <MapControls
        settings={settings}
        set={set}
        choices={choices}
        levels={levels}
        periods={periods}
        period={period}
        role={role}
        params={params}
      />

      {failed ? <Status kind="error" onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {drawing === undefined ? (
        failed ? null : (
          <Status kind="loading" />
        )
      ) : (
        <div class="map-layout">
          <figure
            class="map-figure"
            aria-busy={busy}
            data-source={drawing.geometry.source}
            data-level={drawing.query.level}
            data-geo-field={drawing.query.geoField}
            data-period={drawing.query.period ?? ''}
            data-providers={drawing.query.providers ?? ''}
            data-view={drawing.flows === undefined ? 'regions' : 'flows'}
            data-flow-origin={drawing.flowOrigin ?? ''}
          >
            {busy ? <Status kind="loading" /> : null}
            <MapView
              geometry={drawing.geometry}
              counts={drawing.counts.byRegion}
              bounds={bounds}
              label={fill(t.map.mapLabel, {
                indicator: indicator?.label ?? settings.indicator,
                geography: t.map.geoFields[drawing.query.geoField],
              })}
              names={names}
              format={format}
              {...(drawing.flows === undefined ? {} : { flows: drawing.flows })}
              {...(selected === undefined ? {} : { selected })}
              onSelect={setSelected}
              zoom={settings.zoom}
              drawnKey={`${drawing.key}|${settings.zoom ? 'zoom' : 'europe'}`}
              overlays={(draw) =>
                activeOverlays.map((o) => (
                  <o.Layer key={o.id} draw={draw} query={drawing.query} onError={onError} />
                ))
              }
            />
            <figcaption class="attribution">
              {drawing.geometry.source === 'nuts-2024' ? (
                <>
                  <p>{t.map.attributionNuts}</p>
                  <p>{t.map.disclaimer}</p>
                </>
              ) : (
                <p>{t.map.attributionWorld}</p>
              )}
            </figcaption>
          </figure>
          <aside class="map-side">
            <Legend
              bounds={bounds}
              {...(threshold === undefined ? {} : { threshold })}
              unit={unit}
              flows={drawing.flows !== undefined}
              format={formatNumber}
            />
            {activeOverlays.map((o) =>
              o.Legend === undefined ? null : <o.Legend key={o.id} query={drawing.query} />,
            )}
            <p class="total">
              {t.map.total}:{' '}
              <span data-cell={drawing.counts.total.cell} data-value={cellValue(drawing.counts.total.value)}>
                {format(drawing.counts.total.value)}
              </span>
            </p>
            {drawing.counts.byRegion.size === 0 ? <p role="status">{t.map.noData}</p> : null}
            {selected === undefined ? (
              <p class="hint">{t.map.selectHint}</p>
            ) : (
              <Breakdown
                key={selected}
                query={drawing.query}
                region={selected}
                regionName={names(selected)}
                {...(measure.id === 'counts'
                  ? { regionCount: drawing.counts.byRegion.get(selected)?.value }
                  : {})}
                variables={variables}
                label={label}
                format={format}
                onClose={() => setSelected(undefined)}
                onError={onError}
              />
            )}
          </aside>
        </div>
      )}

      {drawing?.flows === undefined ? null : (
        <FlowsTable
          flows={drawing.flows}
          origin={drawing.flowOrigin ?? 'citizenship'}
          label={label}
          names={names}
          format={format}
        />
      )}

      <NotDrawnTable regions={notDrawn} names={names} format={format} />
    </>
  );
}
