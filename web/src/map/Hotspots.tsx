/**
 * The hot-spot overlay of the map: every analysed region outlined by its Gi* class (hot in red, cold in blue, no
 * outline when not significant), with a plain-language legend saying what was tested and on what (rates or counts);
 * beside it the context chart (rate ratios between kinds of region, with their intervals), the correlations with
 * the caution, and the largest corridors with their trend. Each outline carries `data-region` and `data-hotspot`,
 * so a test can check the layer against the API; the context section is `aria-busy` while its request runs and the
 * panel's `data-corridors` says whether the corridors are loading, ok or in error, so nobody (reader or test) takes
 * "not here yet" for "none".
 */
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { fill } from './Legend.js';
import type { GeoPath } from 'd3-geo';
import type { MapQuery } from './data.js';
import type { MapGeometry } from './geometry.js';
import type { Loaded } from '../loaded.js';
import { RateRatioChart } from './RateRatioChart.js';
import {
  loadContext,
  loadCorridors,
  loadHotspots,
  type ContextAnswer,
  type CorridorsAnswer,
  type HotspotAnswer,
} from './spatial.js';
import './spatial.css';

/** One request per query, shared by the layer and its legend. */
const answers = new Map<string, Promise<HotspotAnswer | undefined>>();
const hotspotsOf = (q: MapQuery): Promise<HotspotAnswer | undefined> => {
  const key = JSON.stringify(q);
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = loadHotspots(q);
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
  }
  return answer;
};

function useLoaded<T>(load: () => Promise<T>, key: string, onError?: (error: unknown) => void): Loaded<T> {
  const [loaded, setLoaded] = useState<{ key: string; value: Loaded<T> } | undefined>();
  useEffect(() => {
    let current = true;
    load()
      .then((v) => {
        if (current) setLoaded({ key, value: { state: 'ok', value: v } });
      })
      .catch((error: unknown) => {
        if (current) setLoaded({ key, value: { state: 'error', message: String((error as Error).message) } });
        onError?.(error);
      });
    return () => {
      current = false;
    };
  }, [key]);
  return loaded?.key === key ? loaded.value : { state: 'loading' };
}

/** What the layer needs of `overlays.ts`'s `OverlayProps` (restated here, since `overlays.ts` imports this file). */
interface HotspotLayerProps {
  readonly draw: { readonly geometry: MapGeometry; readonly path: GeoPath };
  readonly query: MapQuery;
  readonly onError: (error: unknown) => void;
}

export function HotspotLayer({ draw, query, onError }: HotspotLayerProps) {
  const loaded = useLoaded(() => hotspotsOf(query), JSON.stringify(query), onError);
  if (loaded.state !== 'ok' || loaded.value === undefined) return null;
  const answer = loaded.value;
  const features = new Map(draw.geometry.regions.map((f) => [f.properties.id, f]));
  return (
    <g class="hotspots" data-analysis={answer.analysis} aria-hidden="true">
      {answer.regions.map((r) => {
        const feature = features.get(r.id);
        const d = feature === undefined ? null : draw.path(feature);
        if (d === null) return null;
        const cls = r.status !== 'analysed' ? 'not-analysed' : (r.gi?.class ?? 'not-significant');
        return (
          <path
            key={r.id}
            class={`hotspot ${cls}`}
            d={d}
            data-hotspot-region={r.id}
            data-hotspot={cls}
            data-moran={r.moran?.class ?? ''}
          />
        );
      })}
    </g>
  );
}

export function HotspotLegend({ query }: { readonly query: MapQuery }) {
  const { t, formatNumber } = useI18n();
  const key = JSON.stringify(query);
  const loadedAnswer = useLoaded(() => hotspotsOf(query), key);
  const answer = loadedAnswer.state === 'ok' ? loadedAnswer.value : undefined;
  const loadedContext = useLoaded<ContextAnswer | undefined>(
    () => (query.level === 3 ? loadContext(query) : Promise.resolve(undefined)),
    key,
  );
  const context = loadedContext.state === 'ok' ? loadedContext.value : undefined;
  const loadedCorridors = useLoaded<CorridorsAnswer>(() => loadCorridors(query, 'citizenship'), key);
  const corridors = loadedCorridors.state === 'ok' ? loadedCorridors.value : undefined;
  const s = t.spatial;
  const percent = (n: number) => `${formatNumber(Math.round(n * 1000) / 10)} %`;
  return (
    <div class="spatial-panel" data-corridors={loadedCorridors.state}>
      <h2 id="hotspot-legend">{s.legendTitle}</h2>
      {answer === undefined ? (
        <p>{query.level === 1 ? s.levelNotAnalysed : '…'}</p>
      ) : (
        <>
          <ul aria-labelledby="hotspot-legend" class="hotspot-legend">
            {(['hot', 'cold', 'not-significant', 'not-analysed'] as const).map((cls) => (
              <li key={cls} data-hotspot-class={cls}>
                <span class={`swatch hotspot-swatch ${cls}`} aria-hidden="true" />
                {cls === 'hot'
                  ? s.hot
                  : cls === 'cold'
                    ? s.cold
                    : cls === 'not-significant'
                      ? s.notSignificant
                      : s.notAnalysed}
                <span
                  class="count"
                  data-count={
                    answer.regions.filter(
                      (r) => (r.status !== 'analysed' ? 'not-analysed' : r.gi?.class) === cls,
                    ).length
                  }
                >
                  (
                  {formatNumber(
                    answer.regions.filter(
                      (r) => (r.status !== 'analysed' ? 'not-analysed' : r.gi?.class) === cls,
                    ).length,
                  )}
                  )
                </span>
              </li>
            ))}
          </ul>
          <p class="hint">
            {answer.analysis === 'too-few-regions'
              ? s.tooFew
              : answer.analysis === 'constant'
                ? s.constant
                : fill(s.significance, {
                    permutations: formatNumber(answer.permutations),
                    fdr: percent(answer.fdr),
                  })}
          </p>
          <p class="hint" data-measure={answer.measure}>
            {answer.population === null
              ? s.onCounts
              : fill(s.onRates, { source: answer.population.source, year: String(answer.population.year) })}
          </p>
        </>
      )}
      <section
        aria-labelledby="context-title"
        class="context"
        aria-busy={loadedContext.state === 'loading' ? 'true' : 'false'}
      >
        <h2 id="context-title">{s.context}</h2>
        <p class="hint">{s.contextIntro}</p>
        {loadedContext.state === 'loading' ? (
          <p>{t.loading}</p>
        ) : loadedContext.state === 'error' ? (
          <p role="alert">{t.loadFailed}</p>
        ) : context === undefined || context.rateRatios.length === 0 ? (
          <p>{s.noRatios}</p>
        ) : (
          <RateRatioChart ratios={context.rateRatios} />
        )}
        {context === undefined || context.correlations.length === 0 ? null : (
          <>
            <h3>{s.correlations}</h3>
            <ul class="correlations">
              {context.correlations.map((c) => (
                <li key={c.indicator} data-indicator={c.indicator} data-rho={c.rho ?? ''}>
                  {c.indicator}: ρ = {c.rho === null ? '–' : formatNumber(Math.round(c.rho * 100) / 100)} (n ={' '}
                  {formatNumber(c.n)})
                </li>
              ))}
            </ul>
          </>
        )}
        <p class="caution" role="note">
          {s.caution}
        </p>
      </section>
      {loadedCorridors.state === 'error' ? (
        <section aria-labelledby="corridors-title" class="corridors">
          <h2 id="corridors-title">{s.corridors}</h2>
          <p role="alert">{t.loadFailed}</p>
        </section>
      ) : corridors === undefined || corridors.corridors.length === 0 ? null : (
        <section aria-labelledby="corridors-title" class="corridors">
          <h2 id="corridors-title">{s.corridors}</h2>
          <p class="hint">{s.corridorsIntro}</p>
          <ol>
            {corridors.corridors.map((c) => (
              <li
                key={`${c.origin}>${c.destination}`}
                data-corridor={`${c.origin}>${c.destination}`}
                data-direction={c.direction}
              >
                {c.origin} → {c.destination}: {c.value === null ? t.map.withheldValue : formatNumber(c.value)}{' '}
                (
                {c.series
                  .map((p) => (p.value === null ? t.map.withheldValue : formatNumber(p.value)))
                  .join(' · ')}
                ) — {s.directions[c.direction]}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
