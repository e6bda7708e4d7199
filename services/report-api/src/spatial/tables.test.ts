import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { populationOf } from '@mosy/core';
import { spatialSettingsFromEnv } from '../settings.js';
import { loadPopulationCsv, loadRegionalIndicatorsCsv, regionalIndicatorsFromRows } from './tables.js';

const dir = mkdtempSync(join(tmpdir(), 'mosy-spatial-tables-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('the spatial settings and tables', () => {
  it('reads MOSY_POPULATION_CSV and MOSY_REGIONAL_INDICATORS_CSV, refusing paths that name no file', () => {
    const population = file('population.csv', 'geo,year,population\nPT11A,2024,1750000\n');
    expect(
      spatialSettingsFromEnv(
        { MOSY_POPULATION_CSV: population, MOSY_REGIONAL_INDICATORS_CSV: '' },
        () => true,
      ),
    ).toEqual({
      populationCsv: population,
    });
    expect(() =>
      spatialSettingsFromEnv(
        { MOSY_POPULATION_CSV: '/nope.csv', MOSY_REGIONAL_INDICATORS_CSV: '/none.csv' },
        () => false,
      ),
    ).toThrow(
      'Invalid configuration: MOSY_POPULATION_CSV names no file: "/nope.csv"; MOSY_REGIONAL_INDICATORS_CSV names no file: "/none.csv".',
    );
  });

  it("reads a population CSV, with a BOM and Eurostat's columns, and names the setting and row at fault", () => {
    const eurostat = file(
      'eurostat.csv',
      '\uFEFFDATAFLOW,LAST UPDATE,freq,unit,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n' +
        'ESTAT:DEMO_R_PJANAGGR3(1.0),01/01/25,A,NR,T,TOTAL,EL303,2024,1000000,\n' +
        'ESTAT:DEMO_R_PJANAGGR3(1.0),01/01/25,A,NR,F,TOTAL,EL303,2024,520000,\n',
    );
    expect(populationOf(loadPopulationCsv(eurostat), 'EL303', 2024)).toEqual({
      population: 1_000_000,
      year: 2024,
    });
    const bad = file('bad.csv', 'geo,year,population\nPT11A,2024,many\n');
    expect(() => loadPopulationCsv(bad)).toThrow(
      'MOSY_POPULATION_CSV: population row 1: population "many" of PT11A is not a whole number above 0.',
    );
  });

  it('reads regional indicators by name, region and year, and refuses bad rows', () => {
    const path = file(
      'indicators.csv',
      'indicator,geo,year,value\nunemployment,PT11A,2024,7.5\nunemployment,PT150,2024,:\n',
    );
    const read = loadRegionalIndicatorsCsv(path);
    expect(
      [...(read.byIndicator.get('unemployment') ?? [])].map(([geo, years]) => [geo, [...years]]),
    ).toEqual([['PT11A', [[2024, 7.5]]]]);
    expect(() =>
      regionalIndicatorsFromRows([{ indicator: 'x', geo: 'PT', year: '2024', value: 'high' }], 't'),
    ).toThrow('regional indicator row 1: value "high" is not a number.');
    expect(() =>
      regionalIndicatorsFromRows(
        [
          { indicator: 'x', geo: 'PT', year: '2024', value: '1' },
          { indicator: 'x', geo: 'PT', year: '2024', value: '2' },
        ],
        't',
      ),
    ).toThrow('regional indicator row 2: x PT 2024 is given twice.');
  });
});
