import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, finishApp } from '@mosy/http';
import { GEO_FILE_NAMES } from './api/geo.js';
import {
  NUTS_GEO_FOLDER,
  createGeoRoutes,
  loadGeoFiles,
  rekeyWorldAtlas,
  type GeoFiles,
} from './geo-files.js';

/** A geo data folder with every NUTS file, each holding its own name, so what is served can be told apart. */
function nutsFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'mosy-geo-'));
  mkdirSync(join(root, NUTS_GEO_FOLDER), { recursive: true });
  for (const name of GEO_FILE_NAMES.filter((n) => !n.startsWith('world-atlas')))
    writeFileSync(
      join(root, NUTS_GEO_FOLDER, name),
      name.endsWith('.csv') ? `id\n${name}\n` : `{"file":"${name}"}`,
    );
  return root;
}

async function serve(geo: GeoFiles): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(createGeoRoutes(geo, (_req, _res, next) => next()));
  finishApp(app, createLogger({ name: 'geo-test', level: 'silent' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the map geometry routes', () => {
  let nuts: { url: string; server: Server };
  let world: { url: string; server: Server };
  const folder = nutsFolder();
  const nutsFiles = loadGeoFiles(folder);

  beforeAll(async () => {
    nuts = await serve(nutsFiles);
    world = await serve(loadGeoFiles(join(folder, 'no-such-folder')));
  });
  afterAll(() => {
    nuts.server.close();
    world.server.close();
  });

  it('describes the NUTS files of the geo folder, four levels with label points and a world background', async () => {
    const manifest = (await (await fetch(`${nuts.url}/v1/geo`)).json()) as GeoFiles['manifest'];
    expect(manifest.source).toBe('nuts-2024');
    expect(manifest.levels.map((l) => [l.level, l.regions.file, l.regions.object, l.points])).toEqual([
      [0, 'nutsrg_0.topojson', 'nutsrg', 'nutspt_0.geojson'],
      [1, 'nutsrg_1.topojson', 'nutsrg', 'nutspt_1.geojson'],
      [2, 'nutsrg_2.topojson', 'nutsrg', 'nutspt_2.geojson'],
      [3, 'nutsrg_3.topojson', 'nutsrg', 'nutspt_3.geojson'],
    ]);
    expect(manifest.background).toEqual({ file: 'cntrg_world.topojson', object: 'cntrg' });
    expect(manifest.files.map((f) => f.name).sort()).toEqual(
      GEO_FILE_NAMES.filter((n) => !n.startsWith('world-atlas')).sort(),
    );
    expect(manifest.files.find((f) => f.name === 'nutsrg_2.topojson')?.bytes).toBe(
      '{"file":"nutsrg_2.topojson"}'.length,
    );
  });

  it('serves a file as read, gzip-encoded when accepted, revalidated by ETag, immutable under its versioned URL', async () => {
    const etag = nutsFiles.manifest.files.find((f) => f.name === 'nutsrg_2.topojson')!.etag;
    const plain = await fetch(`${nuts.url}/v1/geo/nutsrg_2.topojson`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('etag')).toBe(`"${etag}"`);
    expect(plain.headers.get('cache-control')).toBe('private, no-cache');
    expect(await plain.json()).toEqual({ file: 'nutsrg_2.topojson' });

    // node's fetch decodes the gzip body itself, so reading it as JSON checks the encoding.
    const zipped = await fetch(`${nuts.url}/v1/geo/nutsrg_2.topojson?v=${etag}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    expect(zipped.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(await zipped.json()).toEqual({ file: 'nutsrg_2.topojson' });

    const again = await fetch(`${nuts.url}/v1/geo/nutsrg_2.topojson`, {
      headers: { 'if-none-match': `"${etag}"` },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const stale = await fetch(`${nuts.url}/v1/geo/nutsrg_2.topojson?v=not-the-tag`, {
      headers: { 'if-none-match': '"not-the-tag"' },
    });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cache-control')).toBe('private, no-cache');

    const csv = await fetch(`${nuts.url}/v1/geo/nuts_regions_2024.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toBe('id\nnuts_regions_2024.csv\n');
  });

  it('answers 404 for a file this deployment does not have or a name it never serves, 400 for an unknown parameter', async () => {
    const missing = await fetch(`${nuts.url}/v1/geo/world-atlas-countries-50m.topojson`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
    const unknown = await fetch(`${nuts.url}/v1/geo/nutsrg_all.topojson`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('not-found');
    const parameter = await fetch(`${nuts.url}/v1/geo/nutsrg_0.topojson?version=1`);
    expect(parameter.status).toBe(400);
    expect(((await parameter.json()) as { code: string }).code).toBe('invalid-query');
  });

  it('falls back to world-atlas countries, keyed as reports key countries, without the geo folder', async () => {
    const manifest = (await (await fetch(`${world.url}/v1/geo`)).json()) as GeoFiles['manifest'];
    expect(manifest.source).toBe('world-atlas');
    expect(manifest.levels).toEqual([
      { level: 0, regions: { file: 'world-atlas-countries-50m.topojson', object: 'countries' } },
    ]);
    expect(manifest.background).toBeUndefined();
    const topology = (await (
      await fetch(`${world.url}/v1/geo/world-atlas-countries-50m.topojson`)
    ).json()) as {
      objects: { countries: { geometries: { id?: string; properties: { id: string; na: string } }[] } };
    };
    const byName = new Map(topology.objects.countries.geometries.map((g) => [g.properties.na, g]));
    expect(byName.get('Portugal')?.id).toBe('PT');
    expect(byName.get('Greece')?.properties).toEqual({ id: 'EL', na: 'Greece' });
    expect(byName.get('Kosovo')?.id).toBe('XK');
    expect(byName.get('Nigeria')?.id).toBe('NG');
    expect(byName.get('Somaliland')?.id).toBeUndefined();
    expect(topology.objects.countries.geometries).toHaveLength(241);
  });

  it('re-keys world-atlas geometries without touching their arcs', () => {
    const rekeyed = rekeyWorldAtlas({
      objects: {
        countries: {
          geometries: [{ type: 'Polygon', arcs: [[0, 1]], id: '620', properties: { name: 'Portugal' } }],
        },
      },
    });
    expect(rekeyed.objects.countries.geometries).toEqual([
      { type: 'Polygon', arcs: [[0, 1]], id: 'PT', properties: { id: 'PT', na: 'Portugal' } },
    ]);
  });
});
