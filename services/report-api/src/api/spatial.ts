/**
 * Route definitions of the spatial analysis (`spatial/`): hot spots by Gi* and local Moran's I, the context of
 * regions (typologies, regional indicators, vulnerability fields) and the corridors origin → region of
 * exploitation. Every number an analyst gets is computed from the same published (protected) values as the geo
 * report, so these answers reveal nothing the tables do not.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import { INDICATOR_ID, INDICATOR_QUERY, PROTECTION, list, oneOf, scalar } from './query.js';
import { DisclosureSchema } from './shapes.js';

const { by: _by, interval: _interval, geoLevel: _geoLevel, geoField, ...FILTERS } = INDICATOR_QUERY;
const count = z.number().int().min(0);
const flag = z.literal('c');

const CAUTION =
  'A correlation between places is not a cause for persons: a region with more unemployment and more identified ' +
  'victims does not show that unemployed persons are more often trafficked (the ecological fallacy).';

const PopulationSchema = z
  .strictObject({ source: z.string(), year: z.number().int() })
  .nullable()
  .meta({ description: 'The population table used for rates, and its year; null: counts only.' });

const SPATIAL_QUERY = {
  ...FILTERS,
  geoField,
  protection: PROTECTION,
  countries: list(
    'The study area: NUTS country codes (or ISO codes for `field=citizenship`); by default the countries with a published count.',
  ).optional(),
};

export const SPATIAL_HOTSPOTS = defineRoute({
  method: 'get',
  path: '/v1/spatial/hotspots/{id}',
  operationId: 'spatialHotspots',
  summary:
    'Hot and cold spots (local Getis–Ord Gi*) and clusters and outliers (local Moran’s I) of an indicator by region, with permutation pseudo p-values and false-discovery-rate control.',
  tags: ['spatial'],
  params: INDICATOR_ID,
  query: z.strictObject({
    ...SPATIAL_QUERY,
    field: oneOf(
      ['regionOfIdentification', 'regionOfExploitation', 'citizenship'],
      'Where: region of identification (default) or of exploitation, or citizenship (origins, countries only).',
    ).optional(),
    level: oneOf(['2', '3', 'country'], 'NUTS level of the regions (default 2).').optional(),
    measure: oneOf(
      ['rate', 'count'],
      '`rate` per 100 000 inhabitants (the default when a population table is configured) or `count`.',
    ).optional(),
    seed: scalar(
      'Seeds the permutations (whole number, default 1): the same seed draws the same map.',
    ).optional(),
    permutations: scalar(
      'Conditional permutations per region, 99–99999; by default the fewest of 999, 9999, 99999 that let BH flag a region (2 / (P + 1) ≤ fdr / (2 × regions)).',
    ).optional(),
    fdr: scalar('False-discovery rate, 0.001–0.2 (default 0.05).').optional(),
  }),
  responses: {
    200: {
      description: 'Per region: the published count, the rate, and the two statistics with their classes.',
      content: {
        'application/json': z
          .strictObject({
            indicator: z.string(),
            field: z.string(),
            level: z.string(),
            measure: z.enum(['rate', 'count']),
            population: PopulationSchema,
            analysis: z.enum(['computed', 'too-few-regions', 'constant']),
            fdr: z.number(),
            permutations: count,
            seed: count,
            countries: z.array(z.string()),
            disclosure: DisclosureSchema,
            notes: z.array(z.string()),
            regions: z.array(
              z.strictObject({
                id: z.string(),
                name: z.string().optional(),
                status: z.enum(['analysed', 'withheld', 'no-population']),
                value: count.nullable(),
                flag: flag.optional(),
                population: count.optional(),
                rate: z.number().optional(),
                gi: z
                  .strictObject({
                    z: z.number(),
                    p: z.number(),
                    q: z.number(),
                    class: z.enum(['hot', 'cold', 'not-significant']),
                  })
                  .optional(),
                moran: z
                  .strictObject({
                    i: z.number(),
                    z: z.number(),
                    p: z.number(),
                    q: z.number(),
                    quadrant: z.enum(['HH', 'LL', 'HL', 'LH']),
                    class: z.enum(['HH', 'LL', 'HL', 'LH', 'not-significant']),
                  })
                  .optional(),
              }),
            ),
            unplaced: z.array(z.strictObject({ code: z.string(), value: count.nullable() })).meta({
              description:
                'Published codes outside the regions of the study area at this level (other countries, coarser codes, UNK).',
            }),
          })
          .meta({ id: 'SpatialHotspots' }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});

const RatioSchema = z.strictObject({
  typology: z.enum(['urbn_type', 'coast_type', 'mount_type']),
  group: z.string(),
  reference: z.string(),
  regions: z.strictObject({ group: count, reference: count }),
  count: z.strictObject({ group: count, reference: count }),
  population: z.strictObject({ group: count, reference: count }),
  rate: z.strictObject({ group: z.number().nullable(), reference: z.number().nullable() }),
  ratio: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});

const VulnerabilitySchema = z.strictObject({
  field: z.string(),
  cells: z.array(
    z.strictObject({ region: z.string(), code: z.string(), value: count.nullable(), flag: flag.optional() }),
  ),
  disclosure: DisclosureSchema,
});

export const SPATIAL_CONTEXT = defineRoute({
  method: 'get',
  path: '/v1/spatial/context/{id}',
  operationId: 'spatialContext',
  summary:
    'The context of regional rates: rate ratios between kinds of region (urban/rural, coastal, mountain) with 95 % intervals, rank correlations with regional indicators, and the vulnerability fields by region.',
  tags: ['spatial'],
  params: INDICATOR_ID,
  query: z.strictObject({
    ...SPATIAL_QUERY,
    field: oneOf(
      ['regionOfIdentification', 'regionOfExploitation'],
      'Region of identification (default) or of exploitation.',
    ).optional(),
    level: oneOf(
      ['2', '3'],
      'NUTS level for the correlations and vulnerability fields (default 3; typologies are NUTS 3).',
    ).optional(),
  }),
  responses: {
    200: {
      description: 'Rate ratios, correlations with the caution, and vulnerability fields.',
      content: {
        'application/json': z
          .strictObject({
            indicator: z.string(),
            field: z.string(),
            level: z.string(),
            population: PopulationSchema,
            countries: z.array(z.string()),
            disclosure: DisclosureSchema,
            rateRatios: z.array(RatioSchema),
            correlations: z.array(
              z.strictObject({
                indicator: z.string(),
                year: z.number().int(),
                n: count,
                rho: z.number().nullable(),
                lower: z.number().nullable(),
                upper: z.number().nullable(),
              }),
            ),
            caution: z.literal(CAUTION),
            vulnerability: z.array(VulnerabilitySchema),
            notes: z.array(z.string()),
          })
          .meta({ id: 'SpatialContext' }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});

export { CAUTION as CORRELATION_CAUTION };

export const SPATIAL_CORRIDORS = defineRoute({
  method: 'get',
  path: '/v1/spatial/corridors/{id}',
  operationId: 'spatialCorridors',
  summary:
    'Corridors origin (citizenship or country of recruitment) → region of exploitation, ranked, with their counts per period and a direction.',
  tags: ['spatial'],
  params: INDICATOR_ID,
  query: z.strictObject({
    ...FILTERS,
    protection: PROTECTION,
    origin: oneOf(['citizenship', 'countryOfRecruitment'], 'The origin (default citizenship).').optional(),
    level: oneOf(
      ['0', '1', '2', '3', 'country'],
      'NUTS level of the region of exploitation (default country).',
    ).optional(),
    interval: oneOf(['quarter', 'year'], 'The periods of the trend (default year).').optional(),
    limit: scalar('How many corridors, 1–200 (default 20).').optional(),
  }),
  responses: {
    200: {
      description: 'Corridors, largest first; withheld ones last.',
      content: {
        'application/json': z
          .strictObject({
            indicator: z.string(),
            origin: z.string(),
            level: z.string(),
            periods: z.array(z.string()),
            disclosure: DisclosureSchema,
            corridors: z.array(
              z.strictObject({
                origin: z.string(),
                destination: z.string(),
                value: count.nullable(),
                flag: flag.optional(),
                series: z.array(
                  z.strictObject({ period: z.string(), value: count.nullable(), flag: flag.optional() }),
                ),
                direction: z.enum(['rising', 'falling', 'stable', 'too-short', 'withheld']),
              }),
            ),
            notes: z.array(z.string()),
          })
          .meta({ id: 'SpatialCorridors' }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});
