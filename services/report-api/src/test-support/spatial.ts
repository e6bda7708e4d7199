/**
 * Test support (not built): the geo folder as the runtimes find it, the synthetic population and indicator tables,
 * and records planted region by region — each region gets Poisson(population × rate) victims of its own, spread
 * over 2022–2024, so the counts a test expects are known exactly.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  populationFromRows,
  populationOf,
  seededRandom,
  type NormalizedRecord,
  type PopulationTable,
} from '@mosy/core';
import {
  SYNTHETIC_POPULATION_SOURCE,
  buildNormalizedRecord,
  syntheticIndicatorRows,
  syntheticPopulationRows,
} from '@mosy/testkit';
import { regionalIndicatorsFromRows, type RegionalIndicators } from '../spatial/tables.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** `MOSY_GEO_DIR`, else `../shared/geo` next to the repository. */
export function testGeoDir(): string {
  const dir = process.env.MOSY_GEO_DIR ?? join(REPO_ROOT, '..', 'shared', 'geo');
  if (!existsSync(join(dir, 'nuts', '2024')))
    throw new Error(
      `NUTS 2024 files not found under ${dir}: set MOSY_GEO_DIR to the folder holding nuts/2024.`,
    );
  return dir;
}

export const population: PopulationTable = populationFromRows(
  syntheticPopulationRows(),
  SYNTHETIC_POPULATION_SOURCE,
);
export const indicators: RegionalIndicators = regionalIndicatorsFromRows(
  syntheticIndicatorRows(),
  'synthetic',
);

function poisson(random: () => number, mean: number): number {
  const u = random();
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  while (u > cumulative) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/** A victim in `region`, dated `year`, with its own record (and person). */
export const victim = (
  id: string,
  region: string,
  year: number,
  citizenship = 'PT',
  meansOfControl = 'DEBT',
): NormalizedRecord =>
  buildNormalizedRecord({
    providerId: 'spatial-test',
    recordId: id,
    referenceDate: `${year}-06-15`,
    fields: {
      regionOfIdentification: region,
      regionOfExploitation: region,
      citizenship: [citizenship],
      meansOfControl: [meansOfControl],
    },
  });

/** Records per region: Poisson(population 2024 × `rate` / 100 000), times `factor` in `raised`. */
export function plantedRecords(
  regions: readonly string[],
  options: { seed: number; rate: number; raised?: ReadonlySet<string>; factor?: number },
): { records: NormalizedRecord[]; counts: Record<string, number> } {
  const random = seededRandom(options.seed);
  const records: NormalizedRecord[] = [];
  const counts: Record<string, number> = {};
  for (const region of regions) {
    const inhabitants = populationOf(population, region, 2024)?.population ?? 0;
    const factor = options.raised?.has(region) === true ? (options.factor ?? 4) : 1;
    const n = poisson(random, (inhabitants * options.rate * factor) / 100_000);
    counts[region] = n;
    for (let i = 0; i < n; i++)
      records.push(
        victim(
          `${region}-${i}`,
          region,
          2022 + (i % 3),
          i % 4 === 0 ? 'BR' : 'PT',
          i % 2 === 0 ? 'DEBT' : 'THREATS',
        ),
      );
  }
  return { records, counts };
}
