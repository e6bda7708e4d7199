/**
 * SQL for the timeliness of providers' current records (data quality, `IndicatorStore.timeliness`), in either
 * dialect: per provider and record kind, the number of records, the sum of their lags and how many arrived within
 * 30, 90 and 365 days. A lag is whole days from the last day of the reference period (`period_end`) to the UTC day
 * of `received_at`, 0 when the record arrived before its period ended. Provider ids go through `sqlLiteral`.
 */
import { MosyError, RECORD_KINDS, type RecordKind, type Timeliness } from '@mosy/core';
import type { Dialect } from './dialect.js';
import { toCount } from './indicator-sql.js';
import { sqlLiteral } from './literal.js';

/** The lag expression of a row. */
const lagOf = (dialect: Dialect): string =>
  dialect.name === 'duckdb'
    ? "greatest(0, date_diff('day', period_end, CAST(epoch_ms(received_at) AS DATE)))"
    : // Day numbers since the epoch on both sides, so the server's time zone plays no part.
      'greatest(0, intDiv(received_at, 86400000) - toInt64(period_end))';

/** One statement: rows `provider_id`, `kind`, `n`, `lag_sum`, `w30`, `w90`, `w365`, sorted by provider and kind. */
export function buildTimelinessSql(providerIds: readonly string[], dialect: Dialect, table: string): string {
  const providers =
    providerIds.length === 0 ? '1 = 0' : `provider_id IN (${providerIds.map(sqlLiteral).join(', ')})`;
  const within = (days: number): string => `sum(CASE WHEN lag <= ${days} THEN 1 ELSE 0 END) AS w${days}`;
  return (
    `SELECT provider_id, kind, count(*) AS n, sum(lag) AS lag_sum, ${within(30)}, ${within(90)}, ${within(365)} ` +
    `FROM (SELECT provider_id, kind, ${lagOf(dialect)} AS lag FROM ${dialect.table(table)} ` +
    `WHERE ${dialect.notWithdrawn} AND ${providers}) GROUP BY provider_id, kind ORDER BY provider_id, kind`
  );
}

/** The rows of `buildTimelinessSql` as `Timeliness` values. */
export function timelinessFromRows(rows: readonly Readonly<Record<string, unknown>>[]): Timeliness[] {
  return rows.map((row) => {
    const kind = String(row.kind);
    if (!Object.prototype.hasOwnProperty.call(RECORD_KINDS, kind))
      throw new MosyError('internal', `store returned an unknown record kind ${kind}`);
    return {
      providerId: String(row.provider_id),
      kind: kind as RecordKind,
      records: toCount(row.n),
      lagDaysSum: toCount(row.lag_sum),
      within30: toCount(row.w30),
      within90: toCount(row.w90),
      within365: toCount(row.w365),
    };
  });
}
