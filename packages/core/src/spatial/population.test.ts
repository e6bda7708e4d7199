import { describe, expect, it } from 'vitest';
import { populationFromRows, populationOf, ratePer100k } from './population.js';

describe('populationFromRows', () => {
  it('reads geo, year, population rows and picks the nearest year (the earlier one on a tie)', () => {
    const table = populationFromRows(
      [
        { geo: 'PT11A', year: '2022', population: '1700000' },
        { geo: 'PT11A', year: '2024', population: '1750000' },
        { geo: 'PT150', year: '2023', population: '480000' },
      ],
      'test',
    );
    expect(populationOf(table, 'PT11A', 2024)).toEqual({ population: 1_750_000, year: 2024 });
    expect(populationOf(table, 'PT11A', 2023)).toEqual({ population: 1_700_000, year: 2022 });
    expect(populationOf(table, 'PT11A', 2030)).toEqual({ population: 1_750_000, year: 2024 });
    expect(populationOf(table, 'PT150', 2020)).toEqual({ population: 480_000, year: 2023 });
    expect(populationOf(table, 'PT200', 2024)).toBeUndefined();
  });

  it("keeps the totals of Eurostat's SDMX-CSV (sex T, age TOTAL) and skips missing values", () => {
    const row = (sex: string, age: string, value: string) => ({
      DATAFLOW: 'ESTAT:DEMO_R_PJANAGGR3(1.0)',
      freq: 'A',
      unit: 'NR',
      sex,
      age,
      geo: 'EL303',
      TIME_PERIOD: '2024',
      OBS_VALUE: value,
    });
    const table = populationFromRows(
      [
        row('T', 'TOTAL', '1000000'),
        row('F', 'TOTAL', '520000'),
        row('T', 'Y_LT15', '90000'),
        row('T', 'TOTAL', ''),
      ],
      'eurostat',
    );
    expect(populationOf(table, 'EL303', 2024)).toEqual({ population: 1_000_000, year: 2024 });
  });

  it('refuses bad rows with the row number', () => {
    expect(() => populationFromRows([{ geo: 'PT11A', year: '2024' }], 't')).toThrow(
      /row 1: needs the columns/,
    );
    expect(() => populationFromRows([{ geo: 'pt', year: '2024', population: '5' }], 't')).toThrow(
      /row 1: "pt" is not a NUTS/,
    );
    expect(() => populationFromRows([{ geo: 'PT', year: '24', population: '5' }], 't')).toThrow(/year "24"/);
    expect(() => populationFromRows([{ geo: 'PT', year: '2024', population: '-5' }], 't')).toThrow(
      /not a whole number above 0/,
    );
    expect(() =>
      populationFromRows(
        [
          { geo: 'PT', year: '2024', population: '5' },
          { geo: 'PT', year: '2024', population: '6' },
        ],
        't',
      ),
    ).toThrow(/row 2: PT 2024 is given twice/);
    expect(() => populationFromRows([], 't')).toThrow(/no row/);
  });
});

describe('ratePer100k', () => {
  it('divides by the population and scales to 100 000', () => {
    expect(ratePer100k(30, 200_000)).toBe(15);
    expect(ratePer100k(0, 5)).toBe(0);
    expect(() => ratePer100k(3, 0)).toThrow(/population above 0/);
  });
});
