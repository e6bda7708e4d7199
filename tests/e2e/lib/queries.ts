/**
 * The queries the end-to-end suite asks, and how each is answered twice: as URL parameters to the report API, and
 * as a `StoreQuery` for the reference computation, built here from the same parameters by this file's own reading of
 * the API (defaults from the catalogue response, `type:` provider tokens, period shorthands, `geo`/`geoField`) —
 * never by MoSy's query parser. `comparison` then lists every cell where the two answers differ.
 */
import type { Dimension, Interval, StoreQuery, StoreResult } from '@mosy/core';
import { periodBoundsOf, type SyntheticProvider } from '@mosy/testkit';

/** An indicator as the catalogue endpoint describes it. */
export interface CatalogueIndicator {
  readonly id: string;
  readonly kind: StoreQuery['kind'];
  readonly unit: 'persons' | 'cases';
  readonly defaultFilters: Readonly<Record<string, readonly string[]>>;
  readonly breakdowns: readonly string[];
  readonly cki: readonly { readonly ref: string; readonly by: readonly string[] }[];
}

/** One query in API terms. */
export interface ApiQuery {
  readonly by: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly interval?: Interval;
  /** Provider ids and `type:<TYPE>` tokens. */
  readonly providers?: readonly string[];
  readonly geo?: readonly string[];
  readonly geoField?: 'regionOfIdentification' | 'regionOfExploitation';
  readonly geoLevel?: 0 | 1 | 2 | 3;
  readonly unit?: 'records' | 'persons';
  readonly filters?: Readonly<Record<string, readonly string[]>>;
}

/** The URL path and query string of a query. */
export function pathOf(indicator: CatalogueIndicator, q: ApiQuery): string {
  const params = new URLSearchParams();
  if (q.by.length > 0) params.set('by', q.by.join(','));
  if (q.from !== undefined) params.set('from', q.from);
  if (q.to !== undefined) params.set('to', q.to);
  if (q.interval !== undefined) params.set('interval', q.interval);
  if (q.providers !== undefined) params.set('providers', q.providers.join(','));
  if (q.geo !== undefined) params.set('geo', q.geo.join(','));
  if (q.geoField !== undefined) params.set('geoField', q.geoField);
  if (q.geoLevel !== undefined) params.set('geoLevel', String(q.geoLevel));
  if (q.unit !== undefined) params.set('unit', q.unit);
  for (const [dimension, codes] of Object.entries(q.filters ?? {})) params.set(dimension, codes.join(','));
  // Exact numbers: the coordinator reads unprotected values (each such read is audited).
  params.set('protection', 'none');
  const search = params.toString();
  return `/v1/indicators/${indicator.id}/values${search === '' ? '' : `?${search}`}`;
}

/** First or last day of a `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn` or `YYYY` period. */
function dayOf(period: string, side: 'start' | 'end'): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter !== null) {
    const first = (Number(quarter[2]) - 1) * 3 + 1;
    const month = side === 'start' ? first : first + 2;
    return periodBoundsOf(`${quarter[1]}-${String(month).padStart(2, '0')}`)[side];
  }
  return periodBoundsOf(period)[side];
}

/** The reference computation's query for an API query: defaults from the catalogue apply unless filtered. */
export function storeQueryOf(
  indicator: CatalogueIndicator,
  q: ApiQuery,
  providers: readonly SyntheticProvider[],
): StoreQuery {
  const filters: Record<string, readonly string[]> = { ...q.filters };
  if (q.geo !== undefined) filters[q.geoField ?? 'regionOfIdentification'] = q.geo;
  if (q.providers !== undefined) {
    const types = q.providers.filter((t) => t.startsWith('type:')).map((t) => t.slice(5));
    const ids = q.providers.filter((t) => !t.startsWith('type:'));
    if (ids.length === 0) filters.providerType = types;
    else filters.providerId = [...ids, ...providers.filter((p) => types.includes(p.type)).map((p) => p.id)];
  }
  for (const [dimension, codes] of Object.entries(indicator.defaultFilters))
    if (filters[dimension] === undefined) filters[dimension] = codes;
  return {
    kind: indicator.kind,
    unit: q.unit ?? (indicator.unit === 'cases' ? 'records' : 'persons'),
    by: q.by as Dimension[],
    filters,
    ...(q.interval === undefined ? {} : { interval: q.interval }),
    ...(q.from === undefined ? {} : { from: dayOf(q.from, 'start') }),
    ...(q.to === undefined ? {} : { to: dayOf(q.to, 'end') }),
    ...(q.geoLevel === undefined ? {} : { geoLevel: q.geoLevel }),
  };
}

/** True when every dimension the query uses is a breakdown of the indicator. */
export function appliesTo(indicator: CatalogueIndicator, q: ApiQuery): boolean {
  const used = [
    ...q.by,
    ...Object.keys(q.filters ?? {}),
    ...(q.geo === undefined ? [] : [q.geoField ?? 'regionOfIdentification']),
  ];
  return used.every((d) => indicator.breakdowns.includes(d));
}

/**
 * The queries asked of one indicator: each CKI breakdown of the catalogue, then the first breakdown (and a few
 * others) across time frames, intervals, provider subsets, regions, units and filters.
 */
export function queriesFor(
  indicator: CatalogueIndicator,
  years: readonly number[],
  providers: readonly SyntheticProvider[],
  providersOfKind: readonly string[],
): ApiQuery[] {
  const y = years[Math.floor(years.length / 2)]!;
  const first = indicator.cki[0]?.by ?? [];
  const main = providersOfKind[0] ?? providers[0]!.id;
  const other = providers.map((p) => p.id).find((id) => id !== main)!;
  const ngo = providers.find((p) => p.type === 'NGO')?.id ?? main;
  const out: ApiQuery[] = indicator.cki.map((cki) => ({ by: cki.by }));
  out.push(
    { by: first, unit: 'records' },
    { by: first, unit: 'persons' },
    // Time frames and intervals.
    { by: first, from: `${y}-01-01`, to: `${y}-12-31` },
    { by: first, from: `${y}`, to: `${y}` },
    { by: first, from: `${y}-Q2`, to: `${y}-Q3` },
    { by: first, from: `${y}-04-01`, to: `${y}-06-30`, interval: 'month' },
    { by: first, interval: 'quarter' },
    { by: [], interval: 'quarter', unit: 'records' },
    { by: [], interval: 'year' },
    { by: [], interval: 'month', from: `${y}-02`, to: `${y}-11-15` },
    { by: [], interval: 'week', from: `${y}-03-01`, to: `${y}-04-30` },
    { by: [], interval: 'day', from: `${y}-02`, to: `${y}-02` },
    // Provider subsets.
    { by: first, providers: [main] },
    { by: first, providers: ['type:NGO'] },
    { by: first, providers: [main, other] },
    { by: ['providerId'], providers: [ngo, 'type:POLICE'] },
    { by: ['providerType'], unit: 'records' },
    // Regions.
    { by: first, geo: ['PT1'] },
    { by: ['regionOfIdentification'], geo: ['PT11'], geoLevel: 3 },
    { by: ['regionOfIdentification'], geo: ['PT1'], geoLevel: 2 },
    { by: ['regionOfIdentification'], geoLevel: 0 },
    { by: ['regionOfIdentification'], geoLevel: 1, unit: 'records' },
    {
      by: ['regionOfExploitation'],
      geoField: 'regionOfExploitation',
      geo: ['ES', 'EL', 'PT1A'],
      geoLevel: 1,
    },
    { by: first, geoField: 'regionOfExploitation', geo: ['PT'] },
    { by: ['regionOfExploitation'], geoLevel: 0 },
    // Everything at once.
    {
      by: first,
      interval: 'quarter',
      providers: [main, other],
      geo: ['PT'],
      from: `${years[0]!}-07-01`,
      unit: 'records',
    },
    // Filters: defaults replaced, list fields filtered and broken down, derived dimensions.
    { by: ['status'], filters: { status: ['FLAGGED', 'PENDING', 'NOT_CONFIRMED'] } },
    { by: ['status', 'sex'], filters: { status: ['IDENTIFIED'] }, unit: 'records' },
    { by: ['exploitation'], filters: { exploitation: ['SEX', 'LAB'] } },
    { by: ['sex', 'exploitation'], filters: { exploitation: ['BEG', 'CRIM', 'UNK'] }, interval: 'year' },
    { by: ['sex'], filters: { exploitation: ['LAB'] } },
    { by: ['sex', 'ageClass'], filters: { ageClass: ['child'] } },
    { by: ['ageClass', 'ageGroup'] },
    { by: ['citizenship'], filters: { citizenship: ['NA', 'STLS', 'UNK', 'BR'] } },
    { by: ['sex', 'ageGroup', 'exploitation', 'providerType'] },
    { by: ['meansOfControl'] },
    { by: ['recruiterRelationship', 'sex'], unit: 'records' },
    { by: ['countryOfRecruitment'], filters: { sex: ['F'] } },
    { by: ['labourSector'], providers: ['type:LABOUR_INSPECTION'] },
    { by: ['organisedCrime', 'sex'] },
    { by: ['outcome'], filters: { outcome: ['ONGOING', 'FINALISED_CONVICTION'] } },
    { by: ['outcome'], interval: 'year', unit: 'records' },
    { by: ['assistance', 'reflectionPeriod', 'residencePermit'] },
  );
  // A cases indicator has no persons unit (the API refuses it; the bad-input checks ask that).
  return out.filter((q) => appliesTo(indicator, q) && !(indicator.unit === 'cases' && q.unit === 'persons'));
}

/** An API cell: the breakdown codes, perhaps a period, and the value. */
export type ApiCell = Readonly<Record<string, string | number | null>>;

/** Every difference between the API's answer and the reference's, as readable lines (empty when equal). */
export function comparison(
  q: ApiQuery,
  api: { readonly cells: readonly ApiCell[]; readonly total: number },
  reference: StoreResult,
): string[] {
  const keyOf = (codes: readonly unknown[], period: unknown): string =>
    JSON.stringify([...codes, period ?? null]);
  const expected = new Map(
    reference.cells.map((c) => [
      keyOf(
        q.by.map((d) => c.key[d as Dimension]),
        c.period,
      ),
      c.value,
    ]),
  );
  const actual = new Map<string, string | number | null | undefined>();
  const problems: string[] = [];
  for (const cell of api.cells) {
    const key = keyOf(
      q.by.map((d) => cell[d]),
      cell.period,
    );
    if (actual.has(key)) problems.push(`cell ${key} appears twice`);
    actual.set(key, cell.value);
  }
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (got !== value)
      problems.push(
        `cell ${key}: API ${got === undefined ? 'missing' : JSON.stringify(got)}, reference ${value}`,
      );
  }
  for (const [key, value] of actual)
    if (!expected.has(key))
      problems.push(`cell ${key}: API ${JSON.stringify(value)}, reference has no such cell`);
  if (api.total !== reference.total) problems.push(`total: API ${api.total}, reference ${reference.total}`);
  return problems;
}
