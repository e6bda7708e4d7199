/**
 * `GET /v1/spatial/context/:id`: what kind of place the indicator's rates are high in. From the same published
 * table as the geo report (protected values for analysts; withheld regions left out), per NUTS 3 region:
 * - rate ratios between GISCO typologies — predominantly urban and intermediate against predominantly rural
 *   (`urbn_type` 1, 2 against 3), coastal against not (`coast_type` 1), mountain against not (`mount_type` 1) —
 *   each group's summed count over its summed population, with a 95 % interval (`rateRatio`);
 * - Spearman's rank correlation of the regional rates with each regional indicator the deployment provides, with
 *   the caution that a correlation between places is not a cause for persons;
 * - the victim-level vulnerability fields (means of control, recruiter relationship, labour sector) by region, as
 *   published tables of region × code.
 */
import type { Request } from 'express';
import { populationOf, rateRatio, ratePer100k, spearman, groupRate, type RateGroup } from '@mosy/core';
import { CORRELATION_CAUTION } from '../api/spatial.js';
import { listParam, parseReport, scalarParam } from '../reports/context.js';
import { reportTable } from '../reports/table.js';
import { countriesParam, countryOf, populationYear, type SpatialContext } from './deps.js';
import type { Typology } from './geo.js';

const VULNERABILITY_FIELDS = ['meansOfControl', 'recruiterRelationship', 'labourSector'] as const;

/** The comparisons: for a typology, which codes form the group and which the reference. */
const COMPARISONS: readonly {
  typology: keyof Typology;
  group: string;
  reference: string;
  inGroup: (code: string | undefined) => boolean;
  inReference: (code: string | undefined) => boolean;
}[] = [
  {
    typology: 'urbn_type',
    group: 'predominantly urban',
    reference: 'predominantly rural',
    inGroup: (c) => c === '1',
    inReference: (c) => c === '3',
  },
  {
    typology: 'urbn_type',
    group: 'intermediate',
    reference: 'predominantly rural',
    inGroup: (c) => c === '2',
    inReference: (c) => c === '3',
  },
  {
    typology: 'coast_type',
    group: 'coastal',
    reference: 'not coastal',
    inGroup: (c) => c === '1',
    inReference: (c) => c !== '1',
  },
  {
    typology: 'mount_type',
    group: 'mountain',
    reference: 'not mountain',
    inGroup: (c) => c === '1',
    inReference: (c) => c !== '1',
  },
];

export async function spatialContext(ctx: SpatialContext, req: Request) {
  const field = (scalarParam(req, 'field') ?? 'regionOfIdentification') as
    'regionOfIdentification' | 'regionOfExploitation';
  const level = scalarParam(req, 'level') ?? '3';
  const requested = countriesParam(listParam(req, 'countries'));
  const typologies = ctx.geo.typologies();
  const { indicator, query, protection } = await parseReport(ctx.report, req, {
    own: ['field', 'level', 'countries'],
    overrides: { by: field, geoLevel: level, geoField: field },
  });
  const table = await reportTable(ctx.report.store, query, protection, ctx.report.disclosure);
  const notes: string[] = [];
  const regionCode = (key: Readonly<Record<string, string>>) => key[field] ?? '';
  const atLevel = (code: string) => code.length === 2 + Number(level) && /^[A-Z]{2}/.test(code);
  const countries =
    requested.length > 0
      ? requested
      : [
          ...new Set(table.cells.filter((c) => (c.value ?? 0) > 0).map((c) => countryOf(regionCode(c.key)))),
        ].sort();
  const inArea = (code: string) => atLevel(code) && countries.includes(countryOf(code));
  const published = new Map(table.cells.map((c) => [regionCode(c.key), c.value]));
  // The study area's regions of this level: every region named in the typologies or the population table.
  const area = new Set<string>([...typologies.keys()].filter(inArea));
  if (ctx.population !== undefined)
    for (const code of ctx.population.byRegion.keys()) if (inArea(code)) area.add(code);
  for (const code of published.keys()) if (inArea(code)) area.add(code);
  const withheld = [...area].filter((code) => published.get(code) === null);
  if (withheld.length > 0)
    notes.push(`Withheld regions (flag c) take no part: ${withheld.sort().join(', ')}.`);

  const year = ctx.population === undefined ? undefined : populationYear(query, ctx.population);
  const regions = [...area]
    .filter((code) => published.get(code) !== null)
    .sort()
    .flatMap((code) => {
      const count = published.get(code) ?? 0;
      const population =
        ctx.population === undefined || year === undefined
          ? undefined
          : populationOf(ctx.population, code, year);
      return population === undefined ? [] : [{ code, count, population: population.population }];
    });

  const rateRatios =
    ctx.population === undefined
      ? []
      : level !== '3'
        ? []
        : COMPARISONS.flatMap((c) => {
            const sum = (pick: (code: string | undefined) => boolean) =>
              regions
                .filter((r) => pick(typologies.get(r.code)?.[c.typology]))
                .reduce<RateGroup & { regions: number }>(
                  (acc, r) => ({
                    count: acc.count + r.count,
                    population: acc.population + r.population,
                    regions: acc.regions + 1,
                  }),
                  { count: 0, population: 0, regions: 0 },
                );
            const group = sum(c.inGroup);
            const reference = sum(c.inReference);
            if (group.regions === 0 || reference.regions === 0) return [];
            const rr = rateRatio(group, reference);
            return [
              {
                typology: c.typology,
                group: c.group,
                reference: c.reference,
                regions: { group: group.regions, reference: reference.regions },
                count: { group: group.count, reference: reference.count },
                population: { group: group.population, reference: reference.population },
                rate: { group: groupRate(group) ?? null, reference: groupRate(reference) ?? null },
                ratio: rr?.ratio ?? null,
                lower: rr?.lower ?? null,
                upper: rr?.upper ?? null,
              },
            ];
          });
  if (ctx.population === undefined)
    notes.push(
      'No population table is configured (MOSY_POPULATION_CSV): rate ratios and correlations need rates.',
    );
  else if (level !== '3')
    notes.push('Typologies are defined for NUTS 3 regions: ask for level=3 for rate ratios.');

  const correlations =
    ctx.population === undefined || ctx.indicators === undefined || year === undefined
      ? []
      : [...ctx.indicators.byIndicator].map(([name, byRegion]) => {
          const pairs = regions.flatMap((r) => {
            const years = byRegion.get(r.code);
            if (years === undefined) return [];
            const nearest = [...years.keys()].sort(
              (a, b) => Math.abs(a - year) - Math.abs(b - year) || a - b,
            )[0];
            const value = nearest === undefined ? undefined : years.get(nearest);
            return value === undefined ? [] : [{ rate: ratePer100k(r.count, r.population), value }];
          });
          const rho =
            pairs.length < 3
              ? undefined
              : spearman(
                  pairs.map((p) => p.rate),
                  pairs.map((p) => p.value),
                );
          return {
            indicator: name,
            year,
            n: pairs.length,
            rho: rho?.rho ?? null,
            lower: rho?.lower ?? null,
            upper: rho?.upper ?? null,
          };
        });

  const vulnerability = [];
  for (const vfield of VULNERABILITY_FIELDS) {
    if (!(indicator.breakdowns as readonly string[]).includes(vfield)) continue;
    const vtable = await reportTable(
      ctx.report.store,
      { ...query, by: [field, vfield] },
      protection,
      ctx.report.disclosure,
    );
    vulnerability.push({
      field: vfield,
      cells: vtable.cells
        .filter((c) => inArea(regionCode(c.key)))
        .map((c) => ({
          region: regionCode(c.key),
          code: c.key[vfield] ?? '',
          value: c.value,
          ...(c.flag === undefined ? {} : { flag: c.flag }),
        })),
      disclosure: vtable.disclosure,
    });
  }

  return {
    indicator: indicator.id,
    field,
    level,
    population:
      year === undefined || ctx.population === undefined ? null : { source: ctx.population.source, year },
    countries,
    disclosure: table.disclosure,
    rateRatios,
    correlations,
    caution: CORRELATION_CAUTION,
    vulnerability,
    notes,
  };
}
