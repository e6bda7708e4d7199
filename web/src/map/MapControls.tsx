/** The map's controls: indicator, level, geography, source, period (a slider), view, measure and overlays. */
import type { Role } from '../api.js';
import { ExactToggle } from '../components/ExactToggle.js';
import { useI18n } from '../i18n/index.js';
import type { Choices, FlowOrigin, GeoField, Granularity } from './data.js';
import { MEASURES, OVERLAYS } from './overlays.js';
import { FLOW_ORIGINS, GEO_FIELDS, type Settings } from './settings.js';

export function MapControls({
  settings,
  set,
  choices,
  levels,
  periods,
  period,
  role,
  params,
}: {
  settings: Settings;
  set: (change: Partial<Settings>) => void;
  choices: Choices;
  levels: readonly number[];
  periods: readonly string[];
  period: string | undefined;
  role: Role;
  params: URLSearchParams;
}) {
  const { t } = useI18n();
  return (
    <form class="map-controls" aria-label={t.map.controls} onSubmit={(e) => e.preventDefault()}>
      <label>
        {t.map.indicator}
        <select
          name="indicator"
          value={settings.indicator}
          onChange={(e) => set({ indicator: e.currentTarget.value, periodIndex: 0 })}
        >
          {choices.indicators.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.map.level}
        <select
          name="level"
          value={settings.level}
          onChange={(e) => set({ level: Number(e.currentTarget.value) })}
        >
          {levels.map((l) => (
            <option key={l} value={l}>
              {(t.map.levels as Record<string, string>)[`l${l}`]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.map.geoField}
        <select
          name="geoField"
          value={settings.geoField}
          onChange={(e) => set({ geoField: e.currentTarget.value as GeoField })}
        >
          {GEO_FIELDS.map((g) => (
            <option key={g} value={g}>
              {t.map.geoFields[g]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.map.source}
        <select
          name="providers"
          value={settings.providers}
          onChange={(e) => set({ providers: e.currentTarget.value, periodIndex: 0 })}
        >
          <option value="">{t.map.allSources}</option>
          <optgroup label={t.map.providerTypes}>
            {Object.entries(choices.labels.providerType ?? {}).map(([code, name]) => (
              <option key={code} value={`type:${code}`}>
                {name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t.map.providers}>
            {choices.providers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        {t.map.granularity}
        <select
          name="granularity"
          value={settings.granularity}
          onChange={(e) => set({ granularity: e.currentTarget.value as Granularity, periodIndex: 0 })}
        >
          {(['year', 'quarter'] as const).map((g) => (
            <option key={g} value={g}>
              {t.map.granularities[g]}
            </option>
          ))}
        </select>
      </label>
      <label class="period">
        {t.map.period}
        <input
          name="period"
          type="range"
          min={0}
          max={periods.length}
          step={1}
          value={settings.periodIndex}
          aria-valuetext={period ?? t.map.allPeriods}
          onInput={(e) => set({ periodIndex: Number(e.currentTarget.value) })}
        />
        <output data-period={period ?? ''}>{period ?? t.map.allPeriods}</output>
      </label>
      <fieldset class="view">
        <legend>{t.map.view}</legend>
        {(['regions', 'flows'] as const).map((v) => (
          <label key={v}>
            <input
              type="radio"
              name="map-view"
              value={v}
              checked={settings.view === v}
              onChange={() => set({ view: v })}
            />
            {t.map.views[v]}
          </label>
        ))}
      </fieldset>
      <label class="inline">
        <input
          type="checkbox"
          checked={settings.zoom}
          onChange={(e) => set({ zoom: e.currentTarget.checked })}
        />
        {t.map.zoom}
      </label>
      {settings.view === 'flows' ? (
        <label>
          {t.map.flowOrigin}
          <select
            name="flowOrigin"
            value={settings.flowOrigin}
            onChange={(e) => set({ flowOrigin: e.currentTarget.value as FlowOrigin })}
          >
            {FLOW_ORIGINS.map((o) => (
              <option key={o} value={o}>
                {t.map.flowOrigins[o]}
              </option>
            ))}
          </select>
          <span class="hint">{t.map.flowsTo}</span>
        </label>
      ) : null}
      {MEASURES.length > 1 ? (
        <label>
          {t.map.measure}
          <select
            name="measure"
            value={settings.measure}
            onChange={(e) => set({ measure: e.currentTarget.value })}
          >
            {MEASURES.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label(t)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {OVERLAYS.length > 0 ? (
        <fieldset class="layers">
          <legend>{t.map.layers}</legend>
          {OVERLAYS.map((o) => (
            <label key={o.id}>
              <input
                type="checkbox"
                checked={settings.overlays.includes(o.id)}
                onChange={(e) =>
                  set({
                    overlays: e.currentTarget.checked
                      ? [...settings.overlays, o.id]
                      : settings.overlays.filter((id) => id !== o.id),
                  })
                }
              />
              {o.label(t)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <ExactToggle role={role} params={params} />
    </form>
  );
}
