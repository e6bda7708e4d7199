/** The map's controls: indicator, level, geography, source, period (a slider), view, measure and overlays. */
import type { Role } from '../api.js';
import { ExactToggle } from '../components/ExactToggle.js';
import { LabelledSelect } from '../components/LabelledSelect.js';
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
  /** The periods with data of the current query; undefined while they load (the slider waits for them). */
  periods: readonly string[] | undefined;
  period: string | undefined;
  role: Role;
  params: URLSearchParams;
}) {
  const { t } = useI18n();
  return (
    <form class="map-controls" aria-label={t.map.controls} onSubmit={(e) => e.preventDefault()}>
      <LabelledSelect
        name="indicator"
        label={t.map.indicator}
        value={settings.indicator}
        options={choices.indicators.map((i) => ({ value: i.id, label: i.label }))}
        onChange={(indicator) => set({ indicator, periodIndex: 0 })}
      />
      <LabelledSelect
        name="level"
        label={t.map.level}
        value={settings.level}
        options={levels.map((l) => ({
          value: l,
          label: (t.map.levels as Record<string, string>)[`l${l}`] ?? String(l),
        }))}
        onChange={(level) => set({ level: Number(level) })}
      />
      <LabelledSelect
        name="geoField"
        label={t.map.geoField}
        value={settings.geoField}
        options={GEO_FIELDS.map((g) => ({ value: g, label: t.map.geoFields[g] }))}
        onChange={(geoField) => set({ geoField: geoField as GeoField })}
      />
      <LabelledSelect
        name="providers"
        label={t.map.source}
        value={settings.providers}
        options={[{ value: '', label: t.map.allSources }]}
        onChange={(providers) => set({ providers, periodIndex: 0 })}
      >
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
      </LabelledSelect>
      <LabelledSelect
        name="granularity"
        label={t.map.granularity}
        value={settings.granularity}
        options={(['year', 'quarter'] as const).map((g) => ({ value: g, label: t.map.granularities[g] }))}
        onChange={(granularity) => set({ granularity: granularity as Granularity, periodIndex: 0 })}
      />
      <label class="period" data-periods={periods === undefined ? 'loading' : 'done'}>
        {t.map.period}
        <input
          name="period"
          type="range"
          disabled={periods === undefined}
          min={0}
          max={periods?.length ?? 0}
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
        <LabelledSelect
          name="measure"
          label={t.map.measure}
          value={settings.measure}
          options={MEASURES.map((m) => ({ value: m.id, label: m.label(t) }))}
          onChange={(measure) => set({ measure })}
        />
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
