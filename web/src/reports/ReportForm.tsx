/**
 * The report builder's form: indicator, up to three variables, time frame and interval, providers (all, a type,
 * or chosen ones), region, persons or records, and for coordinators exact values. It edits a draft; "Show report"
 * writes the draft into the URL, which is what the page shows.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Role } from '../api.js';
import { LabelledSelect } from '../components/LabelledSelect.js';
import { useI18n } from '../i18n/index.js';
import type { Catalogue } from './catalogue.js';
import { EMPTY_STATE, INTERVALS, MAX_VARIABLES, type ReportState } from './report-state.js';

export function ReportForm({
  catalogue,
  state,
  role,
  onSubmit,
}: {
  catalogue: Catalogue;
  state: ReportState | undefined;
  role: Role;
  onSubmit: (state: ReportState) => void;
}) {
  const { t } = useI18n();
  const m = t.reports.form;
  const initial = (): ReportState =>
    state ?? { ...EMPTY_STATE, indicator: catalogue.indicators[0]?.id ?? '' };
  const [draft, setDraft] = useState<ReportState>(initial);
  // A new URL state (back button, a shared link) replaces the draft.
  useEffect(() => setDraft(initial()), [state]);
  const indicator = catalogue.indicators.find((i) => i.id === draft.indicator);
  const breakdowns = indicator?.breakdowns ?? [];
  const isCases = indicator?.unit === 'cases';
  const dimName = (dim: string) => (t.reports.dims as Record<string, string | undefined>)[dim] ?? dim;
  const update = (patch: Partial<ReportState>) => setDraft((d) => ({ ...d, ...patch }));

  const setVariable = (index: number, dim: string) => {
    const by = [...draft.by];
    if (dim === '') by.splice(index, 1);
    else by[index] = dim;
    update({ by: by.filter((d, i) => d !== '' && by.indexOf(d) === i) });
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    onSubmit({
      ...draft,
      by: draft.by.filter((d) => breakdowns.includes(d)),
      unit: isCases ? 'persons' : draft.unit,
      exact: role === 'coordinator' && draft.exact,
    });
  };

  const providerTypes = Object.entries(catalogue.codeLists.providerType ?? {});
  return (
    <form class="report-form" onSubmit={submit} aria-label={m.label}>
      <LabelledSelect
        id="report-indicator"
        name="indicator"
        label={m.indicator}
        value={draft.indicator}
        options={catalogue.indicators.map((i) => ({ value: i.id, label: i.label }))}
        onChange={(indicator) => update({ indicator })}
      />

      <fieldset>
        <legend>{m.variables}</legend>
        {Array.from({ length: MAX_VARIABLES }, (_, index) => (
          <LabelledSelect
            key={index}
            id={`report-by-${index}`}
            name={`by${index}`}
            label={`${m.variable} ${index + 1}`}
            value={draft.by[index] ?? ''}
            disabled={index > draft.by.length}
            options={[
              { value: '', label: m.none },
              ...breakdowns
                .filter((d) => d === draft.by[index] || !draft.by.includes(d))
                .map((d) => ({ value: d, label: dimName(d) })),
            ]}
            onChange={(dim) => setVariable(index, dim)}
          />
        ))}
      </fieldset>

      <fieldset>
        <legend>{m.timeFrame}</legend>
        <p class="hint" id="report-period-hint">
          {m.periodHint}
        </p>
        <div class="field">
          <label for="report-from">{m.from}</label>
          <input
            id="report-from"
            name="from"
            value={draft.from}
            aria-describedby="report-period-hint"
            onInput={(e) => update({ from: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="report-to">{m.to}</label>
          <input
            id="report-to"
            name="to"
            value={draft.to}
            aria-describedby="report-period-hint"
            onInput={(e) => update({ to: e.currentTarget.value })}
          />
        </div>
        <LabelledSelect
          id="report-interval"
          name="interval"
          label={m.interval}
          value={draft.interval}
          options={[
            { value: '', label: m.noInterval },
            ...INTERVALS.map((i) => ({ value: i, label: m.intervals[i] })),
          ]}
          onChange={(interval) => update({ interval: interval as ReportState['interval'] })}
        />
      </fieldset>

      <fieldset>
        <legend>{m.providers}</legend>
        {(['all', 'type', 'some'] as const).map((mode) => (
          <label class="choice" key={mode}>
            <input
              type="radio"
              name="providerMode"
              value={mode}
              checked={draft.providers.mode === mode}
              onChange={() =>
                update({
                  providers:
                    mode === 'all'
                      ? { mode }
                      : mode === 'type'
                        ? { mode, type: providerTypes[0]?.[0] ?? '' }
                        : { mode, ids: [] },
                })
              }
            />{' '}
            {m.providerModes[mode]}
          </label>
        ))}
        {draft.providers.mode === 'type' ? (
          <LabelledSelect
            id="report-provider-type"
            name="providerType"
            label={m.providerType}
            value={draft.providers.type}
            options={providerTypes.map(([code, label]) => ({ value: code, label }))}
            onChange={(type) => update({ providers: { mode: 'type', type } })}
          />
        ) : null}
        {draft.providers.mode === 'some' ? (
          <div class="checks" role="group" aria-label={m.providerModes.some}>
            {catalogue.providers.map((id) => {
              const ids = draft.providers.mode === 'some' ? draft.providers.ids : [];
              return (
                <label class="choice" key={id}>
                  <input
                    type="checkbox"
                    name="provider"
                    value={id}
                    checked={ids.includes(id)}
                    onChange={(e) =>
                      update({
                        providers: {
                          mode: 'some',
                          ids: e.currentTarget.checked ? [...ids, id] : ids.filter((x) => x !== id),
                        },
                      })
                    }
                  />{' '}
                  {id}
                </label>
              );
            })}
          </div>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>{m.other}</legend>
        <div class="field">
          <label for="report-geo">{m.region}</label>
          <input
            id="report-geo"
            name="geo"
            list="report-regions"
            value={draft.geo}
            aria-describedby="report-geo-hint"
            onInput={(e) => update({ geo: e.currentTarget.value })}
          />
          <datalist id="report-regions">
            {catalogue.regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </datalist>
          <p class="hint" id="report-geo-hint">
            {m.regionHint}
          </p>
        </div>
        <div class="field" role="radiogroup" aria-label={m.unit}>
          <span class="label">{m.unit}</span>
          {(['persons', 'records'] as const).map((unit) => (
            <label class="choice" key={unit}>
              <input
                type="radio"
                name="unit"
                value={unit}
                disabled={isCases}
                checked={draft.unit === unit}
                onChange={() => update({ unit })}
              />{' '}
              {m.units[unit]}
            </label>
          ))}
          {isCases ? <p class="hint">{m.casesOnly}</p> : null}
        </div>
        {role === 'coordinator' ? (
          <label class="choice">
            <input
              type="checkbox"
              name="exact"
              checked={draft.exact}
              onChange={(e) => update({ exact: e.currentTarget.checked })}
            />{' '}
            {t.reports.protection.toggle}
          </label>
        ) : null}
      </fieldset>

      <button type="submit">{m.submit}</button>
    </form>
  );
}
