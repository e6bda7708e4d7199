// The hot-spot endpoint on a store planted region by region (Portugal's NUTS 3 regions, synthetic population):
// exact values for a coordinator, the analyst's answer computed from the geo report's published values, the
// planted cluster found at FDR 5 %, and counts only (said so) without a population table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseHotspots, contiguityWeights, type Topology } from '@mosy/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import { indicators, plantedRecords, population, testGeoDir } from '../test-support/spatial.js';

const geoDir = testGeoDir();
const nuts3 = JSON.parse(readFileSync(join(geoDir, 'nuts', '2024', 'nutsrg_3.topojson'), 'utf8')) as Topology;
const PT3 = (nuts3.objects.nutsrg?.geometries ?? [])
  .map((g) => String(g.properties?.id))
  .filter((id) => id.startsWith('PT'))
  .sort();
// Área Metropolitana do Porto and its neighbours, at four times the rate.
const PLANTED = new Set(['PT11A', 'PT119', 'PT11C', 'PT112', 'PT191']);
const planted = plantedRecords(PT3, { seed: 1, rate: 20, raised: PLANTED, factor: 4 });

interface Region {
  id: string;
  status: string;
  value: number | null;
  population?: number;
  rate?: number;
  gi?: { z: number; p: number; q: number; class: string };
  moran?: { i: number; z: number; p: number; q: number; quadrant: string; class: string };
}
interface Answer {
  measure: string;
  population: { source: string; year: number } | null;
  analysis: string;
  countries: string[];
  notes: string[];
  regions: Region[];
}

let fixture: Fixture;
let bare: Fixture;
beforeAll(async () => {
  fixture = await startFixture({
    persons: 20,
    records: planted.records,
    deps: { geoDir, spatial: { population, indicators } },
  });
  bare = await startFixture({ persons: 20, records: planted.records, deps: { geoDir } });
}, 60_000);
afterAll(async () => {
  await fixture.close();
  await bare.close();
});

const QUERY = '/v1/spatial/hotspots/victims?level=3&from=2022&to=2024&unit=records';

describe('GET /v1/spatial/hotspots/:id', () => {
  it('gives a coordinator the exact counts, rates per 100 000 and the statistics of those rates (audited)', async () => {
    const { status, body } = await fixture.get(`${QUERY}&protection=none`, 'coordinator');
    expect(status).toBe(200);
    const answer = body as Answer;
    expect(answer.measure).toBe('rate');
    expect(answer.population).toEqual({
      source: 'SYNTHETIC demo population (invented, not Eurostat)',
      year: 2024,
    });
    expect(answer.countries).toEqual(['PT']);
    expect(answer.regions.map((r) => r.id)).toEqual(PT3);
    for (const r of answer.regions) {
      expect([r.id, r.value]).toEqual([r.id, planted.counts[r.id]]);
      expect(r.rate).toBe(((planted.counts[r.id] ?? 0) * 100_000) / (r.population ?? 1));
    }
    // The same statistics, computed here from the exact rates over the NUTS 3 contiguity of Portugal.
    const weights = contiguityWeights(nuts3, { object: 'nutsrg', ids: PT3 });
    const expected = analyseHotspots(
      Object.fromEntries(answer.regions.map((r) => [r.id, r.rate ?? 0])),
      weights,
      { seed: 1, permutations: 9999, q: 0.05 },
    );
    expect(answer.regions.map((r) => [r.gi?.z, r.gi?.p, r.gi?.q, r.moran?.i, r.moran?.p])).toEqual(
      expected.map((e) => [e.gi.z, e.gi.p, e.gi.q, e.moran.i, e.moran.p]),
    );
    expect(fixture.audit).toBeDefined();
    const audit = await fixture.get('/v1/audit', 'coordinator');
    expect(JSON.stringify(audit.body)).toContain('/v1/spatial/hotspots/victims');
  });

  it('finds the planted cluster around Porto at FDR 5 % and nothing cold', async () => {
    const answer = (await fixture.get(`${QUERY}&protection=none`, 'coordinator')).body as Answer;
    const hot = answer.regions.filter((r) => r.gi?.class === 'hot').map((r) => r.id);
    expect(hot).toContain('PT11A');
    expect(hot.filter((id) => !PLANTED.has(id))).toEqual([]);
    expect(answer.regions.filter((r) => r.gi?.class === 'cold')).toEqual([]);
    expect(answer.regions.find((r) => r.id === 'PT11A')?.moran?.class).toBe('HH');
  });

  it("gives an analyst the statistics of the geo report's published values, and the same answer for the same seed", async () => {
    const answer = (await fixture.get(QUERY, 'analyst')).body as Answer;
    const geo = (
      await fixture.get('/v1/reports/geo/victims?level=3&from=2022&to=2024&unit=records', 'analyst')
    ).body as { cells: { key: Record<string, string>; value: number | null }[] };
    const published = new Map(geo.cells.map((c) => [c.key.regionOfIdentification, c.value]));
    for (const r of answer.regions) expect([r.id, r.value]).toEqual([r.id, published.get(r.id) ?? 0]);
    const analysed = answer.regions.filter((r) => r.status === 'analysed');
    const weights = contiguityWeights(nuts3, { object: 'nutsrg', ids: analysed.map((r) => r.id) });
    const expected = analyseHotspots(
      Object.fromEntries(analysed.map((r) => [r.id, ((r.value ?? 0) * 100_000) / (r.population ?? 1)])),
      weights,
      { seed: 1, permutations: 9999 },
    );
    expect(analysed.map((r) => r.gi?.z)).toEqual(expected.map((e) => e.gi.z));
    expect((await fixture.get(QUERY, 'analyst')).body).toEqual(answer);
    const other = (await fixture.get(`${QUERY}&seed=2`, 'analyst')).body as Answer;
    expect(other.regions.map((r) => r.gi?.p)).not.toEqual(answer.regions.map((r) => r.gi?.p));
  });

  it('uses counts, and says so, without a population table; refuses rates there and bad parameters', async () => {
    const answer = (await bare.get(`${QUERY}&protection=none`, 'coordinator')).body as Answer;
    expect(answer.measure).toBe('count');
    expect(answer.population).toBeNull();
    expect(answer.notes[0]).toMatch(/^Counts, not rates: no population table is configured/);
    expect(answer.regions.find((r) => r.id === 'PT11A')?.rate).toBeUndefined();
    const refused = await bare.get(`${QUERY}&measure=rate`, 'analyst');
    expect(refused.status).toBe(400);
    expect(refused.type).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toContain('measure: rates need a population table');
    for (const bad of [
      'permutations=5',
      'fdr=0.5',
      'seed=-1',
      'countries=Portugal',
      'field=citizenship&level=3',
    ])
      expect([bad, (await fixture.get(`${QUERY}&${bad}`, 'analyst')).status]).toEqual([bad, 400]);
    expect((await fixture.get(`${QUERY}`, 'provider')).status).toBe(403);
  });
});
