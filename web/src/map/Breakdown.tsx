/**
 * A selected region's breakdown: its counts by one more variable (sex by default) for the map's query, from the
 * geo report filtered to the region, with the region's total. Withheld counts say so; every count carries its
 * cell key.
 */
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { Status } from '../pages/Status.js';
import { CountsTable } from './CountsTable.js';
import { loadBreakdown, type BreakdownRow, type Count, type MapQuery } from './data.js';
import { fill } from './Legend.js';

export interface BreakdownProps {
  readonly query: MapQuery;
  readonly region: string;
  readonly regionName: string;
  /** The region's count on the map, when the map shows counts (the total if the report has no margin for it). */
  readonly regionCount?: number | null;
  /** The variables the indicator can be broken down by (besides geography). */
  readonly variables: readonly string[];
  readonly label: (dimension: string, code: string) => string;
  readonly format: (value: number | null) => string;
  readonly onClose: () => void;
  readonly onError: (error: unknown) => void;
}

/** Loaded rows name the variable they are by, so a table is never labelled with a choice whose rows are still loading. */
type State =
  | 'loading'
  | 'error'
  | { readonly by: string; readonly rows: readonly BreakdownRow[]; readonly total: Count };

export function Breakdown(props: BreakdownProps) {
  const { query, region, regionCount, variables, format, onError } = props;
  const { t } = useI18n();
  const [by, setBy] = useState(variables.includes('sex') ? 'sex' : (variables[0] ?? 'sex'));
  // The state with the request it answers: when the map's query changes (another period, say), the previous
  // period's rows are not shown as the new one's (they were, until the effect below began the request).
  const [answer, setAnswer] = useState<{ for: readonly unknown[]; state: State } | undefined>();
  const [attempt, setAttempt] = useState(0);
  const asked = [query, region, regionCount, by, attempt] as const;
  const state = answer !== undefined && answer.for.every((v, i) => v === asked[i]) ? answer.state : 'loading';

  useEffect(() => {
    let current = true;
    loadBreakdown(query, region, by, regionCount)
      .then((result) => current && setAnswer({ for: asked, state: { by, ...result } }))
      .catch((error: unknown) => {
        onError(error);
        if (current) setAnswer({ for: asked, state: 'error' });
      });
    return () => {
      current = false;
    };
  }, [query, region, regionCount, by, attempt, onError]);

  return (
    <section class="breakdown" aria-labelledby="breakdown-title" aria-live="polite" data-region={region}>
      <h2 id="breakdown-title">{fill(t.map.breakdown, { region: props.regionName })}</h2>
      <label>
        {t.map.breakdownBy}{' '}
        <select value={by} onChange={(e) => setBy(e.currentTarget.value)}>
          {variables.map((v) => (
            <option key={v} value={v}>
              {props.label('dimension', v)}
            </option>
          ))}
        </select>
      </label>
      {state === 'loading' ? (
        <Status kind="loading" />
      ) : state === 'error' ? (
        <Status kind="error" onRetry={() => setAttempt((n) => n + 1)} />
      ) : (
        <CountsTable
          data={{ 'data-by': state.by }}
          columns={[t.map.code]}
          valueColumn={t.map.value}
          rows={state.rows.map((row) => ({
            key: row.code,
            data: { 'data-code': row.code },
            names: [props.label(state.by, row.code)],
            count: row,
          }))}
          total={{ label: t.map.total, count: state.total }}
          format={format}
        />
      )}
      <button type="button" class="secondary" onClick={props.onClose}>
        {t.map.close}
      </button>
    </section>
  );
}
