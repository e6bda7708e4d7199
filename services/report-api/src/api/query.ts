/**
 * The query strings of the report API as schemas: the HTTP shape of each parameter (given once or as a list, one
 * of a fixed set of values), so a malformed query is refused with `invalid-query` naming the parameter before any
 * work. What the values mean — codes of the taxonomy, breakdowns an indicator has, registered providers, periods —
 * is the domain's, checked by `parseIndicatorQuery` in core. The filters are generated from the taxonomy, so a new
 * canonical field is a parameter without touching this file.
 */
import { z } from 'zod';
import { CANONICAL_FIELDS, DERIVED_DIMENSIONS, INTERVALS, type Interval } from '@mosy/core';

/** The intervals of the query model, as a non-empty tuple for an enum. */
export const INTERVAL_CODES = INTERVALS as [Interval, ...Interval[]];

/** A parameter given once. */
export const scalar = (description: string) =>
  z.string({ error: 'give it once, as a plain value' }).meta({ description });

/** A parameter of fixed values, given once. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` }).meta({ description });

/** A comma-separated list, which may also be repeated. */
export const list = (description: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: 'must be a comma-separated list' })
    .meta({ description });

/** The filter and breakdown parameters of an indicator query (`parseIndicatorQuery`). */
export const INDICATOR_QUERY = {
  by: list(
    'Breakdown dimensions, comma-separated (at most 4), from the indicator’s `breakdowns`.',
  ).optional(),
  from: scalar(
    'First day or period: `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn` or `YYYY` (widened to its first day).',
  ).optional(),
  to: scalar('Last day or period, as `from` (widened to its last day).').optional(),
  interval: oneOf(INTERVAL_CODES, 'Adds a `period` to each cell.').optional(),
  unit: oneOf(
    ['persons', 'records'],
    '`persons` (distinct persons) or `records`; case indicators count records only.',
  ).optional(),
  providers: list('Provider ids and `type:<PROVIDER_TYPE>` tokens, comma-separated.').optional(),
  geo: list('NUTS or country codes; each matches itself and every region below it.').optional(),
  geoField: oneOf(
    ['regionOfIdentification', 'regionOfExploitation'],
    'The geography `geo` filters.',
  ).optional(),
  geoLevel: oneOf(['0', '1', '2', '3'], 'NUTS level of geography breakdowns.').optional(),
  ...Object.fromEntries(
    [...CANONICAL_FIELDS, ...DERIVED_DIMENSIONS].map((field) => [
      field,
      list(
        `Filter: codes of \`${field}\`, comma-separated (only for indicators that have this dimension).`,
      ).optional(),
    ]),
  ),
};

export const PROTECTION = oneOf(
  ['protected', 'none'],
  '`none` for unprotected values (coordinators only; every such read is audited).',
).optional();

const SDMX_FORMAT =
  '`sdmx-csv`: Eurostat’s SDMX-CSV 1.0 with Eurostat codes. Citizenship comes in the groups `NAT`, ' +
  '`EU27_2020_FOR`, `NEU27_2020_FOR`, `STLS`, `UNK` relative to the deployment’s reporting country (a person ' +
  'with citizenships in two groups counts in both), or in ISO codes when none is set. It needs an SDMX period: ' +
  'without `interval` a `from`..`to` of one year, quarter or month; with `interval=year` any frame; with a finer ' +
  'interval exactly one calendar year, written as the sub-annual rows (`2024-Q1`, `2024-03`, ISO week ' +
  '`2024-W11`, `2024-03-14`) and the annual row (freq `A`); the annual value minus the sub-annual ones counts ' +
  'what is dated only to a coarser precision (the `unspecified` bucket, left out). Otherwise 400 `invalid-query`.';

/** The `format` parameter of a route offering JSON and CSV. */
export const FORMAT = oneOf(['json', 'csv'], 'Output format.').default('json');
/** The `format` parameter of a table report, with SDMX-CSV. */
export const TABLE_FORMAT = oneOf(['json', 'csv', 'sdmx-csv'], `Output format. ${SDMX_FORMAT}`).default(
  'json',
);

/** The indicator named in the path. */
export const INDICATOR_ID = z.object({
  id: z.string().meta({ description: 'Indicator id, see `GET /v1/indicators`.' }),
});
