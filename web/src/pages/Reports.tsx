/**
 * The report builder (analysts and coordinators): a form for the report, and the report the URL names — its
 * table with margins, a chart, what the protection means, and downloads as CSV and SDMX-CSV. The whole state is in
 * the URL's hash query (reports/report-state.ts), so a report can be bookmarked, shared and reloaded.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { client, failure } from '../api.js';
import { Chart, type PlotModule } from '../components/Chart.js';
import { ProtectionLegend } from '../components/ProtectionLegend.js';
import { useI18n } from '../i18n/index.js';
import { useLocalizedCodeLists } from '../code-labels.js';
import { codeLabel, loadCatalogue, type Catalogue } from '../reports/catalogue.js';
import type { PublishedTable } from '../reports/crosstab.js';
import { downloadReport, type DownloadFormat } from '../reports/download.js';
import { drawReport } from '../reports/report-chart.js';
import { ReportForm } from '../reports/ReportForm.js';
import {
  apiQuery,
  paramsOfState,
  reportFamily,
  stateFromParams,
  type ReportState,
} from '../reports/report-state.js';
import { ReportTable } from '../reports/ReportTable.js';
import { setHashParams, useHashParams } from '../url-state.js';
import type { PageProps } from '../page-props.js';
import { Status } from './Status.js';
import type { Loaded } from '../loaded.js';

type Report = PublishedTable & {
  readonly indicator: string;
  readonly unit: string;
  readonly disclosure: Parameters<typeof ProtectionLegend>[0]['disclosure'];
};

async function loadReport(state: ReportState): Promise<Report> {
  const options = { params: { path: { id: state.indicator }, query: apiQuery(state) } };
  const { data, error, response } =
    reportFamily(state) === 'simple'
      ? await client.GET('/v1/reports/simple/{id}', options)
      : await client.GET('/v1/reports/time-frame/{id}', options);
  if (data === undefined) throw failure(response, error);
  return data as Report;
}

export function Reports({ onError, role }: PageProps) {
  const { t, language } = useI18n();
  const params = useHashParams();
  const text = params.toString();
  const state = useMemo(() => stateFromParams(new URLSearchParams(text), role), [text, role]);
  const [catalogue, setCatalogue] = useState<Loaded<Catalogue>>({ state: 'loading' });
  // The report with the state it answers (the URL's query): until the current state's answer is in, the previous
  // report is not shown as this one's (it was, until the effect below began the request).
  const [answer, setAnswer] = useState<{ for: ReportState; report: Loaded<Report> } | undefined>(undefined);
  const [downloadError, setDownloadError] = useState<string | undefined>(undefined);

  const loadAll = useCallback(() => {
    setCatalogue({ state: 'loading' });
    loadCatalogue()
      .then((value) => setCatalogue({ state: 'ok', value }))
      .catch((error: unknown) => {
        onError(error);
        setCatalogue({ state: 'error', message: String((error as Error).message) });
      });
  }, [onError]);
  useEffect(loadAll, [loadAll]);

  useEffect(() => {
    setDownloadError(undefined);
    if (state === undefined) {
      setAnswer(undefined);
      return;
    }
    let live = true;
    setAnswer({ for: state, report: { state: 'loading' } });
    loadReport(state)
      .then((value) => live && setAnswer({ for: state, report: { state: 'ok', value } }))
      .catch((error: unknown) => {
        onError(error);
        if (live)
          setAnswer({ for: state, report: { state: 'error', message: String((error as Error).message) } });
      });
    return () => {
      live = false;
    };
  }, [state, onError]);

  const download = (format: DownloadFormat) => {
    if (state === undefined) return;
    setDownloadError(undefined);
    downloadReport(reportFamily(state), state.indicator, apiQuery(state), format).catch((error: unknown) => {
      onError(error);
      setDownloadError(`${t.reports.downloadFailed} ${String((error as Error).message)}`);
    });
  };

  const report: Loaded<Report> | undefined =
    state === undefined ? undefined : answer?.for === state ? answer.report : { state: 'loading' };
  const loaded = catalogue.state === 'ok' ? catalogue.value : undefined;
  // Code labels in the page's language.
  const codeLists = useLocalizedCodeLists(loaded?.codeLists);
  const value = useMemo(
    () => (loaded === undefined || codeLists === undefined ? undefined : { ...loaded, codeLists }),
    [loaded, codeLists],
  );
  const labelOf = useCallback(
    (dim: string, code: string) => (value === undefined ? code : codeLabel(value, dim, code)),
    [value],
  );
  const shown = report?.state === 'ok' ? report.value : undefined;
  const locale = language === 'pt' ? 'pt-PT' : 'en-GB';
  const draw = useCallback(
    (plot: PlotModule) => drawReport(plot, shown!, labelOf, locale),
    [shown, labelOf, locale],
  );
  const indicator = value?.indicators.find((i) => i.id === state?.indicator);

  return (
    <section aria-labelledby="page-title" class="reports">
      <h1 id="page-title">{t.reports.title}</h1>
      <p>{t.reports.intro}</p>
      {catalogue.state === 'loading' ? (
        <Status kind="loading" />
      ) : catalogue.state === 'error' ? (
        <Status kind="error" onRetry={loadAll} />
      ) : (
        <ReportForm
          catalogue={value ?? catalogue.value}
          state={state}
          role={role}
          onSubmit={(next) => setHashParams(paramsOfState(next))}
        />
      )}
      {report === undefined ? (
        <p class="hint">{t.reports.empty}</p>
      ) : report.state === 'loading' ? (
        <Status kind="loading" />
      ) : report.state === 'error' ? (
        <div role="alert" class="error">
          <p>
            {t.reports.failed} {report.message}
          </p>
        </div>
      ) : value === undefined ? null : (
        <div class="report-result" data-report-indicator={report.value.indicator}>
          <h2>
            {indicator?.label ?? report.value.indicator}
            {' — '}
            {t.reports.units[report.value.unit as 'persons'] ?? report.value.unit}
          </h2>
          <ProtectionLegend disclosure={report.value.disclosure} />
          <div class="downloads">
            <button type="button" onClick={() => download('csv')}>
              {t.reports.downloadCsv}
            </button>
            <button type="button" onClick={() => download('sdmx-csv')}>
              {t.reports.downloadSdmx}
            </button>
            {downloadError === undefined ? null : (
              <p role="alert" class="error">
                {downloadError}
              </p>
            )}
          </div>
          <ReportTable
            indicator={report.value.indicator}
            table={report.value}
            catalogue={value}
            caption={indicator?.label ?? report.value.indicator}
          />
          {report.value.dims.length === 0 ? null : <Chart draw={draw} label={t.reports.chartLabel} />}
        </div>
      )}
    </section>
  );
}
