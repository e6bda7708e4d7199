/**
 * Parsing an indicator query from URL parameters into a StoreQuery (query/model.ts), so that nothing reaches a store
 * that is not a code of the taxonomy, a registered provider or a well-formed date. Parameters: `by` (breakdowns,
 * at most 4), `from`/`to` (a day, month, quarter or year, widened to its first/last day), `interval`, `providers`
 * (ids and `type:<PROVIDER_TYPE>` tokens), `geo` with `geoField` and `geoLevel`, `unit`, and any dimension of the
 * indicator as a filter (`sex=F,M`). Lists are comma-separated or repeated. The indicator's default filters apply
 * unless the query filters the same dimension (`status=FLAGGED` replaces "registered"). Every problem is reported.
 */
import { MosyError, type FieldIssue } from '../errors.js';
import type { IndicatorDefinition } from '../indicators/catalogue.js';
import { AGE_CLASSES, PROVIDER_TYPES, isCode } from '../taxonomy/codes.js';
import { fieldValueProblem, isCanonicalField } from '../taxonomy/fields.js';
import type { NutsLevel } from '../taxonomy/nuts.js';
import { periodBounds } from '../time/reference-date.js';
import {
  DERIVED_DIMENSIONS,
  INTERVALS,
  type Dimension,
  type Interval,
  type StoreQuery,
  type Unit,
} from './model.js';

/** Most breakdown dimensions in one query: beyond four, cells are too small to publish anyway. */
export const MAX_BREAKDOWNS = 4;

const GEO_FIELDS: readonly Dimension[] = ['regionOfIdentification', 'regionOfExploitation'];
const SCALARS = ['from', 'to', 'interval', 'unit', 'geoField', 'geoLevel'] as const;
const RESERVED: readonly string[] = ['by', 'providers', 'geo', ...SCALARS];

export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The parameters whose values are checked against, or expanded from, the registered providers: a query without them
 * parses the same whatever `knownProviders` is.
 */
const PROVIDER_PARAMS = ['providers', 'providerId'] as const;

/**
 * Whether parsing `params` reads its `knownProviders` (`PROVIDER_PARAMS`): when not, a caller need not read the
 * registry for it (most reads, every catalogue read among them, name no provider).
 */
export function namesProviders(params: QueryParams, options: ParseQueryOptions = {}): boolean {
  return PROVIDER_PARAMS.some(
    (name) => params[name] !== undefined && options.ignore?.includes(name) !== true,
  );
}

export interface ParseQueryOptions {
  /** Parameters the caller handles itself (e.g. `format`), skipped here instead of refused as unknown. */
  readonly ignore?: readonly string[];
}

/**
 * Validates a query for an indicator and builds the store query.
 * @param knownProviders The registered providers (id and type), to check ids and expand `type:` tokens.
 * @throws MosyError `invalid-query` whose `issues` name each offending parameter.
 */
export function parseIndicatorQuery(
  indicator: IndicatorDefinition,
  params: QueryParams,
  knownProviders: readonly { readonly id: string; readonly type: string }[],
  options: ParseQueryOptions = {},
): StoreQuery {
  const issues: FieldIssue[] = [];
  const report = (field: string, message: string): void => {
    issues.push({ field, code: 'invalid-query', message: `${field}: ${message}` });
  };
  const allowed = new Set<string>(indicator.breakdowns);
  const knownIds = new Set(knownProviders.map((p) => p.id));

  const lists = new Map<string, string[]>();
  const scalars = new Map<string, string>();
  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined || options.ignore?.includes(name)) continue;
    const values: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
    if (!values.every((v) => typeof v === 'string')) {
      report(name, 'must be a plain value or a comma-separated list');
      continue;
    }
    const strings = values;
    if (!RESERVED.includes(name) && !isDimension(name)) {
      report(
        name,
        `unknown parameter (use by, from, to, interval, unit, providers, geo, geoField, geoLevel or a dimension: ${indicator.breakdowns.join(', ')})`,
      );
      continue;
    }
    if ((SCALARS as readonly string[]).includes(name)) {
      if (strings.length > 1) report(name, 'give it once');
      else scalars.set(name, (strings[0] ?? '').trim());
      continue;
    }
    lists.set(
      name,
      strings
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
  }

  const by: Dimension[] = [];
  for (const dimension of lists.get('by') ?? []) {
    if (!allowed.has(dimension))
      report('by', `${dimension} is not a breakdown of ${indicator.id} (${indicator.breakdowns.join(', ')})`);
    else if (by.includes(dimension as Dimension)) report('by', `${dimension} is listed twice`);
    else by.push(dimension as Dimension);
  }
  if (by.length > MAX_BREAKDOWNS) report('by', `at most ${MAX_BREAKDOWNS} breakdowns, got ${by.length}`);

  const from = bound('from', scalars.get('from'), 'start', report);
  const to = bound('to', scalars.get('to'), 'end', report);
  if (from !== undefined && to !== undefined && from > to)
    report('to', `the period ends (${to}) before it starts (${from})`);

  const intervalText = scalars.get('interval');
  let interval: Interval | undefined;
  if (intervalText !== undefined) {
    if ((INTERVALS as readonly string[]).includes(intervalText)) interval = intervalText as Interval;
    else report('interval', `must be one of ${INTERVALS.join(', ')}`);
  }

  let unit: Unit = indicator.unit === 'cases' ? 'records' : 'persons';
  const unitText = scalars.get('unit');
  if (unitText === 'records') unit = 'records';
  else if (unitText === 'persons') {
    if (indicator.unit === 'cases')
      report('unit', `${indicator.id} counts cases, so its only unit is records`);
  } else if (unitText !== undefined) report('unit', 'must be persons or records');

  let geoLevel: NutsLevel | undefined;
  const geoLevelText = scalars.get('geoLevel');
  if (geoLevelText !== undefined) {
    if (/^[0-3]$/.test(geoLevelText)) geoLevel = Number(geoLevelText) as NutsLevel;
    else report('geoLevel', 'must be a NUTS level 0, 1, 2 or 3');
  }

  const filters: { [D in Dimension]?: readonly string[] } = {};
  for (const [name, codes] of lists) {
    if (name === 'by' || name === 'providers' || name === 'geo') continue;
    const dimension = name as Dimension;
    if (!allowed.has(dimension)) {
      report(name, `${name} does not apply to ${indicator.id} (${indicator.kind} records)`);
      continue;
    }
    if (codes.length === 0) {
      report(name, 'no code given');
      continue;
    }
    for (const code of codes) {
      const problem = codeProblem(dimension, code, knownIds);
      if (problem !== undefined) report(name, problem);
    }
    filters[dimension] = [...new Set(codes)];
  }

  const geo = lists.get('geo');
  if (geo !== undefined) {
    const geoField = (scalars.get('geoField') ?? 'regionOfIdentification') as Dimension;
    if (!GEO_FIELDS.includes(geoField) || !allowed.has(geoField))
      report('geoField', `must be ${GEO_FIELDS.filter((f) => allowed.has(f)).join(' or ')}`);
    else if (filters[geoField] !== undefined) report('geo', `give either geo or ${geoField}, not both`);
    else if (geo.length === 0) report('geo', 'no geography code given');
    else {
      for (const code of geo) {
        const problem = fieldValueProblem(geoField as 'regionOfIdentification', code);
        if (problem !== undefined) report('geo', problem);
      }
      filters[geoField] = [...new Set(geo)];
    }
  } else if (scalars.has('geoField') && !GEO_FIELDS.includes(scalars.get('geoField') as Dimension)) {
    report('geoField', `must be ${GEO_FIELDS.join(' or ')}`);
  }

  const providers = lists.get('providers');
  if (providers !== undefined) {
    if (filters.providerId !== undefined)
      report('providers', 'give either providers or providerId, not both');
    else if (providers.length === 0) report('providers', 'no provider given');
    else Object.assign(filters, expandProviders(providers, knownProviders, report));
  }

  for (const [dimension, codes] of Object.entries(indicator.defaultFilters) as [
    Dimension,
    readonly string[],
  ][])
    if (filters[dimension] === undefined) filters[dimension] = codes;

  if (issues.length > 0) {
    const count = issues.length === 1 ? 'one problem' : `${issues.length} problems`;
    throw new MosyError('invalid-query', `The query for ${indicator.id} is not valid (${count}).`, {
      issues,
    });
  }
  return {
    kind: indicator.kind,
    unit,
    by,
    filters,
    ...(interval === undefined ? {} : { interval }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(geoLevel === undefined ? {} : { geoLevel }),
  };
}

type Report = (field: string, message: string) => void;

const isDimension = (name: string): boolean =>
  isCanonicalField(name) || (DERIVED_DIMENSIONS as readonly string[]).includes(name);

function bound(
  name: string,
  text: string | undefined,
  side: 'start' | 'end',
  report: Report,
): string | undefined {
  if (text === undefined) return undefined;
  const period = periodBounds(text);
  if (period === undefined) {
    report(
      name,
      `${text.slice(0, 20)} is not a date (YYYY-MM-DD) or period (YYYY-MM, YYYY-Qn, YYYY) between 1900 and 2100`,
    );
    return undefined;
  }
  return period[side];
}

function codeProblem(dimension: Dimension, code: string, knownIds: ReadonlySet<string>): string | undefined {
  if (dimension === 'providerId')
    return knownIds.has(code) ? undefined : `"${code}" is not a registered provider`;
  if (dimension === 'providerType')
    return isCode(PROVIDER_TYPES, code)
      ? undefined
      : `"${code}" is not a provider type (${Object.keys(PROVIDER_TYPES).join(', ')})`;
  if (dimension === 'ageClass')
    return isCode(AGE_CLASSES, code)
      ? undefined
      : `"${code}" is not an age class (${Object.keys(AGE_CLASSES).join(', ')})`;
  return fieldValueProblem(dimension, code);
}

/**
 * `providers=psp,type:NGO` → a providerId filter of `psp` and every NGO. When only types are given and no provider
 * of those types is registered, the filter stays on the types, so the answer is a true zero rather than no filter.
 */
function expandProviders(
  tokens: readonly string[],
  knownProviders: readonly { readonly id: string; readonly type: string }[],
  report: Report,
): { providerId?: readonly string[]; providerType?: readonly string[] } {
  const ids = new Set<string>();
  const types = new Set<string>();
  for (const token of tokens) {
    if (token.startsWith('type:')) {
      const type = token.slice(5);
      if (!isCode(PROVIDER_TYPES, type)) {
        report('providers', `"${type}" is not a provider type (${Object.keys(PROVIDER_TYPES).join(', ')})`);
        continue;
      }
      types.add(type);
      for (const provider of knownProviders) if (provider.type === type) ids.add(provider.id);
    } else if (knownProviders.some((provider) => provider.id === token)) ids.add(token);
    else report('providers', `"${token}" is not a registered provider`);
  }
  if (ids.size > 0) return { providerId: [...ids].sort() };
  return types.size > 0 ? { providerType: [...types].sort() } : {};
}
