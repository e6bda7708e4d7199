// The context and corridor endpoints on the store planted region by region: exact rate ratios from the planted
// counts, the synthetic population and the GISCO typologies; the rank correlations of those rates with the
// synthetic indicator; the vulnerability table; and corridors with their series and direction, for a coordinator's
// unprotected values, recomputed here from the records themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { populationOf, spearman, type NormalizedRecord } from '@mosy/core';
import { SYNTHETIC_INDICATOR } from '@mosy/testkit';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import { indicators, plantedRecords, population, testGeoDir, victim } from '../test-support/spatial.js';

const geoDir = testGeoDir();
const typology = new Map(
  parse<Record<string, string>>(readFileSync(join(geoDir, 'nuts', '2024', 'nuts_regions_2024.csv'), 'utf8'), {
    columns: true,
  }).map((r) => [r.id ?? '', r]),
);
const PT3 = [...typology.values()].filter((r) => r.level === '3' && r.cntr === 'PT').map((r) => r.id ?? '');
const planted = plantedRecords(PT3, { seed: 2, rate: 20 });
// A corridor Nigeria → Algarve rising over the three years: 2, 6, 12.
const rising: NormalizedRecord[] = [2, 6, 12].flatMap((n, k) =>
  Array.from({ length: n }, (_, i) => victim(`ng-${k}-${i}`, 'PT150', 2022 + k, 'NG')),
);
const counts: Record<string, number> = { ...planted.counts, PT150: (planted.counts.PT150 ?? 0) + 20 };

let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture({
    persons: 20,
    records: [...planted.records, ...rising],
    deps: { geoDir, spatial: { population, indicators } },
  });
}, 60_000);
afterAll(() => fixture.close());

const FRAME = 'from=2022&to=2024&unit=records&protection=none';

describe('GET /v1/spatial/context/:id', () => {
  it('gives rate ratios between typologies from summed counts and populations, with their 95 % intervals', async () => {
    const { status, body } = await fixture.get(`/v1/spatial/context/victims?${FRAME}`, 'coordinator');
    expect(status).toBe(200);
    const answer = body as {
      rateRatios: {
        typology: string;
        group: string;
        count: { group: number; reference: number };
        population: { group: number; reference: number };
        ratio: number;
        lower: number;
        upper: number;
      }[];
      correlations: { indicator: string; n: number; rho: number }[];
      caution: string;
      vulnerability: { field: string; cells: { region: string; code: string; value: number }[] }[];
    };
    const pop = (id: string) => populationOf(population, id, 2024)?.population ?? 0;
    const sum = (pick: (id: string) => boolean) => {
      const ids = PT3.filter(pick);
      return {
        count: ids.reduce((a, id) => a + (counts[id] ?? 0), 0),
        population: ids.reduce((a, id) => a + pop(id), 0),
      };
    };
    const urbn = (id: string) => typology.get(id)?.urbn_type;
    const urban = sum((id) => urbn(id) === '1');
    const rural = sum((id) => urbn(id) === '3');
    const found = answer.rateRatios.find(
      (r) => r.typology === 'urbn_type' && r.group === 'predominantly urban',
    );
    expect(found?.count).toEqual({ group: urban.count, reference: rural.count });
    expect(found?.population).toEqual({ group: urban.population, reference: rural.population });
    const ratio = (urban.count / urban.population) * (rural.population / rural.count);
    expect(found?.ratio).toBeCloseTo(ratio, 12);
    const half = 1.959963984540054 * Math.sqrt(1 / urban.count + 1 / rural.count);
    expect(found?.lower).toBeCloseTo(ratio * Math.exp(-half), 12);
    expect(found?.upper).toBeCloseTo(ratio * Math.exp(half), 12);
    const coastal = sum((id) => typology.get(id)?.coast_type === '1');
    expect(answer.rateRatios.find((r) => r.typology === 'coast_type')?.count.group).toBe(coastal.count);

    // Spearman of the rates with the synthetic indicator of 2024, over every region having both.
    const year2024 = new Map(indicators.byIndicator.get(SYNTHETIC_INDICATOR) ?? []);
    const pairs = PT3.filter((id) => year2024.get(id)?.get(2024) !== undefined).map((id) => [
      ((counts[id] ?? 0) * 100_000) / pop(id),
      year2024.get(id)?.get(2024) ?? 0,
    ]);
    const rho = spearman(
      pairs.map((p) => p[0] ?? 0),
      pairs.map((p) => p[1] ?? 0),
    );
    expect(answer.correlations).toEqual([
      expect.objectContaining({ indicator: SYNTHETIC_INDICATOR, n: pairs.length, rho: rho?.rho }),
    ]);
    expect(answer.caution).toMatch(/^A correlation between places is not a cause for persons/);

    // Means of control by region: every other planted record DEBT, the others THREATS; the Nigerians DEBT.
    const debt = answer.vulnerability.find((v) => v.field === 'meansOfControl')?.cells ?? [];
    expect(debt.find((c) => c.region === 'PT11A' && c.code === 'DEBT')?.value).toBe(
      Math.ceil((planted.counts.PT11A ?? 0) / 2),
    );
    expect(debt.find((c) => c.region === 'PT150' && c.code === 'DEBT')?.value).toBe(
      Math.ceil((planted.counts.PT150 ?? 0) / 2) + 20,
    );
  });
});

describe('GET /v1/spatial/corridors/:id', () => {
  it('ranks origin → region of exploitation pairs with their yearly series and direction', async () => {
    const { status, body } = await fixture.get(
      `/v1/spatial/corridors/victims?level=3&limit=200&${FRAME}`,
      'coordinator',
    );
    expect(status).toBe(200);
    const answer = body as {
      periods: string[];
      corridors: {
        origin: string;
        destination: string;
        value: number;
        series: { period: string; value: number }[];
        direction: string;
      }[];
    };
    expect(answer.periods).toEqual(['2022', '2023', '2024']);
    // Expected from the records: citizenship × region × year.
    const expected = new Map<string, number[]>();
    for (const r of [...planted.records, ...rising]) {
      const key = `${String(r.fields.citizenship)} ${String(r.fields.regionOfExploitation)}`;
      const series = expected.get(key) ?? [0, 0, 0];
      series[Number(r.referenceDate.slice(0, 4)) - 2022]! += 1;
      expected.set(key, series);
    }
    expect(answer.corridors.length).toBe(expected.size);
    for (const c of answer.corridors) {
      const series = expected.get(`${c.origin} ${c.destination}`);
      expect([c.origin, c.destination, c.series.map((p) => p.value)]).toEqual([
        c.origin,
        c.destination,
        series,
      ]);
      expect(c.value).toBe((series ?? []).reduce((a, b) => a + b, 0));
    }
    const values = answer.corridors.map((c) => c.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(answer.corridors.find((c) => c.origin === 'NG')).toMatchObject({
      destination: 'PT150',
      value: 20,
      direction: 'rising',
    });
  });
});
