import { describe, expect, it } from 'vitest';
import { populationFromRows, populationOf } from '@mosy/core';
import {
  syntheticIndicatorRows,
  syntheticPopulationRows,
  SYNTHETIC_POPULATION_SOURCE,
} from './population.js';
import { PT_NUTS3 } from './world.js';

describe('the synthetic population table', () => {
  const rows = syntheticPopulationRows();
  const table = populationFromRows(rows, SYNTHETIC_POPULATION_SOURCE);

  it('covers every demo NUTS 3 region and its parents for 2023–2025, and says it is synthetic', () => {
    expect(SYNTHETIC_POPULATION_SOURCE).toMatch(/^SYNTHETIC/);
    for (const id of Object.keys(PT_NUTS3))
      for (const code of [id, id.slice(0, 4), id.slice(0, 3), 'PT'])
        for (const year of [2023, 2024, 2025]) expect(populationOf(table, code, year)?.year).toBe(year);
  });

  it('adds up: each NUTS 2 region holds the sum of its NUTS 3 regions, the country all of them', () => {
    const of = (code: string) => populationOf(table, code, 2024)?.population ?? 0;
    const nuts3 = Object.keys(PT_NUTS3);
    expect(of('PT11')).toBe(nuts3.filter((id) => id.startsWith('PT11')).reduce((a, id) => a + of(id), 0));
    expect(of('PT')).toBe(nuts3.reduce((a, id) => a + of(id), 0));
  });

  it('is the same on every call, and the indicator has one value per region and year', () => {
    expect(syntheticPopulationRows()).toEqual(rows);
    const indicator = syntheticIndicatorRows();
    expect(new Set(indicator.map((r) => `${r.geo} ${r.year}`)).size).toBe(indicator.length);
    expect(indicator.every((r) => Number(r.value) >= 4 && Number(r.value) <= 12)).toBe(true);
  });
});
