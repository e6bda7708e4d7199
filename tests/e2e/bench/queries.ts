/**
 * The queries the benchmark times, each three ways: through the HTTP API (what a reader waits for), through the
 * store's own `query` (for a report, its `queryParts`: the project's generated SQL, no HTTP), and as the plain GROUP BY a person would write on the
 * same table (the raw engine: no second query for the total, no `FINAL` on ClickHouse, no disclosure control).
 * Both stores name the table `records_current` with the columns of `@mosy/sql`.
 */
import { REGISTERED_STATUSES, type StoreQuery } from '@mosy/core';

export type Engine = 'duckdb' | 'clickhouse';

export interface BenchQuery {
  readonly name: string;
  /** Path and query string of the report API, read as an analyst (protected values, the usual reader). */
  readonly path: string;
  /** The store query the API makes for it (for a report, the main table's), with the key sums protection needs. */
  readonly store: StoreQuery;
  /** For a report: the parts of its table (cells, margins, total) the API asks the store's `queryParts` for. */
  readonly parts?: readonly (readonly string[])[];
  /** The raw GROUP BY on the same rows. */
  readonly raw: (engine: Engine) => string;
}

const TABLE = 'records_current';
const REGISTERED = `status IN (${REGISTERED_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const where = (engine: Engine) =>
  `kind = 'victim' AND ${engine === 'duckdb' ? 'NOT withdrawn' : 'withdrawn = 0'} AND ${REGISTERED}`;
const distinctPersons = (engine: Engine) =>
  engine === 'duckdb' ? 'count(DISTINCT person_key)' : 'uniqExact(person_key)';

/** `SELECT <columns>, <measure> … GROUP BY <columns>` over rows of the filter (list columns unnested first). */
function groupBy(engine: Engine, columns: readonly string[], measure: string, lists: readonly string[] = []) {
  const select = columns.length === 0 ? '' : `${columns.join(', ')}, `;
  const group = columns.length === 0 ? '' : ` GROUP BY ${columns.join(', ')}`;
  if (lists.length === 0)
    return `SELECT ${select}${measure} AS n FROM ${TABLE} WHERE ${where(engine)}${group}`;
  // Each list element is its own row: DuckDB unnests one list per level, ClickHouse's arrayJoin takes the product.
  let rows: string;
  if (engine === 'clickhouse') {
    rows = `SELECT person_key, ${lists.map((l) => `arrayJoin(${l}) AS ${l}_code`).join(', ')} FROM ${TABLE} WHERE ${where(engine)}`;
  } else {
    rows = `SELECT person_key, ${lists.slice(1).join(', ')}${lists.length > 1 ? ', ' : ''}unnest(${lists[0]}) AS ${lists[0]}_code FROM ${TABLE} WHERE ${where(engine)}`;
    for (let i = 1; i < lists.length; i++) {
      const kept = lists.slice(0, i).map((l) => `${l}_code`);
      const rest = lists.slice(i + 1);
      rows = `SELECT person_key, ${[...kept, ...rest].join(', ')}, unnest(${lists[i]}) AS ${lists[i]}_code FROM (${rows})`;
    }
  }
  return `SELECT ${select}${measure} AS n FROM (${rows})${group}`;
}

const victims = (by: StoreQuery['by'], unit: StoreQuery['unit']): StoreQuery => ({
  kind: 'victim',
  unit,
  by,
  filters: { status: REGISTERED_STATUSES },
  keySums: true,
});

export const QUERIES: readonly BenchQuery[] = [
  {
    name: 'persons by sex, ageGroup',
    path: '/v1/indicators/victims/values?by=sex,ageGroup',
    store: victims(['sex', 'ageGroup'], 'persons'),
    raw: (engine) => groupBy(engine, ['sex', 'age_group'], distinctPersons(engine)),
  },
  {
    name: 'persons by citizenship, exploitation',
    path: '/v1/indicators/victims/values?by=citizenship,exploitation',
    store: victims(['citizenship', 'exploitation'], 'persons'),
    raw: (engine) =>
      groupBy(engine, ['citizenship_code', 'exploitation_code'], distinctPersons(engine), [
        'citizenship',
        'exploitation',
      ]),
  },
  {
    name: 'records by sex, ageGroup',
    path: '/v1/indicators/victims/values?by=sex,ageGroup&unit=records',
    store: victims(['sex', 'ageGroup'], 'records'),
    raw: (engine) => groupBy(engine, ['sex', 'age_group'], 'count(*)'),
  },
  {
    name: 'simple report persons sex × ageGroup, with margins',
    path: '/v1/reports/simple/victims?by=sex,ageGroup',
    store: victims(['sex', 'ageGroup'], 'persons'),
    parts: [[], ['sex'], ['ageGroup'], ['sex', 'ageGroup']],
    // The cells, each row's and each column's margin, and the grand total, as one statement.
    raw: (engine) =>
      [['sex', 'age_group'], ['sex'], ['age_group'], []]
        .map((columns) => {
          const padded = ['sex', 'age_group'].map((c) => (columns.includes(c) ? c : `'' AS ${c}`));
          const inner = groupBy(engine, columns, distinctPersons(engine));
          return `SELECT ${padded.join(', ')}, n FROM (${inner})`;
        })
        .join(' UNION ALL '),
  },
];

/**
 * Catalogue reads: a Common Key Indicator by quarter, as the dashboard and the quarterly report ask for it. Served
 * today by the same scan of the current records as any query; when rolling counts serve them, this list (the
 * paths) is the one place to point at them, and the report shows their p95 against the 20 ms target.
 */
export const CATALOGUE_READS: readonly { readonly name: string; readonly path: string }[] = [
  {
    name: 'CKI 1.4 victims by sex, ageGroup, per quarter',
    path: '/v1/indicators/victims/values?by=sex,ageGroup&interval=quarter',
  },
  {
    name: 'CKI 1.7a victims by citizenship, per quarter',
    path: '/v1/indicators/victims/values?by=citizenship&interval=quarter',
  },
];
