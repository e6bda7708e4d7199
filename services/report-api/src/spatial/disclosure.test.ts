// Disclosure: an analyst's hot-spot, context and corridor answers are computed from the geo report's published
// values alone. Two stores differ only in the records of one small region (Região Autónoma da Madeira, PT300: two
// victims in one, three in the other, withheld in both): the hot-spot and context answers are the same for both,
// so no statistic — z-score, q-value, rate ratio, correlation — carries the withheld count, while the
// coordinator's unprotected answers do tell them apart. Corridors are the published entries of the geo report's
// flows table (citizenship × region × period) and nothing else, checked entry by entry: they reveal what that
// table reveals. (That table's secondary suppression is chosen on true values, so which neighbouring entry is
// withheld beside PT300 can differ between the two stores — a property of the hypercube method that every table
// report shares, not of this endpoint.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '@mosy/core';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import { indicators, plantedRecords, population, testGeoDir, victim } from '../test-support/spatial.js';

const geoDir = testGeoDir();
const PT3 = [...population.byRegion.keys()].filter((id) => id.length === 5).sort();
const base = plantedRecords(
  PT3.filter((id) => id !== 'PT300'),
  { seed: 3, rate: 20 },
).records;
const madeira = (n: number): NormalizedRecord[] =>
  Array.from({ length: n }, (_, i) => victim(`madeira-${i}`, 'PT300', 2023, i === 0 ? 'BR' : 'PT'));

let small: Fixture;
let larger: Fixture;
beforeAll(async () => {
  const deps = { geoDir, spatial: { population, indicators } };
  small = await startFixture({ persons: 20, records: [...base, ...madeira(2)], deps });
  larger = await startFixture({ persons: 20, records: [...base, ...madeira(3)], deps });
}, 60_000);
afterAll(async () => {
  await small.close();
  await larger.close();
});

const FRAME = 'from=2022&to=2024&unit=records';
const QUERIES = [
  `/v1/spatial/hotspots/victims?level=3&${FRAME}`,
  `/v1/spatial/hotspots/victims?level=3&measure=count&${FRAME}`,
  `/v1/spatial/hotspots/victims?level=2&${FRAME}`,
  `/v1/spatial/context/victims?${FRAME}`,
  `/v1/spatial/context/victims?level=2&${FRAME}`,
];

describe('what an analyst sees of a withheld region', () => {
  it('PT300 is withheld in both stores, in the geo report and on the map', async () => {
    for (const fixture of [small, larger]) {
      const geo = (await fixture.get(`/v1/reports/geo/victims?level=3&${FRAME}`, 'analyst')).body as {
        cells: { key: Record<string, string>; value: number | null; flag?: string }[];
      };
      expect(geo.cells.find((c) => c.key.regionOfIdentification === 'PT300')).toMatchObject({
        value: null,
        flag: 'c',
      });
      const map = (await fixture.get(QUERIES[0]!, 'analyst')).body as {
        regions: { id: string; status: string; gi?: unknown }[];
      };
      expect(map.regions.find((r) => r.id === 'PT300')).toEqual({
        id: 'PT300',
        status: 'withheld',
        value: null,
        flag: 'c',
      });
    }
  });

  it('gets the same hot spots and context whether PT300 holds two victims or three', async () => {
    for (const query of QUERIES) {
      const a = await small.get(query, 'analyst');
      const b = await larger.get(query, 'analyst');
      expect([query, a.status]).toEqual([query, 200]);
      expect([query, b.body]).toEqual([query, a.body]);
    }
  });

  it("gets as corridors exactly the published entries of the geo report's flows table", async () => {
    for (const fixture of [small, larger]) {
      const corridors = (
        await fixture.get(`/v1/spatial/corridors/victims?level=3&limit=200&${FRAME}`, 'analyst')
      ).body as {
        corridors: {
          origin: string;
          destination: string;
          value: number | null;
          series: { period: string; value: number | null }[];
        }[];
      };
      const flows = (
        await fixture.get(
          `/v1/reports/geo/victims?flows=citizenship&level=3&interval=year&${FRAME}`,
          'analyst',
        )
      ).body as {
        cells: { key: Record<string, string>; value: number | null }[];
        margins: { key: Record<string, string>; value: number | null }[];
      };
      const pairs = flows.margins.filter(
        (m) => Object.keys(m.key).join() === 'citizenship,regionOfExploitation',
      );
      const pairKey = (k: Record<string, string>) => `${k.citizenship} ${k.regionOfExploitation}`;
      expect(new Set(corridors.corridors.map((c) => `${c.origin} ${c.destination}`))).toEqual(
        new Set(pairs.filter((m) => m.value !== 0).map((m) => pairKey(m.key))),
      );
      for (const c of corridors.corridors) {
        const key = `${c.origin} ${c.destination}`;
        expect([key, c.value]).toEqual([key, pairs.find((m) => pairKey(m.key) === key)?.value]);
        for (const point of c.series) {
          const cell = flows.cells.find((e) => pairKey(e.key) === key && e.key.period === point.period);
          expect([key, point.period, point.value]).toEqual([
            key,
            point.period,
            cell === undefined ? 0 : cell.value,
          ]);
        }
      }
    }
  });

  it('while the unprotected answers, for a coordinator, do differ', async () => {
    const a = await small.get(`${QUERIES[0]!}&protection=none`, 'coordinator');
    const b = await larger.get(`${QUERIES[0]!}&protection=none`, 'coordinator');
    const madeiraOf = (body: unknown) =>
      (body as { regions: { id: string; value: number }[] }).regions.find((r) => r.id === 'PT300')?.value;
    expect([madeiraOf(a.body), madeiraOf(b.body)]).toEqual([2, 3]);
  });
});
