/**
 * Route definitions of the map's geometries: a manifest saying which boundary set this deployment has (the NUTS 2024
 * files of the geo data folder, or the country-level fallback from `world-atlas`) with each file's content hash,
 * and the files themselves. The single source of their validation, handler types and OpenAPI entries.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import { scalar } from './query.js';

/** Every file the geometry routes can serve; which of them a deployment has is in the manifest. */
export const GEO_FILE_NAMES = [
  'nutsrg_0.topojson',
  'nutsrg_1.topojson',
  'nutsrg_2.topojson',
  'nutsrg_3.topojson',
  'nutspt_0.geojson',
  'nutspt_1.geojson',
  'nutspt_2.geojson',
  'nutspt_3.geojson',
  'nuts_regions_2024.csv',
  'nuts_regions_2024.json',
  'cntrg_world.topojson',
  'world-atlas-countries-50m.topojson',
] as const;
export type GeoFileName = (typeof GEO_FILE_NAMES)[number];

const fileName = z.enum(GEO_FILE_NAMES, { error: 'not a geometry file this API serves' });

const topology = z.strictObject({
  file: fileName,
  object: z.string().meta({ description: 'The TopoJSON object holding the features.' }),
});

export const GeoManifestSchema = z
  .strictObject({
    source: z.enum(['nuts-2024', 'world-atlas']).meta({
      description:
        '`nuts-2024`: Eurostat GISCO NUTS 2024 (1:20M) from the geo data folder; `world-atlas`: countries only ' +
        '(Natural Earth 1:50M, from the `world-atlas` package), when no geo data folder is configured.',
    }),
    levels: z.array(
      z.strictObject({
        level: z.number().int().min(0).max(3),
        regions: topology,
        points: fileName
          .optional()
          .meta({ description: 'GeoJSON label points, one per region (`id`), when the source has them.' }),
      }),
    ),
    background: topology.optional().meta({ description: 'Every country of the world, drawn in grey.' }),
    files: z
      .array(z.strictObject({ name: fileName, etag: z.string(), bytes: z.number().int().min(0) }))
      .meta({
        description: 'Each file with its entity tag: ask for it with `v=<etag>` to cache it for good.',
      }),
  })
  .meta({ id: 'GeoManifest' });

export const GEO_MANIFEST = defineRoute({
  method: 'get',
  path: '/v1/geo',
  operationId: 'geoManifest',
  summary: 'Which boundary files the map can draw, with their entity tags.',
  tags: ['meta'],
  responses: { 200: { description: 'The manifest.', content: { 'application/json': GeoManifestSchema } } },
  problems: [401, 403],
});

export const GEO_FILE = defineRoute({
  method: 'get',
  path: '/v1/geo/{file}',
  operationId: 'geoFile',
  summary:
    'One boundary file (TopoJSON, GeoJSON, JSON or CSV), gzip-encoded when accepted, with an ETag; with `v` equal ' +
    'to that tag it is cacheable for a year, since its URL then changes with its content.',
  tags: ['meta'],
  params: z.object({ file: fileName.meta({ description: 'A file named in the manifest.' }) }),
  query: z.strictObject({ v: scalar('The entity tag from the manifest (without quotes).').optional() }),
  responses: {
    200: {
      description: 'The file as the geo data folder holds it.',
      content: { 'application/json': z.unknown(), 'text/csv': z.string() },
    },
    304: { description: 'Not modified (`If-None-Match`).' },
  },
  problems: [400, 401, 403, 404],
});
