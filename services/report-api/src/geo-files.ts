/**
 * The map's boundary files, read at run time: the NUTS 2024 files of the geo data folder (`nuts/2024/` under it),
 * which their licence forbids copying into the repository, or, when the folder is not there, the countries of the
 * `world-atlas` package (Natural Earth, public domain) as a country-level fallback. World-atlas keys countries by
 * ISO 3166-1 numeric code; they are re-keyed here to the codes reports use (alpha-2, with NUTS's `EL` for Greece and
 * `XK` for Kosovo), so the page joins both sources on the same field (`id`, name in `na`, as in the NUTS files).
 *
 * Files are served as they are (after that re-keying), with a strong ETag from their content: a request with
 * `v=<etag>` is cacheable for a year (`immutable`), since the manifest's URL changes with the content; any other
 * request is revalidated. Gzip is computed once per file on first use.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import express, { type RequestHandler, type Router } from 'express';
import type { z } from 'zod';
import isoCountries from 'i18n-iso-countries';
import { MosyError, isoToNutsCountry } from '@mosy/core';
import { mountRoute, jsonHandler, rawHandler } from '@mosy/http';
import { GEO_FILE, GEO_MANIFEST, type GeoFileName, type GeoManifestSchema } from './api/geo.js';

export type GeoManifest = z.input<typeof GeoManifestSchema>;

interface GeoFile {
  readonly name: GeoFileName;
  readonly type: 'application/json' | 'text/csv';
  readonly body: Buffer;
  readonly etag: string;
  gzip?: Buffer;
}

/** The boundary files of one deployment and the manifest describing them. */
export interface GeoFiles {
  readonly manifest: GeoManifest;
  readonly files: ReadonlyMap<string, GeoFile>;
}

export const NUTS_GEO_FOLDER = join('nuts', '2024');
const LEVELS = [0, 1, 2, 3] as const;
const NUTS_FILES: readonly GeoFileName[] = [
  ...LEVELS.map((l) => `nutsrg_${l}.topojson` as const),
  ...LEVELS.map((l) => `nutspt_${l}.geojson` as const),
  'nuts_regions_2024.csv',
  'nuts_regions_2024.json',
  'cntrg_world.topojson',
];
const WORLD_ATLAS_FILE: GeoFileName = 'world-atlas-countries-50m.topojson';

const geoFile = (name: GeoFileName, body: Buffer): GeoFile => ({
  name,
  type: name.endsWith('.csv') ? 'text/csv' : 'application/json',
  body,
  etag: createHash('sha256').update(body).digest('base64url').slice(0, 27),
});

const entry = (f: GeoFile) => ({ name: f.name, etag: f.etag, bytes: f.body.length });

interface WorldAtlasTopology {
  readonly objects: { readonly countries: { readonly geometries: readonly object[] } };
}

interface WorldAtlasGeometry {
  readonly id?: string;
  readonly properties?: { readonly name?: string };
}

/** World-atlas's countries, keyed as reports key countries (`PT`, `EL`, `XK`); countries without a code keep none. */
export function rekeyWorldAtlas(topology: WorldAtlasTopology): WorldAtlasTopology {
  const geometries = topology.objects.countries.geometries.map((each) => {
    const { id, properties, ...geometry } = each as WorldAtlasGeometry;
    const name = properties?.name ?? '';
    const iso = id === undefined ? (name === 'Kosovo' ? 'XK' : undefined) : isoCountries.numericToAlpha2(id);
    const code = iso === undefined ? undefined : isoToNutsCountry(iso);
    return {
      ...geometry,
      ...(code === undefined ? {} : { id: code }),
      properties: { id: code ?? '', na: name },
    };
  });
  return {
    ...topology,
    objects: { ...topology.objects, countries: { ...topology.objects.countries, geometries } },
  };
}

function worldAtlasFiles(): GeoFiles {
  const path = createRequire(import.meta.url).resolve('world-atlas/countries-50m.json');
  const topology = rekeyWorldAtlas(JSON.parse(readFileSync(path, 'utf8')) as WorldAtlasTopology);
  const file = geoFile(WORLD_ATLAS_FILE, Buffer.from(JSON.stringify(topology)));
  return {
    manifest: {
      source: 'world-atlas',
      levels: [{ level: 0, regions: { file: WORLD_ATLAS_FILE, object: 'countries' } }],
      files: [entry(file)],
    },
    files: new Map([[file.name, file]]),
  };
}

/**
 * Reads the boundary files from `<geoDir>/nuts/2024`, or falls back to world-atlas's countries when `geoDir` is
 * undefined or does not hold every NUTS file (a partial set would draw a map with holes).
 */
export function loadGeoFiles(geoDir: string | undefined): GeoFiles {
  const folder = geoDir === undefined ? undefined : join(geoDir, NUTS_GEO_FOLDER);
  if (folder === undefined || !NUTS_FILES.every((name) => existsSync(join(folder, name))))
    return worldAtlasFiles();
  const files = NUTS_FILES.map((name) => geoFile(name, readFileSync(join(folder, name))));
  return {
    manifest: {
      source: 'nuts-2024',
      levels: LEVELS.map((level) => ({
        level,
        regions: { file: `nutsrg_${level}.topojson` as const, object: 'nutsrg' },
        points: `nutspt_${level}.geojson` as const,
      })),
      background: { file: 'cntrg_world.topojson', object: 'cntrg' },
      files: files.map(entry),
    },
    files: new Map(files.map((f) => [f.name, f])),
  };
}

const ONE_YEAR = 365 * 24 * 3600;

/** Routes: `GET /v1/geo` (the manifest) and `GET /v1/geo/:file`, for the roles `guard` lets through. */
export function createGeoRoutes(geo: GeoFiles, guard: RequestHandler): Router {
  const router = express.Router();
  mountRoute(
    router,
    GEO_MANIFEST,
    guard,
    jsonHandler(GEO_MANIFEST)(() => Promise.resolve(geo.manifest)),
  );
  mountRoute(
    router,
    GEO_FILE,
    guard,
    rawHandler(GEO_FILE)(({ params, query, req, res }) => {
      const file = geo.files.get(params.file);
      if (file === undefined)
        throw new MosyError(
          'not-found',
          `This deployment's map has no file ${params.file}; see GET /v1/geo.`,
        );
      const etag = `"${file.etag}"`;
      // Private: the route needs a key, so no shared cache may keep it. Immutable only under the versioned URL.
      res.setHeader(
        'Cache-Control',
        query.v === file.etag ? `private, max-age=${ONE_YEAR}, immutable` : 'private, no-cache',
      );
      res.setHeader('ETag', etag);
      res.setHeader('Vary', 'Accept-Encoding');
      const known = (req.headers['if-none-match'] ?? '')
        .split(',')
        .map((tag) => tag.trim().replace(/^W\//, ''));
      if (known.includes(etag)) {
        res.status(304).end();
        return Promise.resolve();
      }
      res.type(file.type === 'text/csv' ? 'text/csv; charset=utf-8' : 'application/json');
      if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        file.gzip ??= gzipSync(file.body);
        res.setHeader('Content-Encoding', 'gzip');
        res.end(file.gzip);
      } else res.end(file.body);
      return Promise.resolve();
    }),
  );
  return router;
}
