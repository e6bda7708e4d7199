/**
 * `GET /v1/spatial/hotspots/:id`: where an indicator clusters. The indicator is counted by region exactly as the
 * geo report counts it (`reportTable`: for analysts the same protected, published values; for coordinators with
 * `protection=none` the true ones, audited), turned into rates per 100 000 when a population table is configured,
 * and analysed by local Gi* and local Moran's I over contiguity weights from the NUTS (or world) borders, with
 * seeded permutations and Benjamini–Hochberg control.
 *
 * Disclosure: a withheld region (flag `c`) takes no part — it is neither a value nor a neighbour — so every
 * statistic is a function of values the analyst already has in the geo report, and none can be inverted to a
 * withheld count. Regions of the study area without any record count 0, as the tables publish them.
 */
import type { Request } from 'express';
import {
  analyseHotspots,
  contiguityWeights,
  populationOf,
  ratePer100k,
  type RegionHotspot,
  type TopoGeometry,
} from '@mosy/core';
import { invalidParam, listParam, parseReport, scalarParam } from '../reports/context.js';
import { reportTable, type PublishedEntry } from '../reports/table.js';
import { countriesParam, countryOf, intParam, populationYear, type SpatialContext } from './deps.js';
import type { MapKind } from './geo.js';

/** Citizenship codes (ISO) whose country has another id in GISCO's world map. */
const WORLD_IDS: Readonly<Record<string, string>> = { GR: 'EL', GB: 'UK' };

type Field = 'regionOfIdentification' | 'regionOfExploitation' | 'citizenship';

export interface HotspotRegion {
  id: string;
  name?: string;
  status: 'analysed' | 'withheld' | 'no-population';
  value: number | null;
  flag?: 'c';
  population?: number;
  rate?: number;
  gi?: { z: number; p: number; q: number; class: 'hot' | 'cold' | 'not-significant' };
  moran?: {
    i: number;
    z: number;
    p: number;
    q: number;
    quadrant: 'HH' | 'LL' | 'HL' | 'LH';
    class: 'HH' | 'LL' | 'HL' | 'LH' | 'not-significant';
  };
}

/** The map's region ids of a study area, with the data code each stands for. */
function mapRegions(
  ctx: SpatialContext,
  kind: MapKind,
  countries: readonly string[],
): { object: string; ids: Map<string, string>; topology: ReturnType<SpatialContext['geo']['topology']> } {
  const loaded = ctx.geo.topology(kind);
  const geometries: readonly TopoGeometry[] = loaded.topology.objects[loaded.object]?.geometries ?? [];
  const ids = new Map<string, string>();
  const wanted = new Set(countries.map((c) => (kind === 'world' ? (WORLD_IDS[c] ?? c) : c)));
  for (const g of geometries) {
    const id = g.properties?.id;
    if (typeof id !== 'string' || !wanted.has(kind === 'world' ? id : countryOf(id))) continue;
    const code = kind === 'world' ? (Object.entries(WORLD_IDS).find(([, w]) => w === id)?.[0] ?? id) : id;
    ids.set(code, id);
  }
  return { object: loaded.object, ids, topology: loaded };
}

const fdrParam = (req: Request): number => {
  const text = scalarParam(req, 'fdr');
  if (text === undefined) return 0.05;
  const value = Number(text);
  if (!(value >= 0.001 && value <= 0.2)) throw invalidParam('fdr', 'must be a number from 0.001 to 0.2');
  return value;
};

/**
 * The fewest of 999, 9 999 and 99 999 permutations whose smallest pseudo p-value, 2 / (P + 1), lies below half of
 * BH's first threshold q / n, so that a map of n regions can show a discovery at all (with 999 permutations,
 * 27 regions at q = 5 % never could).
 */
export function defaultPermutations(regions: number, fdr: number): number {
  const needed = (4 * Math.max(regions, 1)) / fdr;
  return [999, 9999, 99_999].find((p) => p + 1 >= needed) ?? 99_999;
}

export async function hotspots(ctx: SpatialContext, req: Request) {
  const field = (scalarParam(req, 'field') ?? 'regionOfIdentification') as Field;
  const level = scalarParam(req, 'level') ?? (field === 'citizenship' ? 'country' : '2');
  if (field === 'citizenship' && level !== 'country')
    throw invalidParam('level', 'citizenship is analysed by country only (level=country)');
  const seed = intParam(req, 'seed', 0, 2 ** 31 - 1, 1);
  const fdr = fdrParam(req);
  // Checked here too, so a malformed request is refused before anything is counted or audited.
  intParam(req, 'permutations', 99, 99_999, 999);
  const measureParam = scalarParam(req, 'measure');
  if (measureParam === 'rate' && ctx.population === undefined)
    throw invalidParam(
      'measure',
      'rates need a population table (MOSY_POPULATION_CSV); ask for measure=count',
    );
  const measure = measureParam ?? (ctx.population === undefined ? 'count' : 'rate');
  const requested = countriesParam(listParam(req, 'countries'));
  const kind: MapKind =
    field === 'citizenship' ? 'world' : level === 'country' ? 'nuts0' : level === '3' ? 'nuts3' : 'nuts2';
  // Fail on a missing geo folder before anything is counted or audited.
  ctx.geo.topology(kind);

  const geoLevel = level === 'country' ? '0' : level;
  const { indicator, query, protection } = await parseReport(ctx.report, req, {
    own: ['field', 'level', 'measure', 'seed', 'permutations', 'fdr', 'countries'],
    overrides: {
      by: field,
      ...(field === 'citizenship' ? {} : { geoLevel, geoField: field }),
    },
  });
  const table = await reportTable(ctx.report.store, query, protection, ctx.report.disclosure);
  const published = new Map<string, PublishedEntry>(table.cells.map((c) => [c.key[field] ?? '', c]));

  // By default the countries with a published count — and, for rates, with a population in the table.
  const withPopulation = new Set(
    measure === 'rate' && ctx.population !== undefined
      ? [...ctx.population.byRegion.keys()].map((code) => (field === 'citizenship' ? code : countryOf(code)))
      : [],
  );
  const countries =
    requested.length > 0
      ? requested
      : [
          ...new Set(
            table.cells
              .filter((c) => (c.value ?? 0) > 0)
              .map((c) => (field === 'citizenship' ? (c.key[field] ?? '') : countryOf(c.key[field] ?? ''))),
          ),
        ]
          .filter((code) => measure !== 'rate' || withPopulation.has(code))
          .sort();
  const map = mapRegions(ctx, kind, countries);
  const year =
    measure === 'rate' && ctx.population !== undefined ? populationYear(query, ctx.population) : undefined;

  const regions: HotspotRegion[] = [];
  const values: Record<string, number> = {};
  for (const code of [...map.ids.keys()].sort()) {
    const entry = published.get(code);
    const value = entry === undefined ? 0 : entry.value;
    const name = ctx.regionNames.get(code);
    const base: HotspotRegion = {
      id: code,
      ...(name === undefined ? {} : { name }),
      status: 'analysed',
      value,
      ...(entry?.flag === undefined ? {} : { flag: entry.flag }),
    };
    if (value === null) {
      regions.push({ ...base, status: 'withheld' });
      continue;
    }
    if (year !== undefined && ctx.population !== undefined) {
      const population = populationOf(ctx.population, code, year);
      if (population === undefined) {
        regions.push({ ...base, status: 'no-population' });
        continue;
      }
      const rate = ratePer100k(value, population.population);
      regions.push({ ...base, population: population.population, rate });
      values[code] = rate;
    } else {
      regions.push(base);
      values[code] = value;
    }
  }

  const analysedCodes = Object.keys(values);
  const notes: string[] = [];
  if (measure === 'count')
    notes.push(
      ctx.population === undefined
        ? 'Counts, not rates: no population table is configured (MOSY_POPULATION_CSV), so large regions stand out by size alone.'
        : 'Counts, not rates, as asked: large regions stand out by size alone.',
    );
  if (regions.some((r) => r.status === 'withheld'))
    notes.push(
      'Withheld regions (flag c) take no part in the analysis, neither as values nor as neighbours.',
    );
  if (regions.some((r) => r.status === 'no-population'))
    notes.push('Regions without a population in the table take no part in the analysis.');
  const permutations = intParam(
    req,
    'permutations',
    99,
    99_999,
    defaultPermutations(analysedCodes.length, fdr),
  );
  let analysis: 'computed' | 'too-few-regions' | 'constant' = 'computed';
  const distinct = new Set(Object.values(values)).size;
  if (analysedCodes.length < 4) analysis = 'too-few-regions';
  else if (distinct < 2) analysis = 'constant';
  if (analysis === 'computed') {
    const weights = contiguityWeights(map.topology.topology, {
      object: map.object,
      ids: analysedCodes.map((code) => map.ids.get(code) ?? code),
    });
    const byMapId = Object.fromEntries(
      analysedCodes.map((code) => [map.ids.get(code) ?? code, values[code] ?? 0]),
    );
    const results = new Map<string, RegionHotspot>(
      analyseHotspots(byMapId, weights, { seed, permutations, q: fdr }).map((r) => [r.id, r]),
    );
    for (const region of regions) {
      const r = results.get(map.ids.get(region.id) ?? region.id);
      if (r === undefined || region.status !== 'analysed') continue;
      region.gi = {
        z: r.gi.z,
        p: r.gi.p,
        q: r.gi.q,
        class: r.gi.kind === 'none' ? 'not-significant' : r.gi.kind,
      };
      region.moran = {
        i: r.moran.i,
        z: r.moran.z,
        p: r.moran.p,
        q: r.moran.q,
        quadrant: r.moran.quadrant,
        class: r.moran.kind === 'none' ? 'not-significant' : r.moran.kind,
      };
    }
    if (weights.islands.length > 0)
      notes.push(
        `Joined to their nearest region, having no bordering one here: ${weights.islands.join(', ')}.`,
      );
  } else
    notes.push(
      analysis === 'too-few-regions'
        ? 'Too few regions with values to test (at least 4 are needed): widen the study area or the period.'
        : 'Every region has the same value: there is no pattern to test.',
    );

  return {
    indicator: indicator.id,
    field,
    level,
    measure: measure as 'rate' | 'count',
    population:
      year === undefined || ctx.population === undefined ? null : { source: ctx.population.source, year },
    analysis,
    fdr,
    permutations,
    seed,
    countries,
    disclosure: table.disclosure,
    notes,
    regions,
    unplaced: table.cells
      .filter((c) => !map.ids.has(c.key[field] ?? ''))
      .map((c) => ({ code: c.key[field] ?? '', value: c.value })),
  };
}
