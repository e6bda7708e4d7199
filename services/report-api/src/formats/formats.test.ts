import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { StoreQuery } from '@mosy/core';
import { referenceQuery } from '@mosy/testkit';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import { REGISTERED } from '../test-support/expected.js';
import { csvField, toCsv } from './csv.js';
import { dataflowOf, lastUpdateOf } from './sdmx-csv.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ deps: { disclosure: { adHoc: 'suppress' } } });
});
afterAll(async () => {
  await fx.close();
});

const rowsOf = (text: string): Record<string, string>[] =>
  parse<Record<string, string>>(text, { columns: true });

const victims = (query: Partial<StoreQuery>): StoreQuery => ({
  kind: 'victim',
  unit: 'persons',
  by: [],
  ...query,
  filters: { status: REGISTERED, ...query.filters },
});

describe('CSV', () => {
  it('quotes what needs quoting', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });

  it('renders a simple report with TOTAL margins, equal to the reference', async () => {
    const { status, type, text } = await fx.get(
      '/v1/reports/simple/victims?by=sex&format=csv&protection=none',
      'coordinator',
    );
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/csv/);
    const rows = rowsOf(text);
    const truth = referenceQuery(fx.dataset.truth, victims({ by: ['sex'] }));
    expect(rows).toEqual([
      ...truth.cells.map((c) => ({ sex: c.key.sex!, value: String(c.value), flag: '' })),
      { sex: 'TOTAL', value: String(truth.total), flag: '' },
    ]);
  });

  it('writes withheld values empty with the flag c for analysts', async () => {
    const { text } = await fx.get('/v1/indicators/victims/values?by=citizenship&format=csv', 'analyst');
    const rows = rowsOf(text);
    const withheld = rows.filter((r) => r.value === '');
    expect(withheld.length).toBeGreaterThan(0);
    expect(withheld.every((r) => r.flag === 'c')).toBe(true);
    expect(rows.at(-1)!.citizenship).toBe('TOTAL');
  });

  it('renders a total report with persons and records', async () => {
    const { text } = await fx.get(
      '/v1/reports/total/victims?providers=ngo-apoio&format=csv&protection=none',
      'coordinator',
    );
    const rows = rowsOf(text);
    const query = victims({ filters: { providerId: ['ngo-apoio'] } });
    expect(rows.filter((r) => r.providerId === 'TOTAL')).toEqual([
      {
        measure: 'persons',
        providerId: 'TOTAL',
        value: String(referenceQuery(fx.dataset.truth, query).total),
        flag: '',
      },
      {
        measure: 'records',
        providerId: 'TOTAL',
        value: String(referenceQuery(fx.dataset.truth, { ...query, unit: 'records' }).total),
        flag: '',
      },
    ]);
  });
});

describe('SDMX-CSV', () => {
  it('formats the header pieces as Eurostat does', () => {
    expect(lastUpdateOf(new Date(Date.UTC(2026, 4, 22, 11, 0, 5)))).toBe('22/05/26 11:00:05');
    expect(dataflowOf('victims-assisted')).toBe('MOSY:THB_VICTIMS_ASSISTED(1.0)');
  });

  it('has the Eurostat header and codes, and quarters add up to the year before protection', async () => {
    const quarterly = await fx.get(
      '/v1/reports/time-frame/victims?by=sex,ageClass&interval=quarter&from=2024&to=2024&format=sdmx-csv&protection=none',
      'coordinator',
    );
    expect(quarterly.status).toBe(200);
    expect(quarterly.text.split('\r\n')[0]).toBe(
      'DATAFLOW,LAST UPDATE,freq,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS',
    );
    const rows = rowsOf(quarterly.text);
    expect(new Set(rows.map((r) => r.DATAFLOW))).toEqual(new Set(['MOSY:THB_VICTIMS(1.0)']));
    expect(new Set(rows.map((r) => r.freq))).toEqual(new Set(['Q']));
    expect(new Set(rows.map((r) => r.sex))).toEqual(new Set(['F', 'M', 'UNK', 'T']));
    expect(new Set(rows.map((r) => r.age))).toEqual(new Set(['Y_LT18', 'Y_GE18', 'UNK', 'TOTAL']));
    expect(rows.every((r) => r.geo === 'TOTAL' && r.CONF_STATUS === '' && /^\d+$/.test(r.OBS_VALUE!))).toBe(
      true,
    );
    expect(new Set(rows.map((r) => r.TIME_PERIOD))).toEqual(
      new Set(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2024-unspecified']),
    );
    // Eurostat's UNK sex is MoSy's X and UNK together, counted as distinct persons.
    const base = victims({ from: '2024-01-01', to: '2024-12-31', interval: 'quarter' });
    const unknownSex = referenceQuery(fx.dataset.truth, {
      ...base,
      filters: { ...base.filters, sex: ['X', 'UNK'] },
    });
    for (const cell of unknownSex.cells) {
      const row = rows.find((r) => r.sex === 'UNK' && r.age === 'TOTAL' && r.TIME_PERIOD === cell.period);
      expect(Number(row!.OBS_VALUE)).toBe(cell.value);
    }
    const annual = rowsOf(
      (
        await fx.get(
          '/v1/reports/time-frame/victims?by=sex,ageClass&interval=year&from=2024&to=2024&format=sdmx-csv&protection=none',
          'coordinator',
        )
      ).text,
    );
    expect(new Set(annual.map((r) => r.TIME_PERIOD))).toEqual(new Set(['2024']));
    let compared = 0;
    for (const year of annual) {
      const quarters = rows.filter((r) => r.sex === year.sex && r.age === year.age);
      // Persons are distinct within a quarter, so a person seen in two quarters counts in each: use records below.
      expect(quarters.reduce((n, r) => n + Number(r.OBS_VALUE), 0)).toBeGreaterThanOrEqual(
        Number(year.OBS_VALUE),
      );
      compared++;
    }
    expect(compared).toBe(annual.length);
  });

  it('quarters of records add up exactly to the year, cell by cell', async () => {
    const path = (interval: string) =>
      `/v1/reports/time-frame/victims?by=sex&unit=records&interval=${interval}&from=2023&to=2023&format=sdmx-csv&protection=none`;
    const quarters = rowsOf((await fx.get(path('quarter'), 'coordinator')).text);
    const year = rowsOf((await fx.get(path('year'), 'coordinator')).text);
    expect(year.map((r) => r.sex).sort()).toEqual(['F', 'M', 'T', 'UNK']);
    for (const y of year) {
      const sum = quarters.filter((q) => q.sex === y.sex).reduce((n, q) => n + Number(q.OBS_VALUE), 0);
      expect(sum).toBe(Number(y.OBS_VALUE));
    }
    const total = referenceQuery(
      fx.dataset.truth,
      victims({ unit: 'records', from: '2023-01-01', to: '2023-12-31' }),
    ).total;
    expect(Number(year.find((r) => r.sex === 'T')!.OBS_VALUE)).toBe(total);
  });

  it('gives geo codes and exploitation groups, and flags withheld values C for analysts', async () => {
    const { status, text } = await fx.get(
      '/v1/reports/geo/victims?by=exploitation&level=0&from=2024&to=2024&format=sdmx-csv',
      'analyst',
    );
    expect(status).toBe(200);
    const rows = rowsOf(text);
    expect(text.split('\r\n')[0]).toBe(
      'DATAFLOW,LAST UPDATE,freq,exploit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS',
    );
    expect(new Set(rows.map((r) => r.freq))).toEqual(new Set(['A']));
    for (const r of rows)
      expect(['EXP_SEX', 'EXP_LAB', 'EXP_ORG', 'EXP_OTH', 'UNK', 'TOTAL']).toContain(r.exploit);
    expect(rows.some((r) => r.geo === 'PT')).toBe(true);
    const withheld = rows.filter((r) => r.OBS_VALUE === '');
    expect(withheld.length).toBeGreaterThan(0);
    expect(withheld.every((r) => r.CONF_STATUS === 'C')).toBe(true);
    const labour = referenceQuery(
      fx.dataset.truth,
      victims({
        from: '2024-01-01',
        to: '2024-12-31',
        filters: { exploitation: ['LAB', 'SLAV'], regionOfIdentification: ['PT'] },
      }),
    ).total;
    const row = rows.find((r) => r.exploit === 'EXP_LAB' && r.geo === 'PT')!;
    expect(labour).toBeGreaterThan(0);
    if (row.OBS_VALUE !== '') expect(Number(row.OBS_VALUE)).toBe(labour);
    if (labour < 5) expect(row.OBS_VALUE).toBe('');
  });

  it('needs a period', async () => {
    expect((await fx.get('/v1/reports/simple/victims?by=sex&format=sdmx-csv', 'analyst')).status).toBe(400);
  });
});
